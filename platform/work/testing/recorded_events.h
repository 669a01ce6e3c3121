// Events that keeps what was announced, for the use cases' pure tests.
#ifndef DPS_PLATFORM_WORK_TESTING_RECORDED_EVENTS_H_
#define DPS_PLATFORM_WORK_TESTING_RECORDED_EVENTS_H_

#include <string>
#include <utility>
#include <vector>

#include "platform/work/events.h"

namespace dps::platform::testing {

struct RecordedEvent {
  std::string type;
  std::string aggregate_type;
  std::string aggregate_id;
  std::string system_id;
  dps::events::v1::EventEnvelope envelope;
};

class RecordedEvents final : public Events {
 public:
  absl::Status Announce(absl::string_view type, absl::string_view aggregate_type,
                        const std::string& aggregate_id, const std::string& system_id,
                        dps::events::v1::EventEnvelope envelope) override {
    events.push_back({std::string(type), std::string(aggregate_type), aggregate_id, system_id,
                      std::move(envelope)});
    return absl::OkStatus();
  }

  std::vector<RecordedEvent> events;
};

}  // namespace dps::platform::testing

#endif  // DPS_PLATFORM_WORK_TESTING_RECORDED_EVENTS_H_
