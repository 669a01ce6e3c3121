// The one loop every service's timers run in (a referral's response deadline, a block's period,
// evidence expiry, a system's closing, a placement's start and end): a tick does what has fallen
// due by the clock, and the loop counts it on /metrics, logs what it did or why it failed, and
// runs it again after the interval. A failed tick, or one that could not do some of its items, is
// retried at the next: the schedule is the data, so nothing is lost by a failure or a restart.
#ifndef DPS_PLATFORM_TIMER_TIMER_LOOP_H_
#define DPS_PLATFORM_TIMER_TIMER_LOOP_H_

#include <functional>
#include <stop_token>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/metrics/timer_metrics.h"

namespace dps::platform {

// What one tick did: the items done, and the items it could not do (each logged by the tick with
// its id).
struct TimerTick {
  int done = 0;
  int failed = 0;
};

// How a timer's ticks are logged: `done` for a tick that did something ("evidence expired", with
// the count), `failed` for one that could not run at all ("evidence expiry failed", with why).
struct TimerLog {
  std::string done;
  std::string failed;
};

using TimerBody = std::function<absl::StatusOr<TimerTick>()>;

// Runs `tick` once: a run counted, then its items done, its failures (an error counts as one),
// and, when nothing failed, the last clean tick in real time; what it did or why it failed
// logged. Returns what `tick` returned.
absl::StatusOr<TimerTick> RunTimerTick(const TimerMetrics& metrics, const TimerLog& log,
                                       const TimerBody& tick);

// Sleeps for `interval`, or less when stop is requested; for workers that run every so often.
void RunEvery(const std::stop_token& stop, absl::Duration interval);

// RunTimerTick every `interval` until `stop` is requested; a stop cuts the wait short.
void RunTimer(std::stop_token stop, absl::Duration interval, const TimerMetrics& metrics,
              const TimerLog& log, const TimerBody& tick);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_TIMER_TIMER_LOOP_H_
