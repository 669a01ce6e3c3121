// The six-monthly qualification score adjustment (AdjustQualificationScore), between the API and
// the domain: load the membership for the lead authority of its system, check the performance
// reviews it cites (CheckCitedReviews) holding their rows, adjust the score within the system's
// bound (AdjustScore), then save the adjustment, mark the reviews cited and announce
// qualification.membership.score_adjusted, all in the caller's one transaction.
//
// The register comes in as ScoreAdjustmentStore (the API's implements it over its call's
// transaction) and PerformanceReviewRepository, so the steps are read here in one place.
#ifndef DPS_SERVICES_QUALIFICATION_APP_SCORE_ADJUSTMENT_H_
#define DPS_SERVICES_QUALIFICATION_APP_SCORE_ADJUSTMENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "services/qualification/domain/membership.h"
#include "services/qualification/storage/performance_review_repository.h"

namespace dps::qualification {

// The register as an adjustment needs it, inside the caller's transaction.
class ScoreAdjustmentStore {
 public:
  virtual ~ScoreAdjustmentStore() = default;
  // The membership, locked, when the caller leads its system (PermissionDenied otherwise).
  virtual absl::StatusOr<Membership> LoadMembershipForLead(const std::string& id) = 0;
  virtual absl::StatusOr<v1::PurchasingSystem> LoadSystem(const std::string& id) = 0;
  // Saves the membership as changed, with its new score entry.
  virtual absl::Status SaveMembership(Membership& membership) = 0;
  // Keeps the adjustment and announces it.
  virtual absl::Status SaveAndAnnounce(const v1::ScoreAdjustment& adjustment,
                                       const Membership& membership) = 0;
};

// Who adjusts, and when.
struct AdjustmentContext {
  dps::common::v1::Actor actor;
  absl::Time now;
  std::string adjustment_id;  // the new adjustment's id
};

// The adjustment `request` asks for, made. InvalidArgument for a bad request (an effective_at in
// the past, a cited review CheckCitedReviews refuses, a delta beyond the bound, no reason);
// FailedPrecondition sooner than the system's interval allows or for an EXCLUDED membership or a
// pass/fail-only lot; NotFound or PermissionDenied from the store.
absl::StatusOr<v1::ScoreAdjustment> AdjustQualificationScore(
    ScoreAdjustmentStore& store, PerformanceReviewRepository& reviews,
    const v1::AdjustQualificationScoreRequest& request, const AdjustmentContext& context);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_APP_SCORE_ADJUSTMENT_H_
