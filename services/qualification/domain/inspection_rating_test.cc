#include "services/qualification/domain/inspection_rating.h"

#include <catch2/catch.hpp>

namespace dps::qualification {
namespace {

TEST_CASE("an inspection older than the current rating's does not replace it",
          "[inspection_rating]") {
  const absl::CivilDay current(2026, 3, 2);
  CHECK(IsOlderInspection(absl::CivilDay(2026, 3, 1), current));
  CHECK(IsOlderInspection(absl::CivilDay(2025, 11, 20), current));
  CHECK_FALSE(IsOlderInspection(absl::CivilDay(2026, 3, 3), current));

  SECTION("the same day replaces it: a grade corrected after a challenge") {
    CHECK_FALSE(IsOlderInspection(absl::CivilDay(2026, 3, 2), current));
  }
  SECTION("an undated one (not yet inspected) never replaces a dated one") {
    CHECK(IsOlderInspection(std::nullopt, current));
  }
  SECTION("anything replaces an undated current rating, and the first rating replaces nothing") {
    CHECK_FALSE(IsOlderInspection(absl::CivilDay(2020, 1, 1), std::nullopt));
    CHECK_FALSE(IsOlderInspection(std::nullopt, std::nullopt));
  }
}

}  // namespace
}  // namespace dps::qualification
