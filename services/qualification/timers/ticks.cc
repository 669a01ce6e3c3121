#include "services/qualification/timers/ticks.h"

#include <chrono>
#include <thread>

#include "absl/strings/str_cat.h"
#include "platform/log/log.h"

namespace dps::qualification {

void PeriodicTimer::Run(std::stop_token stop, absl::Duration interval) {
  while (!stop.stop_requested()) {
    metrics_.Ran();
    absl::StatusOr<int> count = RunOnce();
    if (count.ok()) {
      metrics_.Processed(*count);
      metrics_.Succeeded(absl::Now());
    } else {
      metrics_.Failed();
    }
    if (!count.ok()) {
      const std::string error = count.status().ToString();
      platform::Log(platform::LogLevel::kError, failed_, {{"error", error}});
    } else if (*count > 0) {
      const std::string items = absl::StrCat(*count);
      platform::Log(platform::LogLevel::kInfo, done_, {{"count", items}});
    }
    const absl::Time until = absl::Now() + interval;
    while (!stop.stop_requested() && absl::Now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
}

}  // namespace dps::qualification
