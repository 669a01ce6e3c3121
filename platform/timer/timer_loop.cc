#include "platform/timer/timer_loop.h"

#include <chrono>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "platform/log/log.h"

namespace dps::platform {

absl::StatusOr<TimerTick> RunTimerTick(const TimerMetrics& metrics, const TimerLog& log,
                                       const TimerBody& tick) {
  metrics.Ran();
  absl::StatusOr<TimerTick> ran = tick();
  if (!ran.ok()) {
    metrics.Failed();
    Log(LogLevel::kError, log.failed, {{"error", ran.status().ToString()}});
    return ran;
  }
  metrics.Processed(ran->done);
  if (ran->failed > 0) {
    metrics.Failed(ran->failed);
  } else {
    // /metrics tells real time, whatever time the rules are given (service/runtime.h).
    metrics.Succeeded(absl::Now());
  }
  if (ran->done > 0) Log(LogLevel::kInfo, log.done, {{"count", absl::StrCat(ran->done)}});
  return ran;
}

void RunEvery(const std::stop_token& stop, absl::Duration interval) {
  const absl::Time until = absl::Now() + interval;
  while (!stop.stop_requested() && absl::Now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void RunTimer(std::stop_token stop, absl::Duration interval, const TimerMetrics& metrics,
              const TimerLog& log, const TimerBody& tick) {
  while (!stop.stop_requested()) {
    (void)RunTimerTick(metrics, log, tick);
    RunEvery(stop, interval);
  }
}

}  // namespace dps::platform
