// Direct awards: an emergency placement with one establishment without competition, where the
// purchasing system's regime allows it, or a call-off from the lot's ranking where the system
// calls off by ranking (domain/direct_award.h); reported apart from competed awards.
//
// Where the work happens: CheckDirectAward asks the qualification service everything an award
// depends on (its system, lot, regime, the lot's ranking, the establishment) before the change's
// transaction opens; all of it depends on the request alone, so nothing is re-checked under a
// lock. DirectAwardUseCases then make, review and read awards in one transaction, through the
// repository and the events given to them.
#ifndef DPS_SERVICES_REFERRAL_APP_DIRECT_AWARDS_H_
#define DPS_SERVICES_REFERRAL_APP_DIRECT_AWARDS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "dps/referral/v1/referral.pb.h"
#include "platform/auth/identity.h"
#include "services/referral/app/events.h"
#include "services/referral/app/placement.h"
#include "services/referral/clients/qualification_client.h"
#include "services/referral/domain/direct_award.h"
#include "services/referral/storage/direct_award_repository.h"

namespace dps::referral {

namespace v1 = ::dps::referral::v1;
namespace qv1 = ::dps::qualification::v1;

// What the regime allows. The API does not say whether a system that may award directly has
// chosen not to; the regime's rule is applied as it stands.
DirectAwardRule DirectAwardRuleOf(dps::common::v1::Regime regime);

// A direct award checked against everything the qualification service knows.
struct CheckedDirectAward {
  DirectAwardSpec spec;
  std::optional<Centroid> centroid;  // the request's district's
  DirectAwardRule rule = DirectAwardRule::kNotAllowed;
  Placement placement;
  qv1::Establishment establishment;
};

// Checks `request` (its district already placed at its centroid) as of `now`: the spec
// (ValidateDirectAward), the system and lot and the caller's part in them (PlacementOf), the
// regime's rule, the lot's ranking for a ranked call-off (CheckCallOffBasis), and the
// establishment: a qualified, unsuspended member of the lot that takes these children
// (FailedPrecondition naming every rule it fails).
absl::StatusOr<CheckedDirectAward> CheckDirectAward(const QualificationClient& qualification,
                                                    const platform::CallerIdentity& caller,
                                                    const std::string& request_id, absl::Time now,
                                                    const v1::MakeDirectAwardRequest& request);

class DirectAwardUseCases {
 public:
  DirectAwardUseCases(DirectAwardRepository& awards, ReferralEvents& events)
      : awards_(awards), events_(events) {}

  // A checked award MADE by `by` for their authority at `now`, stored and announced
  // ("referral.direct_award.made", with what the contracts service draws its agreement from).
  absl::StatusOr<DirectAward> Make(const CheckedDirectAward& checked, const Actor& by,
                                   absl::Time now);

  // MADE -> REVIEWED by the authority that made it (domain/direct_award.h, ReviewDirectAward),
  // announced ("referral.direct_award.reviewed"). To any other authority it does not exist.
  absl::StatusOr<DirectAward> Review(const std::string& id, absl::string_view note, const Actor& by,
                                     absl::Time now);

  // The award, to its own authority's authors, its provider's users, its system's lead authority
  // (admins, auditors) and DPS services; NotFound to anyone else.
  absl::StatusOr<DirectAward> Read(const std::string& id, const platform::CallerIdentity& caller);

  // Up to `limit` awards after `after_id` in the caller's reach: an author sees their own
  // authority's, anyone else those of the systems their authority leads.
  absl::StatusOr<std::vector<DirectAward>> List(DirectAwardFilter filter,
                                                const platform::CallerIdentity& caller,
                                                const std::string& after_id, int limit);

 private:
  DirectAwardRepository& awards_;
  ReferralEvents& events_;
};

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_APP_DIRECT_AWARDS_H_
