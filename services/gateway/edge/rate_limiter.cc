#include "services/gateway/edge/rate_limiter.h"

#include <algorithm>

namespace dps::gateway {

absl::Duration RateLimiter::Take(const std::string& caller) {
  const absl::Time now = clock_.Now();
  absl::MutexLock lock(&mutex_);
  // Buckets that have refilled are the same as no bucket: forget them now and then, so callers
  // that come once do not accumulate.
  if (now - last_sweep_ > absl::Minutes(1)) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      const double refilled =
          it->second.tokens + absl::ToDoubleSeconds(now - it->second.updated) * rate_;
      it = refilled >= burst_ ? buckets_.erase(it) : std::next(it);
    }
    last_sweep_ = now;
  }
  auto [it, inserted] = buckets_.try_emplace(caller, Bucket{burst_, now});
  Bucket& bucket = it->second;
  bucket.tokens =
      std::min(burst_, bucket.tokens + absl::ToDoubleSeconds(now - bucket.updated) * rate_);
  bucket.updated = now;
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return absl::ZeroDuration();
  }
  return absl::Seconds((1.0 - bucket.tokens) / rate_);
}

}  // namespace dps::gateway
