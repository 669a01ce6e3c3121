// The scoring engine: compliance, criterion scores, ranking and parental choice (docs/rules.md
// section 6).
//
// Evaluate is a pure function of its input: no I/O, no clock, no state, so the same Competition
// always gives the same Evaluation and a past result can be reproduced from its request. Example:
//   absl::StatusOr<Evaluation> evaluation = Evaluate(competition);
//   if (!evaluation.ok()) return evaluation.status();  // INVALID_ARGUMENT naming the field
//   const ScoredBid& top = evaluation->bids.front();   // rank 1, if any bid is compliant
#ifndef DPS_SERVICES_SCORING_DOMAIN_SCORE_H_
#define DPS_SERVICES_SCORING_DOMAIN_SCORE_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/scoring/domain/competition.h"

namespace dps::scoring {

// Totals and quality totals are compared in whole units of this many points. Two totals that are
// equal in exact arithmetic can differ in the last bits of a double (83.0 reached by different
// sums), and the parental-choice rule "within 5.0 points" is inclusive, so comparisons use
// PointsKey (an integer) rather than raw doubles. 1e-9 points is far below any real difference.
inline constexpr double kPointsPerKeyUnit = 1e-9;

// `points` in whole units of kPointsPerKeyUnit, rounded to nearest.
int64_t PointsKey(double points);

// What the ranking compares, in order. Exposed so the order of the tie-breaks can be tested on its
// own: through Evaluate, equal totals with equal evaluated prices always have equal quality totals
// (quality = total - price points), so the quality tie-break only matters at key-rounding edges.
struct RankingKey {
  int64_t total_key = 0;  // PointsKey(total)
  int64_t evaluated_weekly_pence = 0;
  int64_t quality_key = 0;  // PointsKey(total_quality)
  absl::Time submitted_at;
  absl::string_view bid_id;
};

// True when `a` ranks above `b`: higher total, then lower evaluated price, then higher total
// quality, then earlier submission, then bid id (ascending, bytewise). A strict total order when
// bid ids are unique, so a ranking never depends on the order the bids came in.
bool RanksAbove(const RankingKey& a, const RankingKey& b);

// Validates, checks compliance, scores and ranks (by RanksAbove), and picks the parental-choice
// set. INVALID_ARGUMENT names the first broken rule (see validate.h).
absl::StatusOr<Evaluation> Evaluate(const Competition& competition, const Limits& limits = {});

}  // namespace dps::scoring

#endif  // DPS_SERVICES_SCORING_DOMAIN_SCORE_H_
