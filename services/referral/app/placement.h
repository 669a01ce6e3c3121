// What a referral, a direct award or a block contract needs to know of its purchasing system and
// lot, asked of the qualification service before the change's transaction opens (no remote call
// is made while a row lock or a pooled connection is held: platform/work/unit_of_work.h, Prepare).
// The change then re-checks under its locks that what it asked about has not moved.
#ifndef DPS_SERVICES_REFERRAL_APP_PLACEMENT_H_
#define DPS_SERVICES_REFERRAL_APP_PLACEMENT_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "dps/referral/v1/referral.pb.h"
#include "platform/auth/identity.h"
#include "services/referral/clients/qualification_client.h"
#include "services/referral/domain/referral.h"

namespace dps::referral {

namespace v1 = ::dps::referral::v1;
namespace qv1 = ::dps::qualification::v1;

// The system and lot a change names, as the qualification service has them.
struct Placement {
  qv1::PurchasingSystem system;
  qv1::Lot lot;
};

// The system and lot named by the fields `field_prefix`system_id and `field_prefix`lot_id.
// InvalidArgument naming the field when either is missing or does not exist, or the lot is not
// the system's; PermissionDenied when the caller's authority takes no part in the system, or none
// in the lot (domain/participation.h).
absl::StatusOr<Placement> PlacementOf(const QualificationClient& qualification,
                                      const platform::CallerIdentity& caller,
                                      const std::string& request_id, const std::string& system_id,
                                      const std::string& lot_id, absl::string_view field_prefix);

// What a new round of invitations is held to: the lot's rules and terms as they stand now.
struct RoundRules {
  LotRules rules;
  v1::ReferralTerms terms;
};

// A round of invitations (publication, a wider radius, a reopening), prepared: `asked` is the
// referral as the round will run it (its radius and filters), read before the change, and the
// rest is what the qualification service answered for it.
struct RoundFacts {
  v1::Referral asked;
  absl::Time as_of;
  RoundRules round;
  std::vector<qv1::EligibleEstablishment> eligible;
};

// Fills `facts` for `facts.asked`: the round's rules (FailedPrecondition unless the system is
// LIVE and the lot open) and every establishment eligible at `facts.as_of`. `check_spec` runs
// between the two, so a spec the rules refuse costs no search.
absl::Status AskRound(const QualificationClient& qualification,
                      const platform::CallerIdentity& caller, const std::string& request_id,
                      RoundFacts& facts,
                      const std::function<absl::Status(const RoundRules&)>& check_spec = {});

// Whether what a round was asked for still holds under the change's lock: the referral's system,
// lot, location, children, needs and filters are those it was asked with. ABORTED (retry)
// otherwise.
absl::Status CheckRoundStands(const RoundFacts& facts, const v1::Referral& locked);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_APP_PLACEMENT_H_
