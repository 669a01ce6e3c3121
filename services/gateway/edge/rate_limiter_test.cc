#include "services/gateway/edge/rate_limiter.h"

#include <catch2/catch.hpp>

namespace dps::gateway {
namespace {

TEST_CASE("A caller may burst, then goes at its rate, and callers are apart") {
  platform::FakeClock clock(absl::FromUnixSeconds(1'800'000'000));
  RateLimiter limiter(/*rate_per_second=*/2, /*burst=*/3, clock);
  for (int i = 0; i < 3; ++i) CHECK(limiter.Take("a") == absl::ZeroDuration());
  CHECK(limiter.Take("a") == absl::Milliseconds(500));
  CHECK(limiter.Take("b") == absl::ZeroDuration());  // another caller has its own bucket
  clock.Advance(absl::Milliseconds(500));
  CHECK(limiter.Take("a") == absl::ZeroDuration());
  CHECK(limiter.Take("a") == absl::Milliseconds(500));
  clock.Advance(absl::Seconds(60));  // refilled, never past the burst
  for (int i = 0; i < 3; ++i) CHECK(limiter.Take("a") == absl::ZeroDuration());
  CHECK(limiter.Take("a") > absl::ZeroDuration());
}

}  // namespace
}  // namespace dps::gateway
