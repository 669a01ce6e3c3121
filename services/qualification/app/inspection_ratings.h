// Recording an inspectorate's rating of an establishment, by hand (RecordInspectionRating) or
// from a bulk file (ImportInspectionRatings): the same effect either way. A changed rating is
// announced; a drop to Inadequate suspends the establishment in every system it is a member of
// that the caller leads (every system, for a DPS service), each suspension naming the system's
// inspection-rating criterion and the rating.
#ifndef DPS_SERVICES_QUALIFICATION_APP_INSPECTION_RATINGS_H_
#define DPS_SERVICES_QUALIFICATION_APP_INSPECTION_RATINGS_H_

#include <string>

#include "absl/status/statusor.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "services/qualification/app/announce.h"

namespace dps::qualification {

// Whether the caller may rate `establishment_id`: a service always; a lead authority only an
// establishment that is a member (not excluded) of a system it leads. A council that leads none
// of its systems has no business recording its ratings, and could otherwise suspend it in
// systems of other councils.
absl::StatusOr<bool> MayRate(const Call& call, const std::string& establishment_id);

// What recording one rating did.
struct RatingApplied {
  // RECORDED, or UNCHANGED: the same as the current rating, or an older inspection than its.
  v1::ImportRowOutcome outcome = v1::IMPORT_ROW_OUTCOME_UNSPECIFIED;
  // The rating recorded, or the same one already there; empty for an older inspection, which
  // is recorded as nothing.
  v1::InspectionRating rating;
  // Why an older inspection was not recorded, e.g. "inspected on 2026-01-10, older than the
  // inspection of 2026-03-02 already recorded"; empty otherwise.
  std::string older;
  int suspensions = 0;  // memberships the drop to Inadequate suspended
};

// Records `row` (checked by the caller) as the establishment's latest rating, unless it is the
// one already recorded or an older inspection than the current rating's (UNCHANGED, nothing
// written: an older file imported after a newer one neither replaces the newer inspection nor
// suspends).
absl::StatusOr<RatingApplied> ApplyRating(Call& call, const v1::Establishment& establishment,
                                          const v1::InspectionRatingRow& row,
                                          v1::RatingSource source);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_APP_INSPECTION_RATINGS_H_
