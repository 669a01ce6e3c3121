// What every server timer (a referral's response deadline, evidence expiry) reports, so that an
// operator sees a timer that fails or has stopped running:
//
//   dps_timer_runs_total{timer}                      ticks run
//   dps_timer_processed_total{timer}                 items done (referrals closed, evidence
//   expired) dps_timer_failures_total{timer}                  ticks that failed, and items a tick
//   could not do dps_timer_last_success_timestamp_seconds{timer}  end of the last tick with no
//   failure (Unix time)
//
// A default-constructed TimerMetrics counts nothing (for tests that need no registry).
#ifndef DPS_PLATFORM_METRICS_TIMER_METRICS_H_
#define DPS_PLATFORM_METRICS_TIMER_METRICS_H_

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <string_view>

#include "absl/time/time.h"

namespace dps::platform {

class TimerMetrics final {
 public:
  TimerMetrics() = default;
  TimerMetrics(prometheus::Registry& registry, std::string_view timer);

  void Ran() const {
    if (runs_ != nullptr) runs_->Increment();
  }
  void Processed(int count) const {
    if (processed_ != nullptr) processed_->Increment(count);
  }
  void Failed(int count = 1) const {
    if (failures_ != nullptr) failures_->Increment(count);
  }
  void Succeeded(absl::Time at) const {
    if (last_success_ != nullptr) last_success_->Set(absl::ToDoubleSeconds(at - absl::UnixEpoch()));
  }

 private:
  prometheus::Counter* runs_ = nullptr;
  prometheus::Counter* processed_ = nullptr;
  prometheus::Counter* failures_ = nullptr;
  prometheus::Gauge* last_success_ = nullptr;
};

}  // namespace dps::platform

#endif  // DPS_PLATFORM_METRICS_TIMER_METRICS_H_
