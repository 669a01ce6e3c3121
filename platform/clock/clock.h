// Time as a dependency. Code that needs "now" takes a Clock so tests can fix or move time.
// All times are UTC absl::Time.
#ifndef DPS_PLATFORM_CLOCK_CLOCK_H_
#define DPS_PLATFORM_CLOCK_CLOCK_H_

#include <atomic>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace dps::platform {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

// A clock that stands still until told to move. Safe to read from several threads.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start) : now_ns_(absl::ToUnixNanos(start)) {}
  absl::Time Now() const override { return absl::FromUnixNanos(now_ns_.load()); }
  void Set(absl::Time at) { now_ns_.store(absl::ToUnixNanos(at)); }
  void Advance(absl::Duration by) { now_ns_.fetch_add(absl::ToInt64Nanoseconds(by)); }

 private:
  std::atomic<int64_t> now_ns_;
};

}  // namespace dps::platform

#endif  // DPS_PLATFORM_CLOCK_CLOCK_H_
