#include "services/referral/domain/evaluation.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"

namespace dps::referral {
namespace {

using platform::Forbidden;
using platform::InvalidField;

bool RankingFinal(ReferralState state) {
  return state != ReferralState::kDraft && state != ReferralState::kOpen &&
         state != ReferralState::kClosed;
}

}  // namespace

absl::Status AssignOutcomeEvaluators(Referral& referral, std::vector<std::string> evaluator_ids) {
  if (RankingFinal(referral.state)) {
    return Forbidden("referral", absl::StrCat("cannot assign evaluators to a referral that is ",
                                              ReferralStateName(referral.state)));
  }
  if (evaluator_ids.empty()) return InvalidField("evaluator_user_ids", "at least one required");
  absl::flat_hash_set<std::string> seen;
  for (size_t i = 0; i < evaluator_ids.size(); ++i) {
    const std::string at = absl::StrCat("evaluator_user_ids[", i, "]");
    if (evaluator_ids[i].empty()) return InvalidField(at, "required");
    if (!seen.insert(evaluator_ids[i]).second) {
      return InvalidField(at, absl::StrCat("'", evaluator_ids[i], "' is listed twice"));
    }
  }
  referral.outcome_evaluator_user_ids = std::move(evaluator_ids);
  return absl::OkStatus();
}

absl::Status ScoreOutcomeAnswer(std::vector<OutcomeScore>& bid_scores, const Referral& referral,
                                absl::string_view evaluator_id, int score,
                                absl::string_view comment, absl::Time now) {
  if (referral.state != ReferralState::kClosed) {
    return Forbidden("referral", absl::StrCat("outcome answers are scored while it is CLOSED; it "
                                              "is ",
                                              ReferralStateName(referral.state)));
  }
  const std::vector<std::string>& assigned = referral.outcome_evaluator_user_ids;
  if (std::find(assigned.begin(), assigned.end(), evaluator_id) == assigned.end()) {
    return absl::PermissionDeniedError("evaluator: not assigned to this referral's outcomes");
  }
  if (score < 0 || score > kMaxOutcomeScore) {
    return InvalidField("score", absl::StrCat("must be 0 to ", kMaxOutcomeScore, ", got ", score));
  }
  if (comment.size() > static_cast<size_t>(kMaxTextLength)) {
    return InvalidField("comment", absl::StrCat("must be at most ", kMaxTextLength, " characters"));
  }
  OutcomeScore entry{std::string(evaluator_id), score, std::string(comment), now};
  auto existing = std::find_if(bid_scores.begin(), bid_scores.end(), [&](const OutcomeScore& s) {
    return s.evaluator_user_id == evaluator_id;
  });
  if (existing != bid_scores.end()) {
    *existing = std::move(entry);
  } else {
    bid_scores.push_back(std::move(entry));
  }
  return absl::OkStatus();
}

std::vector<int> OutcomeScoresForRanking(const std::vector<OutcomeScore>& bid_scores,
                                         const Referral& referral) {
  std::vector<int> scores;
  for (const std::string& evaluator : referral.outcome_evaluator_user_ids) {
    auto found = std::find_if(bid_scores.begin(), bid_scores.end(), [&](const OutcomeScore& s) {
      return s.evaluator_user_id == evaluator;
    });
    if (found == bid_scores.end()) return {};
    scores.push_back(found->score);
  }
  return scores;
}

absl::StatusOr<Feedback> FeedbackFor(const Referral& referral,
                                     const std::vector<Standing>& standings,
                                     absl::string_view bid_id) {
  const bool ended_after_opening =
      referral.closed_at.has_value() && (referral.state == ReferralState::kWithdrawn ||
                                         referral.state == ReferralState::kNoSuitableOffer);
  if (referral.state != ReferralState::kAwarded && !ended_after_opening) {
    return Forbidden("referral", absl::StrCat("feedback is given at award; the referral is ",
                                              ReferralStateName(referral.state)));
  }
  auto own = std::find_if(standings.begin(), standings.end(),
                          [&](const Standing& s) { return s.bid_id == bid_id; });
  if (own == standings.end()) {
    return absl::NotFoundError(absl::StrCat("bid '", bid_id, "' was not ranked"));
  }
  Feedback feedback;
  feedback.compliant_bid_count = static_cast<int>(std::count_if(
      standings.begin(), standings.end(), [](const Standing& s) { return s.rank > 0; }));
  if (referral.state == ReferralState::kAwarded && referral.award) {
    auto winner = std::find_if(standings.begin(), standings.end(), [&](const Standing& s) {
      return s.bid_id == referral.award->bid_id;
    });
    if (winner != standings.end()) feedback.winner_points = winner->points;
  }
  if (own->rank == 0) {
    feedback.outcome = BidOutcome::kExcluded;
    feedback.exclusion_reasons = own->exclusion_reasons;
    return feedback;
  }
  const bool won = referral.state == ReferralState::kAwarded && referral.award &&
                   referral.award->bid_id == bid_id;
  feedback.outcome = won ? BidOutcome::kAwarded : BidOutcome::kNotAwarded;
  feedback.own_points = own->points;
  feedback.own_rank = own->rank;
  feedback.own_evaluated_weekly_price_pence = own->evaluated_weekly_price_pence;
  feedback.own_distance_miles = own->distance_miles;
  return feedback;
}

}  // namespace dps::referral
