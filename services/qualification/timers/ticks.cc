#include "services/qualification/timers/ticks.h"

namespace dps::qualification {

void PeriodicTimer::Run(std::stop_token stop, absl::Duration interval) {
  platform::RunTimer(stop, interval, metrics_, log_, [&]() -> absl::StatusOr<platform::TimerTick> {
    absl::StatusOr<int> count = RunOnce();
    if (!count.ok()) return count.status();
    return platform::TimerTick{.done = *count};
  });
}

}  // namespace dps::qualification
