// Where the referral service's events go: the referral stream, through the platform's Events
// (platform/work/events.h), so a use case's pure tests read what it announced
// (platform/work/testing/recorded_events.h).
#ifndef DPS_SERVICES_REFERRAL_APP_EVENTS_H_
#define DPS_SERVICES_REFERRAL_APP_EVENTS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "dps/events/v1/events.pb.h"
#include "platform/work/events.h"

namespace dps::referral {

// The stream every referral event goes to.
inline constexpr char kReferralStream[] = "dps.referral";

// What a referral use case announces through; in the service, the referral stream's outbox.
using ReferralEvents = platform::Events;

inline platform::OutboxEvents ReferralOutbox(platform::Call& call) {
  return platform::OutboxEvents(call, kReferralStream);
}

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_APP_EVENTS_H_
