#include "services/qualification/domain/system_lifecycle.h"

#include <catch2/catch.hpp>
#include <string>

namespace dps::qualification {
namespace {

// The refusal's message; every refusal here is FailedPrecondition.
std::string Refusal(const absl::Status& status) {
  REQUIRE_FALSE(status.ok());
  CHECK(status.code() == absl::StatusCode::kFailedPrecondition);
  return std::string(status.message());
}

TEST_CASE("a system moves DRAFT to LIVE to CLOSED and never back", "[system_lifecycle]") {
  CHECK(CheckStateMove(SystemState::kDraft, SystemState::kLive).ok());
  CHECK(CheckStateMove(SystemState::kLive, SystemState::kClosed).ok());
  CHECK(Refusal(CheckStateMove(SystemState::kDraft, SystemState::kClosed)) ==
        "purchasing system: cannot move from DRAFT to CLOSED");
  CHECK(Refusal(CheckStateMove(SystemState::kLive, SystemState::kDraft)) ==
        "purchasing system: cannot move from LIVE to DRAFT");
  CHECK(Refusal(CheckStateMove(SystemState::kClosed, SystemState::kLive)) ==
        "purchasing system: cannot move from CLOSED to LIVE");
  CHECK(Refusal(CheckStateMove(SystemState::kLive, SystemState::kLive)) ==
        "purchasing system: cannot move from LIVE to LIVE");
  CHECK_FALSE(CheckStateMove(SystemState::kClosed, SystemState::kClosed).ok());
}

TEST_CASE("a CLOSED system is read-only", "[system_lifecycle]") {
  CHECK(CheckMayEdit(SystemState::kDraft, "cannot add a lot").ok());
  CHECK(CheckMayEdit(SystemState::kLive, "cannot add a lot").ok());
  CHECK(Refusal(CheckMayEdit(SystemState::kClosed, "cannot add a lot")) ==
        "purchasing system: cannot add a lot: a CLOSED system is read-only");
}

TEST_CASE("the regime is fixed once the system is LIVE", "[system_lifecycle]") {
  CHECK(CheckRegimeChange(SystemState::kDraft, Regime::kPcr2015Dps, Regime::kLightTouch).ok());
  CHECK(CheckRegimeChange(SystemState::kLive, Regime::kLightTouch, Regime::kLightTouch).ok());
  CHECK(Refusal(CheckRegimeChange(SystemState::kLive, Regime::kPcr2015Dps,
                                  Regime::kPa2023DynamicMarket)) ==
        "purchasing system: the regime is fixed once the system is LIVE: it stays PCR2015_DPS");
  CHECK_FALSE(
      CheckRegimeChange(SystemState::kClosed, Regime::kLightTouch, Regime::kPcr2015Dps).ok());
}

TEST_CASE("membership conditions change once LIVE only where the regime's table allows",
          "[system_lifecycle]") {
  for (Regime regime : {Regime::kPcr2015Dps, Regime::kLightTouch, Regime::kPa2023DynamicMarket}) {
    INFO(RegimeName(regime));
    CHECK(CheckConditionsMayChange(SystemState::kDraft, regime, "criteria").ok());
  }
  CHECK(CheckConditionsMayChange(SystemState::kLive, Regime::kLightTouch, "criteria").ok());
  CHECK(Refusal(CheckConditionsMayChange(SystemState::kLive, Regime::kPcr2015Dps, "criteria")) ==
        "purchasing system: criteria are fixed once the system is LIVE under PCR2015_DPS");
  CHECK(Refusal(CheckConditionsMayChange(SystemState::kLive, Regime::kPa2023DynamicMarket,
                                         "a lot's commercial terms")) ==
        "purchasing system: a lot's commercial terms are fixed once the system is LIVE under "
        "PA2023_DYNAMIC_MARKET");
}

}  // namespace
}  // namespace dps::qualification
