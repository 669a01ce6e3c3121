#include "services/scoring/domain/validate.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "services/scoring/domain/price.h"
#include "services/scoring/domain/score.h"
#include "services/scoring/domain/testing.h"

namespace dps::scoring {
namespace {

using testing::WorkedExample;

// The status message of validating `competition`, which must be INVALID_ARGUMENT.
std::string ErrorOf(const Competition& competition, const Limits& limits = {}) {
  const absl::Status result = ValidateCompetition(competition, limits);
  REQUIRE_FALSE(result.ok());
  CHECK(result.code() == absl::StatusCode::kInvalidArgument);
  return std::string(result.message());
}

TEST_CASE("the worked example is valid", "[validate]") {
  CHECK(ValidateCompetition(WorkedExample(), {}).ok());
}

TEST_CASE("weights must sum to 100", "[validate]") {
  Competition c = WorkedExample();
  c.weights.outcomes = 5;
  CHECK(ErrorOf(c) == "weights: must sum to 100, got 95");
}

TEST_CASE("price weight must be 30 to 70", "[validate]") {
  Competition c = WorkedExample();
  c.weights = {80, 0, 10, 5, 5, 0};
  CHECK(ErrorOf(c) == "weights.price: must be between 30 and 70, got 80");
  c.weights = {29, 21, 20, 5, 5, 20};
  CHECK(ErrorOf(c) == "weights.price: must be between 30 and 70, got 29");
}

TEST_CASE("core competency weight must be at most 20", "[validate]") {
  Competition c = WorkedExample();
  c.weights = {50, 10, 10, 5, 4, 21};
  CHECK(ErrorOf(c) == "weights.core_competency: must be between 0 and 20, got 21");
}

TEST_CASE("no weight may be negative", "[validate]") {
  Competition c = WorkedExample();
  c.weights = {50, 20, 10, 5, -5, 20};
  CHECK(ErrorOf(c) == "weights.location: must be between 0 and 100, got -5");
}

TEST_CASE("a weight on an empty list is invalid", "[validate]") {
  Competition c = WorkedExample();
  c.needs.clear();
  for (Bid& bid : c.bids) bid.needs_met = 0;
  CHECK(ErrorOf(c) == "weights.needs: must be 0 when the referral lists no needs, got 10");

  c = WorkedExample();
  c.desirable_features.clear();
  for (Bid& bid : c.bids) bid.desirable_met = 0;
  CHECK(ErrorOf(c) ==
        "weights.features: must be 0 when the referral lists no desirable features, got 5");
}

TEST_CASE("latitude and longitude must be in range", "[validate]") {
  Competition c = WorkedExample();
  c.child_location.latitude = 91;
  CHECK(ErrorOf(c) == "child_location.latitude: must be between -90 and 90, got 91");
  c = WorkedExample();
  c.child_location.longitude = -180.5;
  CHECK(ErrorOf(c) == "child_location.longitude: must be between -180 and 180, got -180.5");
  c = WorkedExample();
  c.bids[1].establishment_location.latitude = std::numeric_limits<double>::quiet_NaN();
  CHECK(ErrorOf(c) == "bids[1].establishment_latitude: must be between -90 and 90, got nan");
  c = WorkedExample();
  c.bids[2].establishment_location.longitude = 200;
  CHECK(ErrorOf(c) == "bids[2].establishment_longitude: must be between -180 and 180, got 200");
}

TEST_CASE("money must not be negative", "[validate]") {
  Competition c = WorkedExample();
  c.bids[1].core_fee_pence = -1;
  CHECK(ErrorOf(c) == "bids[1].core_fee_pence: must not be negative, got -1");
  c = WorkedExample();
  c.bids[0].ceiling_fee_pence = -450'000;
  CHECK(ErrorOf(c) == "bids[0].ceiling_fee_pence: must not be negative, got -450000");
  c = WorkedExample();
  c.bids[0].additional_services[0].rate_pence = -3'000;
  CHECK(ErrorOf(c) == "bids[0].additional_services[0].rate_pence: must not be negative, got -3000");
  c = WorkedExample();
  c.bids[0].additional_services[0].units = -10;
  CHECK(ErrorOf(c) ==
        "bids[0].additional_services[0].units: must be between 0 and 100000, got -10");
}

TEST_CASE("money is bounded so arithmetic cannot overflow", "[validate]") {
  Competition c = WorkedExample();
  c.bids[3].core_fee_pence = kMaxPence + 1;
  CHECK(ErrorOf(c) ==
        "bids[3].core_fee_pence: must be at most 100000000000 pence, got 100000000001");
}

TEST_CASE("a bid may claim only needs and features the referral lists", "[validate]") {
  Competition c = WorkedExample();
  c.bids[1].needs_met |= uint64_t{1} << 3;  // the referral lists three needs: bits 0 to 2
  CHECK(ErrorOf(c) ==
        "bids[1].needs_met: may set only bits 0 to 2 (the referral lists 3 needs); got bit 3");
  c = WorkedExample();
  c.bids[1].needs_met = uint64_t{1} << 63;
  CHECK(ErrorOf(c) ==
        "bids[1].needs_met: may set only bits 0 to 2 (the referral lists 3 needs); got bit 63");
  c = WorkedExample();
  c.bids[0].must_have_met = 0b10;
  CHECK(ErrorOf(c) ==
        "bids[0].must_have_features_met: may set only bits 0 to 0 (the referral lists 1 "
        "must-have features); got bit 1");
  c = WorkedExample();
  c.bids[2].desirable_met = 0b111;
  CHECK(ErrorOf(c) ==
        "bids[2].desirable_features_met: may set only bits 0 to 1 (the referral lists 2 "
        "desirable features); got bit 2");
  c = WorkedExample();
  c.must_have_features.clear();
  CHECK(ErrorOf(c) ==
        "bids[0].must_have_features_met: the referral lists no must-have features, so no bit "
        "may be set; got bit 0");
}

TEST_CASE("a list of 64 codes may be claimed in full", "[validate]") {
  Competition c = WorkedExample();
  c.weights = {50, 10, 10, 5, 5, 20};
  c.needs.clear();
  for (int i = 0; i < 64; ++i) c.needs.push_back({absl::StrCat("N", i), 1});
  for (Bid& bid : c.bids) bid.needs_met = ~uint64_t{0};
  const absl::StatusOr<Evaluation> evaluation = Evaluate(c);
  REQUIRE(evaluation.ok());
  CHECK(evaluation->bids[0].needs_marks_met == 64);
  CHECK(evaluation->bids[0].points.needs == 10.0);
}

TEST_CASE("bid ids must be present and unique", "[validate]") {
  Competition c = WorkedExample();
  c.bids[3].id = "B";
  CHECK(ErrorOf(c) == "bids[3].id: duplicate bid id \"B\"");
  c = WorkedExample();
  c.bids[2].id = "";
  CHECK(ErrorOf(c) == "bids[2].id: must not be empty");
}

TEST_CASE("outcome scores must be 0 to 5", "[validate]") {
  Competition c = WorkedExample();
  c.bids[1].outcome_scores = {3, 6};
  CHECK(ErrorOf(c) == "bids[1].outcome_scores[1]: must be between 0 and 5, got 6");
  c.bids[1].outcome_scores = {-1};
  CHECK(ErrorOf(c) == "bids[1].outcome_scores[0]: must be between 0 and 5, got -1");
}

TEST_CASE("qualification score must be 0 to 100", "[validate]") {
  Competition c = WorkedExample();
  c.bids[0].qualification_score = 100.5;
  CHECK(ErrorOf(c) == "bids[0].qualification_score: must be between 0 and 100, got 100.5");
}

TEST_CASE("the number of bids is limited", "[validate]") {
  Competition c = WorkedExample();
  CHECK(ErrorOf(c, Limits{3}) == "bids: must have at most 3 bids, got 4");
  CHECK(ValidateCompetition(c, Limits{4}).ok());
  // The default limit is 10,000.
  while (c.bids.size() <= 10'000) {
    Bid bid = c.bids[1];
    bid.id = absl::StrCat("X", c.bids.size());
    c.bids.push_back(std::move(bid));
  }
  CHECK(ErrorOf(c) == "bids: must have at most 10000 bids, got 10001");
  c.bids.pop_back();
  CHECK(ValidateCompetition(c, {}).ok());
}

TEST_CASE("referral lists must be well formed", "[validate]") {
  Competition c = WorkedExample();
  c.needs[2].marks = 0;
  CHECK(ErrorOf(c) == "needs[2].marks: must be between 1 and 1000, got 0");
  c = WorkedExample();
  c.needs[1].code = "N1";
  CHECK(ErrorOf(c) == "needs[1].code: code \"N1\" is listed twice");
  c = WorkedExample();
  c.must_have_features.push_back("");
  CHECK(ErrorOf(c) == "must_have_features[1]: must not be empty");
  c = WorkedExample();
  c.desirable_features[1].marks = -2;
  CHECK(ErrorOf(c) == "desirable_features[1].marks: must be between 1 and 1000, got -2");
  c = WorkedExample();
  for (int i = 3; i < 65; ++i) c.needs.push_back({absl::StrCat("N", i + 1), 1});
  CHECK(ErrorOf(c) == "needs: must list at most 64 codes, got 65");
}

TEST_CASE("terms must be in range", "[validate]") {
  Competition c = WorkedExample();
  c.discount_rates.sibling_basis_points = -500;
  CHECK(ErrorOf(c) == "discount_rates.sibling_basis_points: must be between 0 and 10000, got -500");
  c = WorkedExample();
  c.discount_rates = {6'000, 5'000, 9};
  CHECK(ErrorOf(c) ==
        "discount_rates: sibling and permanence discounts together must not exceed "
        "10000 basis points, got 11000");
  c = WorkedExample();
  c.sibling_group_size = 0;
  CHECK(ErrorOf(c) == "sibling_group_size: must be at least 1, got 0");
  c = WorkedExample();
  c.planned_duration_months = -1;
  CHECK(ErrorOf(c) == "planned_duration_months: must not be negative, got -1");
  c = WorkedExample();
  c.parental_choice.max_bids = 0;
  CHECK(ErrorOf(c) == "parental_choice.max_bids: must be at least 1 when enabled, got 0");
  c = WorkedExample();
  c.parental_choice.within_points = -1;
  CHECK(ErrorOf(c) == "parental_choice.within_points: must be between 0 and 100, got -1");
}

}  // namespace
}  // namespace dps::scoring
