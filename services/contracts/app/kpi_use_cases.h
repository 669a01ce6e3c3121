// The KPI use cases (domain/kpi.h): the lead authority sets its system's KPIs, providers return
// them per placement and period, the placing authority (or the lead authority) accepts or queries
// a return, and the lead authority records performance reviews. Each works in an IpaTransaction
// (through IpaTransaction::kpis()), so a return is checked under its IPA's row lock and saved
// with its event in one commit. Collaborators come in as interfaces (IpaUnitOfWork, the
// SystemDirectory, a Clock, an id source); a gRPC handler converts its request, calls one of
// these and converts the result back.
//
// Where the work happens:
//   SetDefinitions  ask the SystemDirectory for the lead authority (no transaction held), then one
//                   transaction holding the set's row lock: read the codes returns use, replace,
//                   save. Nothing is announced (events.proto has no such event).
//   SubmitReturn    one transaction holding the IPA's row lock and a share lock on the system's
//                   definitions: find the IPA's return for the period, submit (new, or again
//                   after a query), save, announce contracts.kpi_return.submitted.
//   ReviewReturn    one transaction holding the return's row lock. Nothing is announced.
//   RecordReview    ask the SystemDirectory, then one transaction: the establishment's provider
//                   (from an IPA of it in the system), the returns named, record, insert,
//                   announce contracts.performance_review.recorded.
//
// Who may do what (the proto's roles):
//   set definitions      LEAD_AUTHORITY_ADMIN of the system's lead authority
//   list definitions     anyone signed in: KPI definitions are no secret
//   submit a return      PROVIDER_USER of the IPA's provider
//   review a return      PLACING_OFFICER, COMMISSIONER of the placing authority;
//                        LEAD_AUTHORITY_ADMIN of the lead authority
//   list returns         as IPAs are listed (ScopeFilter): officers and commissioners their
//                        authority's, provider users their provider's, lead authority admins and
//                        auditors their systems'
//   record a review      LEAD_AUTHORITY_ADMIN of the system's lead authority
//   list reviews         LEAD_AUTHORITY_ADMIN and AUDITOR of the lead authority, PROVIDER_USER
//                        their own provider's
// A return the caller may not read (MayReadKpiReturn), or whose IPA they may not read, is
// NotFound, as an IPA is: it says where a child is placed.
//
// Errors: the domain's (InvalidArgument, FailedPrecondition, PermissionDenied), NotFound for an
// unknown id, the directory's (NotFound for an unknown system, Unavailable), the repository's
// (Aborted when someone changed the same record at once: the caller may retry).
#ifndef DPS_SERVICES_CONTRACTS_APP_KPI_USE_CASES_H_
#define DPS_SERVICES_CONTRACTS_APP_KPI_USE_CASES_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "platform/clock/clock.h"
#include "services/contracts/app/system_directory.h"
#include "services/contracts/domain/kpi.h"
#include "services/contracts/storage/ipa_repository.h"
#include "services/contracts/storage/kpi_repository.h"

namespace dps::contracts {

// Who asks, the request it came in (carried into the events), and the API's hooks: each runs in
// the transaction that saves a change of its kind, after the save and before the commit, so the
// request's answer is kept with its idempotency key there (IpaTransaction::RecordResponse) and
// commits with the change. A failure rolls the change back.
struct KpiCaller {
  Actor actor;
  std::string request_id;
  std::function<absl::Status(IpaTransaction&, const StoredKpiDefinitionSet&)> on_definitions_saved;
  std::function<absl::Status(IpaTransaction&, const StoredKpiReturn&)> on_return_saved;
  std::function<absl::Status(IpaTransaction&, const StoredPerformanceReview&)> on_review_saved;
};

class KpiUseCases final {
 public:
  // `new_id` makes the id of a new return or review ("kpi-" or "review-" and random hex in
  // production; one source serves both).
  KpiUseCases(IpaUnitOfWork& uow, const SystemDirectory& directory, const platform::Clock& clock,
              std::function<std::string()> new_id);

  // Replaces the system's KPI definitions (SetKpiDefinitions in domain/kpi.h): codes returns use
  // stay, with their value type.
  absl::StatusOr<StoredKpiDefinitionSet> SetDefinitions(const std::string& system_id,
                                                        std::vector<KpiDefinition> definitions,
                                                        const KpiCaller& caller);

  // The system's definitions; version 0 and none when its lead authority has set none.
  absl::StatusOr<StoredKpiDefinitionSet> ListDefinitions(const std::string& system_id,
                                                         const Actor& actor);

  // The IPA's provider returns its KPIs for a period: a new SUBMITTED return, or the QUERIED
  // return of the same period submitted again with new values (same id). Announces
  // contracts.kpi_return.submitted either way.
  absl::StatusOr<StoredKpiReturn> SubmitReturn(const std::string& ipa_id, KpiReturnInput input,
                                               const KpiCaller& caller);

  // SUBMITTED -> ACCEPTED (`accept`, no note) or QUERIED (with `query_note`).
  absl::StatusOr<StoredKpiReturn> ReviewReturn(const std::string& kpi_return_id, bool accept,
                                               const std::string& query_note,
                                               const KpiCaller& caller);

  // One page of the returns within the caller's scope that match `filter` (its ipa_id,
  // establishment_id, system_id, period (returns sharing a day with it) and states; its scope
  // fields, when given, must be the caller's own organisation).
  absl::StatusOr<KpiReturnPage> ListReturns(KpiReturnFilter filter, const KpiPageRequest& page,
                                            const Actor& actor);

  // The lead authority's review of an establishment over a period, resting on the ACCEPTED
  // returns it names (RecordPerformanceReview in domain/kpi.h).
  absl::StatusOr<StoredPerformanceReview> RecordReview(PerformanceReviewInput input,
                                                       const KpiCaller& caller);

  // One page of the reviews within the caller's scope, of one system and establishment when
  // given (empty: any).
  absl::StatusOr<PerformanceReviewPage> ListReviews(const std::string& system_id,
                                                    const std::string& establishment_id,
                                                    const KpiPageRequest& page, const Actor& actor);

 private:
  IpaUnitOfWork& uow_;
  const SystemDirectory& directory_;
  const platform::Clock& clock_;
  std::function<std::string()> new_id_;
};

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_APP_KPI_USE_CASES_H_
