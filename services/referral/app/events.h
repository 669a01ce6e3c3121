// Where the referral service's events go. A use case announces through ReferralEvents, so its
// pure tests can read what it announced (app/testing/recorded_events.h); in the service,
// OutboxEvents writes them to the referral stream's outbox in the change's own transaction
// (platform/work/unit_of_work.h, Announce), so a change and its events commit together.
#ifndef DPS_SERVICES_REFERRAL_APP_EVENTS_H_
#define DPS_SERVICES_REFERRAL_APP_EVENTS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "dps/events/v1/events.pb.h"
#include "platform/work/unit_of_work.h"

namespace dps::referral {

// The stream every referral event goes to.
inline constexpr char kReferralStream[] = "dps.referral";

class ReferralEvents {
 public:
  virtual ~ReferralEvents() = default;
  // `envelope` with its payload set; the rest of the envelope is filled in from the change.
  virtual absl::Status Announce(absl::string_view type, absl::string_view aggregate_type,
                                const std::string& aggregate_id, const std::string& system_id,
                                dps::events::v1::EventEnvelope envelope) = 0;
};

class OutboxEvents final : public ReferralEvents {
 public:
  explicit OutboxEvents(platform::Call& call) : call_(call) {}
  absl::Status Announce(absl::string_view type, absl::string_view aggregate_type,
                        const std::string& aggregate_id, const std::string& system_id,
                        dps::events::v1::EventEnvelope envelope) override {
    return platform::Announce(call_, kReferralStream, type, aggregate_type, aggregate_id, system_id,
                              std::move(envelope));
  }

 private:
  platform::Call& call_;
};

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_APP_EVENTS_H_
