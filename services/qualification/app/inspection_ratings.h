// Recording an inspectorate's rating of an establishment, by hand (RecordInspectionRating) or
// from a bulk file (ImportInspectionRatings): the same effect either way. A changed judgement is
// announced; a drop to Inadequate suspends the establishment in every system it is a member of
// that the caller leads (every system, for a DPS service), each suspension naming the system's
// inspection-rating criterion and the rating (domain/inspection_rating.h, DecideRating).
#ifndef DPS_SERVICES_QUALIFICATION_APP_INSPECTION_RATINGS_H_
#define DPS_SERVICES_QUALIFICATION_APP_INSPECTION_RATINGS_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/auth/identity.h"
#include "services/qualification/app/announce.h"
#include "services/qualification/domain/inspection_rating.h"
#include "services/qualification/storage/rating_repository.h"
#include "services/qualification/storage/register_reads.h"

namespace dps::qualification {

// What a rating does to the rated establishment's memberships, each change saved and announced:
// implemented over the membership repository by RecordedMemberships (app/membership_changes.h),
// and by a fake in the pure tests.
class RatedMemberships {
 public:
  virtual ~RatedMemberships() = default;

  // Whether the establishment is a member (not EXCLUDED) of a system `lead_authority` leads.
  virtual absl::StatusOr<bool> LeadsSystemWithMember(const std::string& establishment_id,
                                                     const std::string& lead_authority) = 0;
  // Each membership not EXCLUDED of the rated establishment, in the systems `lead_authority`
  // leads (every system when empty), suspended at the rating's record by `actor`, naming each
  // system's inspection-rating criterion as the item to resubmit and the rating as the cause;
  // each suspension announced. How many were suspended.
  virtual absl::StatusOr<int> SuspendForInadequate(const InspectionRating& rating,
                                                   const std::string& lead_authority,
                                                   const std::string& actor) = 0;
};

// What recording one rating did.
struct RatingApplied {
  // kRecorded, or kUnchanged: the same as the current rating, or an older inspection than its.
  enum class Outcome { kRecorded, kUnchanged };
  Outcome outcome = Outcome::kUnchanged;
  // The rating recorded, or the same one already there; unset for an older inspection, which is
  // recorded as nothing.
  std::optional<InspectionRating> rating;
  // Why an older inspection was not recorded (RatingDecision::older); empty otherwise.
  std::string older;
  int suspensions = 0;  // memberships the drop to Inadequate suspended
};

class RatingUseCases {
 public:
  RatingUseCases(RatingRepository& ratings, RatedMemberships& memberships,
                 QualificationEvents& events)
      : ratings_(ratings), memberships_(memberships), events_(events) {}

  // Whether the caller may rate `establishment_id`: a service always; a lead authority only an
  // establishment that is a member (not excluded) of a system it leads. A council that leads none
  // of its systems has no business recording its ratings, and could otherwise suspend it in
  // systems of other councils.
  absl::StatusOr<bool> MayRate(const std::string& establishment_id,
                               const platform::CallerIdentity& caller);

  // Records `outcome` (checked by the caller) from `source` as the establishment's latest
  // rating, unless it is the one already recorded or an older inspection than the current
  // rating's (kUnchanged, nothing written: an older file imported after a newer one neither
  // replaces the newer inspection nor suspends).
  absl::StatusOr<RatingApplied> Apply(const EstablishmentRef& establishment,
                                      const InspectionOutcome& outcome, RatingSource source,
                                      const platform::CallerIdentity& caller, absl::Time now);

 private:
  RatingRepository& ratings_;
  RatedMemberships& memberships_;
  QualificationEvents& events_;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_APP_INSPECTION_RATINGS_H_
