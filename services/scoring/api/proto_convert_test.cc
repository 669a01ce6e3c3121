#include "services/scoring/api/proto_convert.h"

#include <google/protobuf/util/json_util.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <string>

#include "services/scoring/domain/score.h"
#include "services/scoring/domain/testing.h"

namespace dps::scoring {
namespace {

// The worked example as the API carries it (the same file dps-score reads in the README).
v1::EvaluateRequest WorkedExampleRequest() {
  std::ifstream file(DPS_SCORING_TESTDATA "/worked_example.json");
  REQUIRE(file);
  const std::string json((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  v1::EvaluateRequest request;
  REQUIRE(google::protobuf::util::JsonStringToMessage(json, &request).ok());
  return request;
}

std::string ErrorOf(const v1::EvaluateRequest& request) {
  absl::StatusOr<Competition> competition = FromProto(request);
  REQUIRE_FALSE(competition.ok());
  CHECK(competition.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(competition.status().message());
}

v1::EvaluateResponse Respond(const v1::EvaluateRequest& request) {
  absl::StatusOr<Competition> competition = FromProto(request);
  REQUIRE(competition.ok());
  absl::StatusOr<Evaluation> evaluation = Evaluate(*competition);
  REQUIRE(evaluation.ok());
  v1::EvaluateResponse response;
  ToProto(*competition, *evaluation, &response);
  return response;
}

TEST_CASE("the worked example round-trips through the API", "[proto]") {
  const v1::EvaluateResponse response = Respond(WorkedExampleRequest());
  REQUIRE(response.bids_size() == 4);
  CHECK(response.ranking_status() == v1::RANKING_STATUS_FINAL);
  CHECK(response.lowest_evaluated_weekly_price_pence() == 380'000);
  CHECK(response.compliant_bid_count() == 2);
  CHECK(response.excluded_bid_count() == 2);
  REQUIRE(response.parental_choice_bid_ids_size() == 2);
  CHECK(response.parental_choice_bid_ids(0) == "A");
  CHECK(response.parental_choice_bid_ids(1) == "B");
  CHECK(response.parental_choice_required());

  const v1::ScoredBid& a = response.bids(0);
  CHECK(a.bid_id() == "A");
  CHECK(a.rank() == 1);
  const v1::ScoreBreakdown& scores = a.scores();
  CHECK(FormatPoints(scores.total()) == "83.19");
  CHECK(FormatPoints(scores.price_points()) == "44.19");
  CHECK(scores.price_weight() == 50);
  CHECK(scores.evaluated_weekly_price_pence() == 430'000);
  CHECK(scores.lowest_evaluated_weekly_price_pence() == 380'000);
  CHECK(scores.outcomes_points() == 8.0);
  CHECK(scores.outcomes_mean_score() == 4.0);
  REQUIRE(scores.evaluator_scores_size() == 1);
  CHECK(scores.miles_hundredths() == 682);
  CHECK(scores.band() == 5);
  CHECK(scores.location_points() == 5.0);
  CHECK(scores.needs_marks_met() == 3);
  CHECK(scores.needs_marks_total() == 4);
  CHECK(scores.needs_points() == 7.5);
  CHECK(scores.needs_met() == 0b011);              // N1 N2
  CHECK(scores.desirable_features_met() == 0b01);  // halal-diet
  CHECK(scores.features_marks_met() == 1);
  CHECK(scores.features_marks_total() == 2);
  CHECK(scores.features_points() == 2.5);
  CHECK(scores.core_competency_points() == 16.0);
  CHECK(scores.qualification_score() == 80.0);
  const v1::EvaluatedPrice& price = a.price();
  CHECK(price.quoted_core_fee_pence() == 400'000);
  CHECK(price.core_weekly_fee_pence() == 400'000);
  CHECK(price.discount_pence() == 0);
  REQUIRE(price.additional_services_size() == 1);
  CHECK(price.additional_services(0).period_cost_pence() == 30'000);
  CHECK(price.additional_services(0).weekly_cost_pence() == 30'000);
  CHECK(price.additional_services_weekly_pence() == 30'000);
  CHECK(price.evaluated_weekly_price_pence() == 430'000);
  CHECK(price.quoted_ceiling_fee_pence() == 450'000);
  CHECK_FALSE(price.fee_above_ceiling());

  const v1::ScoredBid& b = response.bids(1);
  CHECK(b.bid_id() == "B");
  CHECK(FormatPoints(b.scores().total()) == "83.00");
  CHECK(b.scores().miles_hundredths() == 1993);
  CHECK(b.scores().band() == 4);

  const v1::ScoredBid& c = response.bids(2);
  CHECK(c.bid_id() == "C");
  CHECK_FALSE(c.compliant());
  CHECK_FALSE(c.has_scores());
  CHECK(c.rank() == 0);
  REQUIRE(c.exclusion_reasons_size() == 1);
  CHECK(c.exclusion_reasons(0).code() == v1::EXCLUSION_CODE_ABOVE_CEILING);
  CHECK(c.price().fee_above_ceiling());
  CHECK(c.price().evaluated_weekly_price_pence() == 420'000);  // shown even when excluded

  const v1::ScoredBid& d = response.bids(3);
  CHECK(d.bid_id() == "D");
  CHECK(d.exclusion_reasons(0).code() == v1::EXCLUSION_CODE_MISSING_MUST_HAVE_FEATURE);
}

TEST_CASE("the API and the domain agree on the worked example", "[proto]") {
  absl::StatusOr<Competition> from_api = FromProto(WorkedExampleRequest());
  REQUIRE(from_api.ok());
  const Competition expected = testing::WorkedExample();
  REQUIRE(from_api->bids.size() == expected.bids.size());
  for (size_t i = 0; i < expected.bids.size(); ++i) {
    CHECK(from_api->bids[i].id == expected.bids[i].id);
    CHECK(from_api->bids[i].core_fee_pence == expected.bids[i].core_fee_pence);
    CHECK(from_api->bids[i].submitted_at == expected.bids[i].submitted_at);
    CHECK(from_api->bids[i].needs_met == expected.bids[i].needs_met);
    CHECK(from_api->bids[i].must_have_met == expected.bids[i].must_have_met);
    CHECK(from_api->bids[i].desirable_met == expected.bids[i].desirable_met);
  }
}

TEST_CASE("API defaults: weights, sibling group, permanence, parental choice", "[proto]") {
  v1::EvaluateRequest request = WorkedExampleRequest();
  request.clear_weights();
  request.mutable_parental_choice()->set_max_bids(0);
  request.mutable_parental_choice()->set_within_points(0);
  absl::StatusOr<Competition> competition = FromProto(request);
  REQUIRE(competition.ok());
  CHECK(competition->weights.price == 50);
  CHECK(competition->weights.core_competency == 20);
  CHECK(competition->sibling_group_size == 1);
  CHECK(competition->discount_rates.permanence_min_months == 9);
  CHECK(competition->parental_choice.max_bids == 3);
  CHECK(competition->parental_choice.within_points == 5.0);
  CHECK(competition->price_basis == PriceBasis::kWeekly);

  // The response says what was applied, so a reader need not know the defaults.
  request.set_price_basis(dps::common::v1::PRICE_BASIS_UNSPECIFIED);
  const v1::EvaluateResponse response = Respond(request);
  CHECK(response.weights().price() == 50);
  CHECK(response.weights().outcomes() == 10);
  CHECK(response.weights().core_competency() == 20);
  CHECK(response.price_basis() == dps::common::v1::PRICE_BASIS_WEEKLY);
  CHECK(response.ceiling_mode() == dps::common::v1::CEILING_MODE_HARD);
}

TEST_CASE("the API refuses what the domain cannot express", "[proto]") {
  v1::EvaluateRequest request = WorkedExampleRequest();
  request.clear_child_location();
  CHECK(ErrorOf(request) == "child_location: required");

  request = WorkedExampleRequest();
  request.set_ceiling_mode(dps::common::v1::CEILING_MODE_UNSPECIFIED);
  CHECK(ErrorOf(request) ==
        "ceiling_mode: must be CEILING_MODE_HARD or CEILING_MODE_INDICATIVE, got 0");

  request = WorkedExampleRequest();
  request.mutable_bids(2)->clear_core_fee_pence();
  CHECK(ErrorOf(request) == "bids[2].core_fee_pence: required");

  request = WorkedExampleRequest();
  request.mutable_bids(1)->clear_submitted_at();
  CHECK(ErrorOf(request) == "bids[1].submitted_at: required");

  request = WorkedExampleRequest();
  request.mutable_bids(0)->clear_establishment_latitude();
  CHECK(ErrorOf(request) == "bids[0].establishment_latitude: required");

  request = WorkedExampleRequest();
  request.mutable_bids(2)->clear_establishment_longitude();
  CHECK(ErrorOf(request) == "bids[2].establishment_longitude: required");

  request = WorkedExampleRequest();
  request.mutable_bids(3)->clear_ceiling_fee_pence();
  CHECK(ErrorOf(request) == "bids[3].ceiling_fee_pence: required");

  request = WorkedExampleRequest();
  request.mutable_bids(0)->mutable_submitted_at()->set_nanos(-1);
  CHECK(ErrorOf(request) == "bids[0].submitted_at: not a valid timestamp");
}

TEST_CASE("a provisional ranking names the bids awaiting outcome scores", "[proto]") {
  v1::EvaluateRequest request = WorkedExampleRequest();
  request.mutable_bids(1)->clear_outcome_scores();
  const v1::EvaluateResponse response = Respond(request);
  CHECK(response.ranking_status() == v1::RANKING_STATUS_PROVISIONAL);
  REQUIRE(response.bids_awaiting_outcome_scores_size() == 1);
  CHECK(response.bids_awaiting_outcome_scores(0) == "B");
  CHECK(response.bids(1).scores().outcomes_pending());
}

TEST_CASE("points display rounds to 2 dp", "[proto]") {
  CHECK(FormatPoints(83.0) == "83.00");
  CHECK(FormatPoints(50.0 * 3800 / 4300 + 39) == "83.19");
  CHECK(FormatPoints(0.0) == "0.00");
}

}  // namespace
}  // namespace dps::scoring
