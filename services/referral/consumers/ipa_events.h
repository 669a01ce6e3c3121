// The referral service's reading of the contracts stream (dps.contracts): a placement into a block
// contract ends when its agreement does. contracts.ipa.ended of an IPA made from a block call-off
// ends the call-off on the IPA's last day (at the latest the call-off's planned end date, the last
// day its place was reserved for); contracts.ipa.cancelled ends it as never begun (the day before
// its start). Either way its places are free again and referral.block.call_off_ended says so. A
// call-off the placing authority has already ended (EndBlockCallOff) is left as it is.
//
// Applied by a platform StreamConsumer, in the transaction that records the event as processed,
// so each event has its effect once however often it is delivered.
#ifndef DPS_SERVICES_REFERRAL_CONSUMERS_IPA_EVENTS_H_
#define DPS_SERVICES_REFERRAL_CONSUMERS_IPA_EVENTS_H_

#include <pqxx/pqxx>

#include "absl/status/status.h"
#include "platform/clock/clock.h"
#include "platform/events/consumer.h"

namespace dps::referral {

// The consumer group the referral service reads the contracts stream as.
inline constexpr char kIpaEndingsGroup[] = "referral-ipa-endings";

// INVALID_ARGUMENT (dead-lettered) for a payload that does not parse, an ended IPA without its
// last day, or a block or call-off this service does not hold; other events, and IPAs not made
// from a block call-off, are applied as nothing. `clock` dates the announcement.
absl::Status ApplyIpaEvent(pqxx::work& tx, const platform::StreamEvent& event,
                           const platform::Clock& clock);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_CONSUMERS_IPA_EVENTS_H_
