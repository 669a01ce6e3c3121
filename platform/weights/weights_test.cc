#include "platform/weights/weights.h"

#include <catch2/catch.hpp>
#include <string>

namespace dps::platform {
namespace {

// The InvalidArgument message of CheckWeights("w", weights).
std::string ErrorOf(const Weights& weights) {
  const absl::Status status = CheckWeights("w", weights);
  REQUIRE(status.code() == absl::StatusCode::kInvalidArgument);
  return std::string(status.message());
}

std::string EarnableErrorOf(const Weights& weights, const Earnable& earnable) {
  const absl::Status status =
      CheckWeightsEarnable("spec.weights", weights, earnable, "the referral");
  REQUIRE(status.code() == absl::StatusCode::kInvalidArgument);
  return std::string(status.message());
}

TEST_CASE("the default weights of docs/rules.md section 6 are valid weights", "[weights]") {
  const Weights defaults;
  CHECK(defaults.price == 50);
  CHECK(defaults.outcomes == 10);
  CHECK(defaults.needs == 10);
  CHECK(defaults.features == 5);
  CHECK(defaults.location == 5);
  CHECK(defaults.core_competency == 20);
  CHECK(CheckWeights("w", defaults).ok());
}

TEST_CASE("each weight is 0 to 100, named under the caller's path", "[weights]") {
  CHECK(ErrorOf({110, -10, 0, 0, 0, 0}) == "w.price: must be between 0 and 100, got 110");
  CHECK(ErrorOf({50, -1, 11, 5, 5, 30}) == "w.outcomes: must be between 0 and 100, got -1");
  CHECK(ErrorOf({50, 20, -5, 10, 5, 20}) == "w.needs: must be between 0 and 100, got -5");
  CHECK(ErrorOf({50, 20, 10, -5, 5, 20}) == "w.features: must be between 0 and 100, got -5");
  CHECK(ErrorOf({50, 20, 10, 5, -5, 20}) == "w.location: must be between 0 and 100, got -5");
  CHECK(ErrorOf({50, 20, 20, 10, 101, -101}) == "w.location: must be between 0 and 100, got 101");
  CHECK(ErrorOf({50, 20, 20, 10, 10, -10}) ==
        "w.core_competency: must be between 0 and 100, got -10");
}

TEST_CASE("the weights sum to exactly 100", "[weights]") {
  CHECK(ErrorOf({50, 10, 10, 5, 5, 19}) == "w: must sum to 100, got 99");
  CHECK(ErrorOf({50, 10, 10, 6, 5, 20}) == "w: must sum to 100, got 101");
  // A broken bound is named before the sum it also breaks.
  CHECK(ErrorOf({75, 10, 10, 5, 5, 20}) == "w.price: must be between 30 and 70, got 75");
  CHECK(ErrorOf({50, 10, 10, 5, 5, 25}) == "w.core_competency: must be between 0 and 20, got 25");
}

TEST_CASE("price is 30 to 70: 50/50 varied at most 20 either way", "[weights]") {
  CHECK(ErrorOf({29, 21, 20, 10, 5, 15}) == "w.price: must be between 30 and 70, got 29");
  CHECK(ErrorOf({71, 4, 5, 5, 5, 10}) == "w.price: must be between 30 and 70, got 71");
  CHECK(ErrorOf({75, 5, 5, 5, 5, 5}) == "w.price: must be between 30 and 70, got 75");
  CHECK(CheckWeights("w", {30, 20, 15, 10, 5, 20}).ok());
  CHECK(CheckWeights("w", {70, 10, 10, 5, 5, 0}).ok());
}

TEST_CASE("core competency is at most 20", "[weights]") {
  CHECK(ErrorOf({50, 5, 5, 5, 5, 30}) == "w.core_competency: must be between 0 and 20, got 30");
  CHECK(ErrorOf({50, 5, 5, 10, 5, 25}) == "w.core_competency: must be between 0 and 20, got 25");
  CHECK(ErrorOf({50, 10, 10, 5, 4, 21}) == "w.core_competency: must be between 0 and 20, got 21");
  CHECK(CheckWeights("w", {50, 10, 15, 10, 15, 0}).ok());
}

TEST_CASE("a weight on something no bid can earn must be 0", "[weights]") {
  CHECK(CheckWeightsEarnable("spec.weights", Weights{}, Earnable{}, "the referral").ok());
  CHECK(EarnableErrorOf({}, {.outcomes = false}) ==
        "spec.weights.outcomes: must be 0 when the referral lists no outcomes sought, got 10");
  CHECK(EarnableErrorOf({}, {.needs = false}) ==
        "spec.weights.needs: must be 0 when the referral lists no needs, got 10");
  CHECK(EarnableErrorOf({}, {.desirable_features = false}) ==
        "spec.weights.features: must be 0 when the referral lists no desirable features, got 5");
  CHECK(EarnableErrorOf({}, {.qualification_score = false}) ==
        "spec.weights.core_competency: must be 0 when qualification is pass/fail only (no "
        "weighted criteria), got 20");
  // With those weights at 0 the same competition is fine.
  const Earnable nothing{
      .needs = false, .desirable_features = false, .outcomes = false, .qualification_score = false};
  CHECK(CheckWeightsEarnable("spec.weights", {70, 0, 0, 0, 30, 0}, nothing, "the referral").ok());
}

TEST_CASE("the bounds are checked before what can be earned", "[weights]") {
  CHECK(EarnableErrorOf({75, 0, 10, 5, 5, 5}, {.outcomes = false}) ==
        "spec.weights.price: must be between 30 and 70, got 75");
}

}  // namespace
}  // namespace dps::platform
