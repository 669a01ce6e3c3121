#include "services/qualification/domain/evidence.h"

#include <catch2/catch.hpp>

namespace dps::qualification {
namespace {

Evidence Certificate(std::string id, std::optional<absl::CivilDay> expires_on) {
  return {.id = std::move(id),
          .provider_id = "provider-a",
          .establishment_id = "est-1",
          .criterion_id = "insurance",
          .expires_on = expires_on};
}

TEST_CASE("evidence lasting longer renews the provider's earlier evidence for the same criterion",
          "[evidence]") {
  const Evidence earlier = Certificate("old", absl::CivilDay(2027, 3, 31));
  CHECK(Renews(Certificate("new", absl::CivilDay(2028, 3, 31)), earlier));
  // Evidence that does not expire outlasts any that does.
  CHECK(Renews(Certificate("new", std::nullopt), earlier));

  SECTION("not when it runs out on the same day or sooner") {
    CHECK_FALSE(Renews(Certificate("new", absl::CivilDay(2027, 3, 31)), earlier));
    CHECK_FALSE(Renews(Certificate("new", absl::CivilDay(2027, 1, 31)), earlier));
  }
  SECTION("not evidence that never expires, nor evidence no longer in force") {
    CHECK_FALSE(
        Renews(Certificate("new", absl::CivilDay(2028, 3, 31)), Certificate("old", std::nullopt)));
    Evidence expired = earlier;
    expired.in_force = false;
    CHECK_FALSE(Renews(Certificate("new", absl::CivilDay(2028, 3, 31)), expired));
  }
  SECTION("not another provider's, criterion's or establishment's, nor itself") {
    Evidence other = Certificate("new", absl::CivilDay(2028, 3, 31));
    other.provider_id = "provider-b";
    CHECK_FALSE(Renews(other, earlier));
    other = Certificate("new", absl::CivilDay(2028, 3, 31));
    other.criterion_id = "registration";
    CHECK_FALSE(Renews(other, earlier));
    other = Certificate("new", absl::CivilDay(2028, 3, 31));
    other.establishment_id = "";  // the provider as a whole is not this establishment
    CHECK_FALSE(Renews(other, earlier));
    CHECK_FALSE(Renews(earlier, earlier));
  }
}

}  // namespace
}  // namespace dps::qualification
