// Applications through their life, as the handlers of application_handlers.cc drive them: the
// application loaded with its system for a caller who may act on it, the evaluators' findings,
// and the lead authority's decision, which creates the memberships of the items that qualified
// (or, for a price resubmission, replaces its membership's prices) in the caller's transaction.
#ifndef DPS_SERVICES_QUALIFICATION_APP_APPLICATION_DECISIONS_H_
#define DPS_SERVICES_QUALIFICATION_APP_APPLICATION_DECISIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "services/qualification/app/announce.h"
#include "services/qualification/domain/application.h"
#include "services/qualification/domain/purchasing_system.h"

namespace dps::qualification {

// An application with everything a domain rule needs beside it.
struct LoadedApplication {
  v1::Application record;
  v1::PurchasingSystem system;
  std::vector<v1::Lot> lots;
  std::vector<v1::Criterion> criteria;
  PurchasingSystem domain_system;
  Application domain;
};

// Loads the application (locked) and its system, and checks the caller may act on it: the
// provider's own users, or the lead authority's staff.
absl::StatusOr<LoadedApplication> LoadApplicationFor(Call& call, const std::string& id);

// Only the lead authority's staff evaluate and decide (PermissionDenied for the provider).
absl::Status RequireLeadStaff(const Call& call, const LoadedApplication& loaded);

// Writes the domain's changes into the record, saves it, and gives the caller its view (an
// evaluator does not see prices).
absl::Status SaveLoadedApplication(Call& call, LoadedApplication& loaded,
                                   v1::Application* response);

// The evaluator must be assigned to the criterion (an assignment with no criteria covers all).
absl::Status RequireAssigned(const Call& call, const v1::Application& application,
                             const std::string& criterion_id);

// Records one evaluator finding on every item of the establishment that is asked the criterion
// (CriteriaAsked: a reinstatement is asked only what it resubmits).
absl::Status RecordFinding(LoadedApplication& loaded, const std::string& establishment_id,
                           const Assessment& assessment);

// Decides an application on the recorded findings (every kind but a price resubmission). An
// admission's qualified items become memberships resting on the evidence they cite. A
// reinstatement's decision stops there: its findings lift the suspension when the lead authority
// reinstates with it (ReinstateMembership), and a rejected one leaves the membership SUSPENDED
// with the reasons in the application's decisions.
absl::Status DecideOnCriteria(Call& call, LoadedApplication& loaded,
                              const v1::DecideApplicationRequest& request);

// Submits a price resubmission or a reinstatement against its membership, locked so that two
// submissions of one kind for it are serialised: refused while another of that kind awaits its
// decision.
absl::Status SubmitForMembership(Call& call, LoadedApplication& loaded);

// Decides a price resubmission by the lead authority's one decision. Accepted, the membership's
// prices are replaced from now, with a history entry and an event; rejected, they stay and the
// applicant reads the reason in the application's decisions.
absl::Status DecideNewPrices(Call& call, LoadedApplication& loaded,
                             const v1::DecideApplicationRequest& request);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_APP_APPLICATION_DECISIONS_H_
