// The referral service's reading of the qualification stream (dps.qualification): when an
// establishment is suspended or excluded in a lot, its invitations to referrals of that lot still
// OPEN are marked suspended (it may not bid, and nobody waits for its answer) and a bid it already
// made is flagged to the placing authority; when it is reinstated before the referral closes, the
// marks are lifted. Closed referrals are left as they were: the ranking already asked the register
// about the close.
//
// Applied by a platform StreamConsumer, in the transaction that records the event as processed,
// so each event has its effect once however often it is delivered.
#ifndef DPS_SERVICES_REFERRAL_CONSUMERS_MEMBERSHIP_EVENTS_H_
#define DPS_SERVICES_REFERRAL_CONSUMERS_MEMBERSHIP_EVENTS_H_

#include <pqxx/pqxx>

#include "absl/status/status.h"
#include "platform/events/consumer.h"

namespace dps::referral {

// The consumer group the referral service reads the qualification stream as.
inline constexpr char kMembershipGroup[] = "referral-membership";

// INVALID_ARGUMENT (dead-lettered) for a payload that does not parse; events of other types are
// applied as nothing.
absl::Status ApplyMembershipEvent(pqxx::work& tx, const platform::StreamEvent& event);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_CONSUMERS_MEMBERSHIP_EVENTS_H_
