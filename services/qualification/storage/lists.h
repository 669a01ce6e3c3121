// The pages of the register's lists as the API serves them, each by id with its filters, and
// the small questions handlers ask of the register beside their records. Every function takes
// the caller's transaction; a list reads page.size + 1 rows so that it knows whether another page
// follows (platform::ReadPage). An empty filter field matches everything.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_LISTS_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_LISTS_H_

#include <optional>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "platform/pg/documents.h"

namespace dps::qualification {

namespace v1 = ::dps::qualification::v1;

// Systems `authority_id` leads or takes part in.
absl::Status ListSystemsPage(pqxx::work& tx, const std::string& authority_id,
                             const platform::Page& page,
                             v1::ListPurchasingSystemsResponse& response);
// The lots of `system_id`.
absl::Status ListLotsPage(pqxx::work& tx, const std::string& system_id, const platform::Page& page,
                          v1::ListLotsResponse& response);
// The criteria of `system_id`: retired ones only when asked, and for `lot_id` those of every lot
// and those of that lot.
absl::Status ListCriteriaPage(pqxx::work& tx, const std::string& system_id, bool include_retired,
                              const std::string& lot_id, const platform::Page& page,
                              v1::ListCriteriaResponse& response);

struct AuditFilter {
  std::string system_id;
  std::string establishment_id;
  std::string provider_id;
  std::vector<std::string> states;        // AuditState names
  std::optional<std::string> due_before;  // YYYY-MM-DD
  std::string lead_authority;             // audits of the systems it leads
  platform::Page page;
};
absl::Status ListAuditsPage(pqxx::work& tx, const AuditFilter& filter,
                            v1::ListAuditsResponse& response);

struct ApplicationFilter {
  std::string system_id;
  std::string provider_id;
  std::vector<std::string> states;        // ApplicationState names
  std::optional<std::string> due_before;  // decision due before, YYYY-MM-DD
  std::string lead_authority;             // applications to the systems it leads
  std::string evaluator_user_id;          // applications it is assigned to evaluate
  platform::Page page;
};
absl::Status ListApplicationsPage(pqxx::work& tx, const ApplicationFilter& filter,
                                  v1::ListApplicationsResponse& response);
// Applications UNDER_EVALUATION in the systems `lead_authority` leads (in `system_id` when set)
// with `evaluator_user_id` assigned, from `from_id` on, by id.
absl::StatusOr<std::vector<v1::Application>> ApplicationsToEvaluate(
    pqxx::work& tx, const std::string& lead_authority, const std::string& system_id,
    const std::string& evaluator_user_id, const std::string& from_id);

// Providers whose name starts with `name_prefix` (as text, case-insensitively), that applied to
// or belong to `system_id`.
absl::Status ListProvidersPage(pqxx::work& tx, const std::string& name_prefix,
                               const std::string& system_id, const platform::Page& page,
                               v1::ListProvidersResponse& response);
// The score adjustments of `system_id` (of `membership_id`, of `provider_id`).
absl::Status ListScoreAdjustmentsPage(pqxx::work& tx, const std::string& membership_id,
                                      const std::string& system_id, const std::string& provider_id,
                                      const platform::Page& page,
                                      v1::ListScoreAdjustmentsResponse& response);

struct MembershipFilter {
  std::string system_id;
  std::string lot_id;
  std::string provider_id;
  std::string establishment_id;
  std::vector<std::string> states;  // MembershipState names
  // Memberships of the systems this organisation leads or, unless lead_staff_scope, takes part in.
  std::string scope_organisation;
  bool lead_staff_scope = false;
  platform::Page page;
};
absl::Status ListMembershipsPage(pqxx::work& tx, const MembershipFilter& filter,
                                 v1::ListMembershipsResponse& response);
// Safeguarding alerts about `establishment_id` in `system_id` not yet closed.
absl::StatusOr<int> OpenAlertCount(pqxx::work& tx, const std::string& system_id,
                                   const std::string& establishment_id);

// The establishments of `provider_id`.
absl::Status ListEstablishmentsPage(pqxx::work& tx, const std::string& provider_id,
                                    const platform::Page& page,
                                    v1::ListEstablishmentsResponse& response);

// Of `establishment_ids`, those that take every child of the cohort (ages[i], genders[i]).
absl::StatusOr<std::set<std::string>> EstablishmentsTakingAll(
    pqxx::work& tx, const std::vector<std::string>& establishment_ids, const std::vector<int>& ages,
    const std::vector<std::string>& genders);
// Miles from (latitude, longitude) to `establishment_id`; unset for an unknown one.
absl::StatusOr<std::optional<double>> MilesTo(pqxx::work& tx, double latitude, double longitude,
                                              const std::string& establishment_id);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_LISTS_H_
