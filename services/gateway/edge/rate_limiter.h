// A token bucket per caller: `rate` requests a second on average, bursts up to `burst`. A caller
// over its rate is told how long to wait (429 with Retry-After) rather than queued, so one busy
// integrator cannot slow everyone else down.
#ifndef DPS_SERVICES_GATEWAY_EDGE_RATE_LIMITER_H_
#define DPS_SERVICES_GATEWAY_EDGE_RATE_LIMITER_H_

#include <string>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "platform/clock/clock.h"

namespace dps::gateway {

class RateLimiter final {
 public:
  RateLimiter(double rate_per_second, double burst, const platform::Clock& clock)
      : rate_(rate_per_second), burst_(burst), clock_(clock) {}

  // Zero when the caller may go ahead (and it is counted); otherwise how long until it may.
  absl::Duration Take(const std::string& caller);

 private:
  struct Bucket {
    double tokens;
    absl::Time updated;
  };
  const double rate_;
  const double burst_;
  const platform::Clock& clock_;
  absl::Mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mutex_);
  absl::Time last_sweep_ ABSL_GUARDED_BY(mutex_) = absl::InfinitePast();
};

}  // namespace dps::gateway

#endif  // DPS_SERVICES_GATEWAY_EDGE_RATE_LIMITER_H_
