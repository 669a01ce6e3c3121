// Where a use case's events go. A use case announces through Events, so its pure tests can read
// what it announced (testing/recorded_events.h); in a service, OutboxEvents writes them to the
// outbox of the service's stream in the change's own transaction (Announce in unit_of_work.h), so
// a change and its events commit together.
#ifndef DPS_PLATFORM_WORK_EVENTS_H_
#define DPS_PLATFORM_WORK_EVENTS_H_

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "dps/events/v1/events.pb.h"
#include "platform/work/unit_of_work.h"

namespace dps::platform {

class Events {
 public:
  virtual ~Events() = default;
  // `envelope` with its payload set; the rest of the envelope is filled in from the change.
  virtual absl::Status Announce(absl::string_view type, absl::string_view aggregate_type,
                                const std::string& aggregate_id, const std::string& system_id,
                                dps::events::v1::EventEnvelope envelope) = 0;
};

class OutboxEvents final : public Events {
 public:
  OutboxEvents(Call& call, std::string stream) : call_(call), stream_(std::move(stream)) {}
  absl::Status Announce(absl::string_view type, absl::string_view aggregate_type,
                        const std::string& aggregate_id, const std::string& system_id,
                        dps::events::v1::EventEnvelope envelope) override {
    return platform::Announce(call_, stream_, type, aggregate_type, aggregate_id, system_id,
                              std::move(envelope));
  }

 private:
  Call& call_;
  std::string stream_;
};

}  // namespace dps::platform

#endif  // DPS_PLATFORM_WORK_EVENTS_H_
