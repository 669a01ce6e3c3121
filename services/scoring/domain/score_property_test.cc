// Properties of the engine over a few thousand random valid competitions (seeded, so a failure
// is reproducible: the seed is in the failure message).
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "services/scoring/domain/score.h"
#include "services/scoring/domain/testing.h"

namespace dps::scoring {
namespace {

constexpr int kCases = 3000;

Evaluation EvaluateOrFail(const Competition& competition) {
  absl::StatusOr<Evaluation> evaluation = Evaluate(competition);
  INFO(evaluation.status().ToString());
  REQUIRE(evaluation.ok());
  return *std::move(evaluation);
}

TEST_CASE("totals are between 0 and 100", "[property]") {
  for (int seed = 0; seed < kCases; ++seed) {
    std::mt19937 rng(seed);
    const Competition competition = testing::RandomCompetition(rng, 1 + seed % 12);
    const Evaluation evaluation = EvaluateOrFail(competition);
    for (const ScoredBid& bid : evaluation.bids) {
      if (!bid.compliant) continue;
      INFO("seed " << seed << " total " << bid.total);
      CHECK(bid.total >= 0.0);
      CHECK(bid.total <= 100.0);
      CHECK(bid.points.price <= competition.weights.price);
    }
  }
}

TEST_CASE("lowering a bid's price never lowers its price score", "[property]") {
  for (int seed = 0; seed < kCases; ++seed) {
    std::mt19937 rng(seed);
    Competition competition = testing::RandomCompetition(rng, 1 + seed % 12);
    const Evaluation before = EvaluateOrFail(competition);
    if (before.compliant_count == 0) continue;
    // Pick a compliant bid and cut its core fee by a random amount.
    const ScoredBid& chosen = before.bids[rng() % before.compliant_count];
    Bid& bid = competition.bids[chosen.bid_index];
    bid.core_fee_pence -= std::uniform_int_distribution<int64_t>(0, bid.core_fee_pence)(rng);
    const Evaluation after = EvaluateOrFail(competition);
    for (const ScoredBid& scored : after.bids) {
      if (scored.bid_index != chosen.bid_index) continue;
      INFO("seed " << seed << " before " << chosen.points.price << " after "
                   << scored.points.price);
      REQUIRE(scored.compliant);
      CHECK(scored.points.price >= chosen.points.price);
      CHECK(scored.total >= chosen.total);
    }
  }
}

// The ranking as ids, and every bid's total, in output order.
std::vector<std::pair<std::string, double>> Ranking(const Competition& competition,
                                                    const Evaluation& evaluation) {
  std::vector<std::pair<std::string, double>> ranking;
  for (const ScoredBid& bid : evaluation.bids) {
    ranking.emplace_back(competition.bids[bid.bid_index].id, bid.total);
  }
  return ranking;
}

TEST_CASE("the ranking does not depend on the order of the bids", "[property]") {
  for (int seed = 0; seed < kCases; ++seed) {
    std::mt19937 rng(seed);
    Competition competition = testing::RandomCompetition(rng, 1 + seed % 12);
    // Ties on total and price are what the later tie-breaks are for: make some.
    if (seed % 3 == 0 && competition.bids.size() >= 2) {
      Bid copy = competition.bids[0];
      copy.id = "copy-of-0";
      competition.bids.push_back(copy);
    }
    const Evaluation evaluation = EvaluateOrFail(competition);
    Competition shuffled = competition;
    std::shuffle(shuffled.bids.begin(), shuffled.bids.end(), rng);
    const Evaluation reordered = EvaluateOrFail(shuffled);
    INFO("seed " << seed);
    CHECK(Ranking(shuffled, reordered) == Ranking(competition, evaluation));
    CHECK(reordered.parental_choice == evaluation.parental_choice);
    CHECK(reordered.ranking_final == evaluation.ranking_final);
  }
}

}  // namespace
}  // namespace dps::scoring
