// After close (docs/rules.md sections 5 and 6): evaluators score the outcomes answers, the engine
// ranks, and at award every bidder is told its own points and the winner's per criterion.
//
// Outcome scores: each evaluator assigned to the referral scores each compliant bid's outcomes
// answer from 0 to 5, blind to provider and price. A bid's scores go to the engine only once every
// assigned evaluator has scored it (OutcomeScoresForRanking), so the ranking turns final exactly
// when every compliant bid has been scored by everyone. Scores may be changed until the ranking is
// final.
//
// Feedback: a bidder learns its outcome, its own points, rank and evaluated price, and the
// winner's points per criterion; never another bidder's price, identity or inputs.

#ifndef DPS_SERVICES_REFERRAL_DOMAIN_EVALUATION_H_
#define DPS_SERVICES_REFERRAL_DOMAIN_EVALUATION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/referral/domain/referral.h"

namespace dps::referral {

inline constexpr int kMaxOutcomeScore = 5;

// Evaluators of the referral's purchasing system, set before the ranking is final: unique, at
// least one. Changing them drops nothing already scored by an evaluator who stays.
absl::Status AssignOutcomeEvaluators(Referral& referral, std::vector<std::string> evaluator_ids);

struct OutcomeScore {
  std::string evaluator_user_id;
  int score = 0;
  std::string comment;
  absl::Time scored_at;
};

// Records (or replaces) `evaluator_id`'s score of one bid's outcomes answer. The referral must be
// CLOSED (answers unsealed, ranking not yet final) and the evaluator assigned to it.
absl::Status ScoreOutcomeAnswer(std::vector<OutcomeScore>& bid_scores, const Referral& referral,
                                absl::string_view evaluator_id, int score,
                                absl::string_view comment, absl::Time now);

// The scores the engine is given for one bid: every assigned evaluator's, in the order they were
// assigned, or none while any of them has still to score.
std::vector<int> OutcomeScoresForRanking(const std::vector<OutcomeScore>& bid_scores,
                                         const Referral& referral);

// Points per criterion as the engine gave them.
struct CriterionPoints {
  double price = 0;
  double outcomes = 0;
  double needs = 0;
  double features = 0;
  double location = 0;
  double core_competency = 0;
  double total = 0;
};

// One bid as the final ranking left it.
struct Standing {
  std::string bid_id;
  int rank = 0;  // 1 is top; 0 when excluded
  CriterionPoints points;
  int64_t evaluated_weekly_price_pence = 0;
  double distance_miles = 0;
  std::vector<std::string> exclusion_reasons;
};

enum class BidOutcome { kAwarded, kNotAwarded, kExcluded };

struct Feedback {
  BidOutcome outcome = BidOutcome::kNotAwarded;
  std::optional<CriterionPoints> own_points;     // absent when excluded
  std::optional<CriterionPoints> winner_points;  // absent when nothing was awarded
  int own_rank = 0;
  int compliant_bid_count = 0;
  std::vector<std::string> exclusion_reasons;
  int64_t own_evaluated_weekly_price_pence = 0;
  double own_distance_miles = 0;
};

// What the bidder of `bid_id` is told. Given once the referral is AWARDED, or has ended without
// award after its bids were opened (WITHDRAWN after close, NO_SUITABLE_OFFER); refused before.
absl::StatusOr<Feedback> FeedbackFor(const Referral& referral,
                                     const std::vector<Standing>& standings,
                                     absl::string_view bid_id);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_DOMAIN_EVALUATION_H_
