#include "services/referral/domain/evaluation.h"

#include <catch2/catch.hpp>

#include "services/referral/domain/test_fixtures.h"

namespace dps::referral {
namespace {

using testing::Message;
using testing::Now;
using testing::PcrLot;
using testing::Published;
using testing::Utc;

Referral ClosedWithEvaluators() {
  Referral referral = Published(PcrLot());
  REQUIRE(AssignOutcomeEvaluators(referral, {"eval-a", "eval-b"}) == absl::OkStatus());
  REQUIRE(Close(referral, "response deadline", Utc(2027, 3, 15, 17)) == absl::OkStatus());
  return referral;
}

TEST_CASE(
    "outcome evaluators are a non-empty list without repeats, set before the ranking is final") {
  Referral referral = Published(PcrLot());
  CHECK(Message(AssignOutcomeEvaluators(referral, {})) ==
        "evaluator_user_ids: at least one required");
  CHECK(Message(AssignOutcomeEvaluators(referral, {"eval-a", "eval-a"})) ==
        "evaluator_user_ids[1]: 'eval-a' is listed twice");
  CHECK(Message(AssignOutcomeEvaluators(referral, {"eval-a", ""})) ==
        "evaluator_user_ids[1]: required");
  CHECK(referral.outcome_evaluator_user_ids.empty());
  REQUIRE(AssignOutcomeEvaluators(referral, {"eval-a"}) == absl::OkStatus());
  CHECK(referral.outcome_evaluator_user_ids == std::vector<std::string>{"eval-a"});

  REQUIRE(Close(referral, "deadline", Utc(2027, 3, 15, 17)) == absl::OkStatus());
  REQUIRE(RecordRanking(referral, {true, false, {}}, Utc(2027, 3, 16)) == absl::OkStatus());
  const absl::Status late = AssignOutcomeEvaluators(referral, {"eval-b"});
  CHECK(late.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(late) == "referral: cannot assign evaluators to a referral that is EVALUATED");
}

TEST_CASE("an assigned evaluator scores an answer 0 to 5 while the referral is CLOSED") {
  Referral referral = ClosedWithEvaluators();
  std::vector<OutcomeScore> scores;
  const absl::Time at = Utc(2027, 3, 16);
  CHECK(Message(ScoreOutcomeAnswer(scores, referral, "eval-a", 6, "", at)) ==
        "score: must be 0 to 5, got 6");
  CHECK(Message(ScoreOutcomeAnswer(scores, referral, "eval-a", -1, "", at)) ==
        "score: must be 0 to 5, got -1");
  const absl::Status stranger = ScoreOutcomeAnswer(scores, referral, "eval-z", 3, "", at);
  CHECK(stranger.code() == absl::StatusCode::kPermissionDenied);
  CHECK(Message(stranger) == "evaluator: not assigned to this referral's outcomes");
  CHECK(scores.empty());

  REQUIRE(ScoreOutcomeAnswer(scores, referral, "eval-a", 3, "clear plan", at) == absl::OkStatus());
  REQUIRE(ScoreOutcomeAnswer(scores, referral, "eval-a", 4, "on reflection", at) ==
          absl::OkStatus());
  REQUIRE(scores.size() == 1);
  CHECK(scores[0].score == 4);
  CHECK(scores[0].comment == "on reflection");

  const Referral open = Published(PcrLot());
  CHECK(Message(ScoreOutcomeAnswer(scores, open, "eval-a", 3, "", at)) ==
        "referral: outcome answers are scored while it is CLOSED; it is OPEN");
}

TEST_CASE("a bid's outcome scores reach the engine only when every evaluator has scored it") {
  Referral referral = ClosedWithEvaluators();
  std::vector<OutcomeScore> scores;
  const absl::Time at = Utc(2027, 3, 16);
  REQUIRE(ScoreOutcomeAnswer(scores, referral, "eval-b", 2, "", at) == absl::OkStatus());
  CHECK(OutcomeScoresForRanking(scores, referral).empty());
  REQUIRE(ScoreOutcomeAnswer(scores, referral, "eval-a", 5, "", at) == absl::OkStatus());
  // In the order the evaluators were assigned, whatever the order they scored in.
  CHECK(OutcomeScoresForRanking(scores, referral) == std::vector<int>{5, 2});
}

std::vector<Standing> ThreeBids() {
  return {{"bid-1", 1, {45, 8, 10, 5, 4, 18, 90}, 400000, 12.5, {}},
          {"bid-2", 2, {50, 6, 8, 3, 5, 12, 84}, 380000, 3.0, {}},
          {"bid-3", 0, {}, 0, 40.0, {"MISSING_MUST_HAVE_FEATURE: single-occupancy"}}};
}

Referral AwardedTo(const std::string& bid_id) {
  Referral referral = ClosedWithEvaluators();
  REQUIRE(RecordRanking(referral, {true, false, {}}, Utc(2027, 3, 16)) == absl::OkStatus());
  REQUIRE(AwardBid(referral, {bid_id, AwardBasis::kTopRanked, ""}, {bid_id, 1, 400000},
                   std::nullopt, false, {"officer-1"}, Utc(2027, 3, 17)) == absl::OkStatus());
  return referral;
}

TEST_CASE("at award each bidder is told its own points and the winner's, nothing of the others") {
  const Referral referral = AwardedTo("bid-1");
  const std::vector<Standing> standings = ThreeBids();

  absl::StatusOr<Feedback> loser = FeedbackFor(referral, standings, "bid-2");
  REQUIRE(loser.ok());
  CHECK(loser->outcome == BidOutcome::kNotAwarded);
  CHECK(loser->own_rank == 2);
  CHECK(loser->compliant_bid_count == 2);
  CHECK(loser->own_points->total == 84);
  CHECK(loser->winner_points->total == 90);
  CHECK(loser->winner_points->price == 45);
  CHECK(loser->own_evaluated_weekly_price_pence == 380000);
  CHECK(loser->own_distance_miles == 3.0);

  absl::StatusOr<Feedback> winner = FeedbackFor(referral, standings, "bid-1");
  REQUIRE(winner.ok());
  CHECK(winner->outcome == BidOutcome::kAwarded);
  CHECK(winner->own_rank == 1);

  absl::StatusOr<Feedback> excluded = FeedbackFor(referral, standings, "bid-3");
  REQUIRE(excluded.ok());
  CHECK(excluded->outcome == BidOutcome::kExcluded);
  CHECK_FALSE(excluded->own_points.has_value());
  CHECK(excluded->own_rank == 0);
  CHECK(excluded->exclusion_reasons ==
        std::vector<std::string>{"MISSING_MUST_HAVE_FEATURE: single-occupancy"});
  CHECK(excluded->winner_points->total == 90);

  CHECK(FeedbackFor(referral, standings, "bid-9").status().code() == absl::StatusCode::kNotFound);
}

TEST_CASE("feedback waits for award, and after a referral ends unawarded has no winner") {
  Referral referral = ClosedWithEvaluators();
  const absl::Status early = FeedbackFor(referral, ThreeBids(), "bid-2").status();
  CHECK(early.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(early) == "referral: feedback is given at award; the referral is CLOSED");

  REQUIRE(DeclareNoSuitableOffer(referral, "nothing suitable", {"officer-1"}, Utc(2027, 3, 16)) ==
          absl::OkStatus());
  absl::StatusOr<Feedback> ended = FeedbackFor(referral, ThreeBids(), "bid-1");
  REQUIRE(ended.ok());
  CHECK(ended->outcome == BidOutcome::kNotAwarded);
  CHECK_FALSE(ended->winner_points.has_value());
  CHECK(ended->own_rank == 1);

  Referral withdrawn_open = Published(PcrLot());
  REQUIRE(Withdraw(withdrawn_open, "placed with family", {"officer-1"}, Now()) == absl::OkStatus());
  CHECK(FeedbackFor(withdrawn_open, ThreeBids(), "bid-1").status().code() ==
        absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace dps::referral
