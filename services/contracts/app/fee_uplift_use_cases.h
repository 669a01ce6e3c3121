// The fee uplift use cases (domain/fee_uplift.h): a provider asks to raise an IPA's core fee, a
// commissioner of the placing authority decides, the provider may withdraw while it waits. Each
// works in the transaction of the IPA it belongs to, through IpaTransaction::uplifts().
//
// Where the work happens:
//   Request   one transaction holding the IPA's row lock, so two requests on one IPA are judged
//             against the 12-month rule one after the other: read its uplifts, request, insert,
//             announce contracts.uplift.requested.
//   Decide    read the uplift and its IPA (a short transaction); decide with nothing held (an
//             approval renders the FEE_UPLIFT variation it proposes); save the IPA (when an
//             approval changed it) and the uplift, each only over the version read (Aborted if
//             either changed meanwhile: the caller may retry), and announce
//             contracts.uplift.decided.
//   Withdraw  one transaction holding the uplift's row lock.
//
// Who may see an uplift is who may read its IPA (ReadAccess): its two parties, and the admins and
// auditors of the authority leading its system. Anyone else is told it does not exist.
#ifndef DPS_SERVICES_CONTRACTS_APP_FEE_UPLIFT_USE_CASES_H_
#define DPS_SERVICES_CONTRACTS_APP_FEE_UPLIFT_USE_CASES_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "platform/clock/clock.h"
#include "services/contracts/app/document_renderer.h"
#include "services/contracts/app/ipa_use_cases.h"
#include "services/contracts/domain/fee_uplift.h"
#include "services/contracts/storage/ipa_repository.h"

namespace dps::contracts {

class FeeUpliftUseCases final {
 public:
  // `new_id` makes the id of a new uplift ("uplift-" and random hex in production).
  FeeUpliftUseCases(IpaUnitOfWork& uow, const DocumentRenderer& renderer,
                    const platform::Clock& clock, std::function<std::string()> new_id);

  // The IPA's provider asks for a new core weekly fee from a date, with a justification.
  absl::StatusOr<StoredUplift> Request(const std::string& ipa_id, UpliftRequestInput input,
                                       const Caller& caller);

  // A commissioner of the placing authority approves (in full or in part) or refuses. An
  // approval proposes a FEE_UPLIFT variation for both parties to sign.
  absl::StatusOr<StoredUplift> Decide(const std::string& uplift_id, const UpliftDecision& decision,
                                      const Caller& caller);

  // The provider withdraws its request before it is decided; it then does not count towards
  // the 12 months. Nothing is announced.
  absl::StatusOr<StoredUplift> Withdraw(const std::string& uplift_id, const Caller& caller);

  // One page of the uplifts within the caller's scope (as ScopeFilter holds IPA lists: an
  // authority's officers and commissioners its own, a provider its own, a lead authority's
  // admins and auditors its systems'). Naming another organisation's scope is PermissionDenied.
  absl::StatusOr<UpliftPage> List(UpliftFilter filter, const UpliftPageRequest& page,
                                  const Actor& actor);

 private:
  IpaUnitOfWork& uow_;
  const DocumentRenderer& renderer_;
  const platform::Clock& clock_;
  std::function<std::string()> new_id_;
};

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_APP_FEE_UPLIFT_USE_CASES_H_
