#include "services/qualification/app/score_adjustment.h"

#include <algorithm>
#include <vector>

#include "platform/errors/errors.h"
#include "platform/proto/proto_time.h"

namespace dps::qualification {
namespace {

// The system's bound, its defaults where the rules leave a figure unset (0).
ScoreAdjustmentPolicy PolicyOf(const v1::PurchasingSystem& system) {
  ScoreAdjustmentPolicy policy;
  if (system.rules().max_score_adjustment_points() > 0) {
    policy.max_points = system.rules().max_score_adjustment_points();
  }
  if (system.rules().score_adjustment_interval_months() > 0) {
    policy.min_months_between = system.rules().score_adjustment_interval_months();
  }
  return policy;
}

// The cited reviews the register holds, each row locked until the transaction ends, so a review
// cannot be cited by two adjustments committing at once. Locked in id order, so two adjustments
// citing the same reviews wait for each other instead of deadlocking.
absl::StatusOr<std::vector<RecordedReview>> LoadCited(PerformanceReviewRepository& reviews,
                                                      std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<RecordedReview> found;
  for (const std::string& id : ids) {
    absl::StatusOr<std::optional<v1::RecordedPerformanceReview>> review =
        reviews.LoadForCitation(id);
    if (!review.ok()) return review.status();
    if (!review->has_value()) continue;
    found.push_back({.id = (*review)->id(),
                     .system_id = (*review)->system_id(),
                     .establishment_id = (*review)->establishment_id(),
                     .cited_by_adjustment = (*review)->score_adjustment_id()});
  }
  return found;
}

}  // namespace

absl::StatusOr<v1::ScoreAdjustment> AdjustQualificationScore(
    ScoreAdjustmentStore& store, PerformanceReviewRepository& reviews,
    const v1::AdjustQualificationScoreRequest& request, const AdjustmentContext& context) {
  // 1. The membership (locked) and its system, for the lead authority of that system only.
  absl::StatusOr<Membership> membership = store.LoadMembershipForLead(request.membership_id());
  if (!membership.ok()) return membership.status();
  absl::StatusOr<v1::PurchasingSystem> system = store.LoadSystem(membership->system_id);
  if (!system.ok()) return system.status();
  const absl::Time at =
      request.has_effective_at() ? platform::FromTimestamp(request.effective_at()) : context.now;
  if (at < context.now) return platform::InvalidField("effective_at", "must not be in the past");

  // 2. The reviews it rests on: recorded, of this establishment in this system, not cited before.
  const std::vector<std::string> cited(request.performance_review_ids().begin(),
                                       request.performance_review_ids().end());
  absl::StatusOr<std::vector<RecordedReview>> recorded = LoadCited(reviews, cited);
  if (!recorded.ok()) return recorded.status();
  if (absl::Status s =
          CheckCitedReviews(membership->system_id, membership->establishment_id, cited, *recorded);
      !s.ok()) {
    return s;
  }

  // 3. The score moved within the system's bound, and the membership saved.
  const double before = membership->scores.empty() ? 0 : membership->scores.back().score;
  if (absl::Status s = AdjustScore(*membership, request.delta_points(), request.reason(), at,
                                   context.actor.user_id(), PolicyOf(*system));
      !s.ok()) {
    return s;
  }
  if (absl::Status s = store.SaveMembership(*membership); !s.ok()) return s;

  // 4. The adjustment kept and announced, and its reviews cited, in the same transaction.
  v1::ScoreAdjustment adjustment;
  adjustment.set_id(context.adjustment_id);
  adjustment.set_membership_id(membership->id);
  adjustment.set_delta_points(request.delta_points());
  adjustment.set_score_before(before);
  adjustment.set_score_after(membership->scores.back().score);
  adjustment.set_reason(request.reason());
  *adjustment.mutable_performance_review_ids() = request.performance_review_ids();
  *adjustment.mutable_effective_at() = platform::ToTimestamp(at);
  *adjustment.mutable_decided_by() = context.actor;
  if (absl::Status s = store.SaveAndAnnounce(adjustment, *membership); !s.ok()) return s;
  if (absl::Status s = reviews.MarkCited(cited, adjustment.id()); !s.ok()) return s;
  return adjustment;
}

}  // namespace dps::qualification
