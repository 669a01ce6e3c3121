// What every qualification timer is: RunOnce does what has fallen due by the clock and says how
// many items it did; Run repeats it every interval until stopped, in the platform's one timer
// loop (platform/timer/timer_loop.h), so every service's timers report alike.
#ifndef DPS_SERVICES_QUALIFICATION_TIMERS_TICKS_H_
#define DPS_SERVICES_QUALIFICATION_TIMERS_TICKS_H_

#include <stop_token>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "platform/clock/clock.h"
#include "platform/metrics/timer_metrics.h"
#include "platform/pg/pool.h"
#include "platform/timer/timer_loop.h"

namespace dps::qualification {

class PeriodicTimer {
 public:
  virtual ~PeriodicTimer() = default;

  // Does what is due by the clock now; returns how many items it did.
  virtual absl::StatusOr<int> RunOnce() = 0;

  // RunOnce every `interval` until stopped.
  void Run(std::stop_token stop, absl::Duration interval);

 protected:
  // `done` is the log line of a tick that did something ("evidence expired"), `failed` that of
  // one that failed ("evidence expiry failed").
  PeriodicTimer(platform::PgPool& pool, const platform::Clock& clock,
                platform::TimerMetrics metrics, absl::string_view done, absl::string_view failed)
      : pool_(pool),
        clock_(clock),
        metrics_(metrics),
        log_{std::string(done), std::string(failed)} {}

  platform::PgPool& pool_;
  const platform::Clock& clock_;

 private:
  platform::TimerMetrics metrics_;
  platform::TimerLog log_;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_TIMERS_TICKS_H_
