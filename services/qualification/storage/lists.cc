#include "services/qualification/storage/lists.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace dps::qualification {
namespace {

// A PostgreSQL array literal of `items` ("{a,b}"), for a $n::text[] or $n::int[] parameter.
template <typename T>
std::string ArrayLiteral(const std::vector<T>& items) {
  return absl::StrCat("{", absl::StrJoin(items, ","), "}");
}

constexpr char kListSystems[] =
    "SELECT doc, id FROM purchasing_systems WHERE id > $1 AND ($2 = '' OR lead_authority = $2 "
    "OR doc->'authorities' @> jsonb_build_array(jsonb_build_object('authority_id', $2::text))) "
    "ORDER BY id LIMIT $3";
constexpr char kListLots[] =
    "SELECT doc, id FROM lots WHERE purchasing_system_id = $1 AND id > $2 ORDER BY id LIMIT $3";
constexpr char kListCriteria[] =
    "SELECT doc, id FROM criteria WHERE system_id = $1 AND id > $2 "
    "AND ($3 OR NOT coalesce((doc->>'retired')::boolean, false)) "
    "AND ($4 = '' OR coalesce(jsonb_array_length(doc->'lot_ids'), 0) = 0 "
    "     OR doc->'lot_ids' ? $4) "
    "ORDER BY id LIMIT $5";
constexpr char kListAudits[] =
    "SELECT doc, id FROM audits WHERE id > $1 AND ($2 = '' OR system_id = $2) "
    "AND ($3 = '' OR establishment_id = $3) AND ($4 = '' OR provider_id = $4) "
    "AND (cardinality($5::text[]) = 0 OR state = ANY($5::text[])) "
    "AND ($6::date IS NULL OR due_on < $6::date) "
    "AND ($7 = '' OR system_id IN "
    "     (SELECT id FROM purchasing_systems WHERE lead_authority = $7)) "
    "ORDER BY id LIMIT $8";
constexpr char kListApplications[] =
    "SELECT doc, id FROM applications WHERE id > $1 AND ($2 = '' OR system_id = $2) "
    "AND ($3 = '' OR provider_id = $3) "
    "AND (cardinality($4::text[]) = 0 OR state = ANY($4::text[])) "
    "AND ($5::date IS NULL OR decision_due_on < $5::date) "
    "AND ($6 = '' OR system_id IN "
    "     (SELECT id FROM purchasing_systems WHERE lead_authority = $6)) "
    "AND ($8 = '' OR doc->'evaluators' @> "
    "     jsonb_build_array(jsonb_build_object('evaluator_user_id', $8::text))) "
    "ORDER BY id LIMIT $7";
constexpr char kApplicationsToEvaluate[] =
    "SELECT a.doc FROM applications a "
    "JOIN purchasing_systems s ON s.id = a.system_id "
    "WHERE s.lead_authority = $1 AND ($2 = '' OR a.system_id = $2) "
    "AND a.state = 'APPLICATION_STATE_UNDER_EVALUATION' "
    "AND a.doc->'evaluators' @> "
    "    jsonb_build_array(jsonb_build_object('evaluator_user_id', $3::text)) "
    "AND a.id >= $4 ORDER BY a.id";
// The prefix is compared as text, not as a LIKE pattern, so '%' means itself.
constexpr char kListProviders[] =
    "SELECT doc, id FROM providers WHERE id > $1 "
    "AND ($2 = '' OR lower(left(name, length($2))) = lower($2)) "
    "AND ($3 = '' OR id IN (SELECT provider_id FROM applications "
    "                       WHERE system_id = $3 "
    "                       UNION SELECT provider_id FROM memberships "
    "                       WHERE system_id = $3)) "
    "ORDER BY id LIMIT $4";
constexpr char kListScoreAdjustments[] =
    "SELECT doc, id FROM score_adjustments WHERE id > $1 AND ($2 = '' OR membership_id = $2) "
    "AND system_id = $3 AND ($4 = '' OR provider_id = $4) ORDER BY id LIMIT $5";
constexpr char kListMemberships[] =
    "SELECT doc, id FROM memberships WHERE id > $1 AND ($2 = '' OR system_id = $2) "
    "AND ($3 = '' OR lot_id = $3) AND ($4 = '' OR provider_id = $4) "
    "AND ($5 = '' OR establishment_id = $5) "
    "AND (cardinality($6::text[]) = 0 OR state = ANY($6::text[])) "
    "AND ($8 = '' OR system_id IN (SELECT id FROM purchasing_systems WHERE lead_authority = $8 "
    "     OR (NOT $9 AND doc->'authorities' @> jsonb_build_array("
    "                      jsonb_build_object('authority_id', $8::text))))) "
    "ORDER BY id LIMIT $7";
constexpr char kOpenAlertCount[] =
    "SELECT count(*) FROM safeguarding_alerts WHERE system_id = $1 AND establishment_id = $2 "
    "AND status <> 'ALERT_STATUS_CLOSED'";
constexpr char kListEstablishments[] =
    "SELECT doc, id FROM establishments WHERE ($1 = '' OR provider_id = $1) AND id > $2 "
    "ORDER BY id LIMIT $3";
constexpr char kEstablishmentsTakingAll[] =
    "SELECT id FROM establishments e WHERE id = ANY($1::text[]) AND "
    "(SELECT bool_and(e.min_age <= c.age AND e.max_age >= c.age AND c.gender = ANY(e.genders)) "
    " FROM unnest($2::int[], $3::text[]) AS c(age, gender))";
constexpr char kMilesTo[] =
    "SELECT haversine_miles($1, $2, latitude, longitude) FROM establishments WHERE id = $3";

}  // namespace

absl::Status ListSystemsPage(pqxx::work& tx, const std::string& authority_id,
                             const platform::Page& page,
                             v1::ListPurchasingSystemsResponse& response) {
  const pqxx::result rows =
      tx.exec_params(kListSystems, page.after_id, authority_id, page.size + 1);
  return platform::ReadPage<v1::PurchasingSystem>(
      rows, page, [&] { return response.add_systems(); }, response.mutable_page());
}

absl::Status ListLotsPage(pqxx::work& tx, const std::string& system_id, const platform::Page& page,
                          v1::ListLotsResponse& response) {
  const pqxx::result rows = tx.exec_params(kListLots, system_id, page.after_id, page.size + 1);
  return platform::ReadPage<v1::Lot>(
      rows, page, [&] { return response.add_lots(); }, response.mutable_page());
}

absl::Status ListCriteriaPage(pqxx::work& tx, const std::string& system_id, bool include_retired,
                              const std::string& lot_id, const platform::Page& page,
                              v1::ListCriteriaResponse& response) {
  const pqxx::result rows = tx.exec_params(kListCriteria, system_id, page.after_id, include_retired,
                                           lot_id, page.size + 1);
  return platform::ReadPage<v1::Criterion>(
      rows, page, [&] { return response.add_criteria(); }, response.mutable_page());
}

absl::Status ListAuditsPage(pqxx::work& tx, const AuditFilter& filter,
                            v1::ListAuditsResponse& response) {
  const pqxx::result rows =
      tx.exec_params(kListAudits, filter.page.after_id, filter.system_id, filter.establishment_id,
                     filter.provider_id, ArrayLiteral(filter.states), filter.due_before,
                     filter.lead_authority, filter.page.size + 1);
  return platform::ReadPage<v1::Audit>(
      rows, filter.page, [&] { return response.add_audits(); }, response.mutable_page());
}

absl::Status ListApplicationsPage(pqxx::work& tx, const ApplicationFilter& filter,
                                  v1::ListApplicationsResponse& response) {
  const pqxx::result rows =
      tx.exec_params(kListApplications, filter.page.after_id, filter.system_id, filter.provider_id,
                     ArrayLiteral(filter.states), filter.due_before, filter.lead_authority,
                     filter.page.size + 1, filter.evaluator_user_id);
  return platform::ReadPage<v1::Application>(
      rows, filter.page, [&] { return response.add_applications(); }, response.mutable_page());
}

absl::StatusOr<std::vector<v1::Application>> ApplicationsToEvaluate(
    pqxx::work& tx, const std::string& lead_authority, const std::string& system_id,
    const std::string& evaluator_user_id, const std::string& from_id) {
  std::vector<v1::Application> applications;
  for (const pqxx::row& row : tx.exec_params(kApplicationsToEvaluate, lead_authority, system_id,
                                             evaluator_user_id, from_id)) {
    if (absl::Status s = platform::FromDoc(row[0], applications.emplace_back()); !s.ok()) return s;
  }
  return applications;
}

absl::Status ListProvidersPage(pqxx::work& tx, const std::string& name_prefix,
                               const std::string& system_id, const platform::Page& page,
                               v1::ListProvidersResponse& response) {
  const pqxx::result rows =
      tx.exec_params(kListProviders, page.after_id, name_prefix, system_id, page.size + 1);
  return platform::ReadPage<v1::Provider>(
      rows, page, [&] { return response.add_providers(); }, response.mutable_page());
}

absl::Status ListScoreAdjustmentsPage(pqxx::work& tx, const std::string& membership_id,
                                      const std::string& system_id, const std::string& provider_id,
                                      const platform::Page& page,
                                      v1::ListScoreAdjustmentsResponse& response) {
  const pqxx::result rows = tx.exec_params(kListScoreAdjustments, page.after_id, membership_id,
                                           system_id, provider_id, page.size + 1);
  return platform::ReadPage<v1::ScoreAdjustment>(
      rows, page, [&] { return response.add_adjustments(); }, response.mutable_page());
}

absl::Status ListMembershipsPage(pqxx::work& tx, const MembershipFilter& filter,
                                 v1::ListMembershipsResponse& response) {
  const pqxx::result rows =
      tx.exec_params(kListMemberships, filter.page.after_id, filter.system_id, filter.lot_id,
                     filter.provider_id, filter.establishment_id, ArrayLiteral(filter.states),
                     filter.page.size + 1, filter.scope_organisation, filter.lead_staff_scope);
  return platform::ReadPage<v1::Membership>(
      rows, filter.page, [&] { return response.add_memberships(); }, response.mutable_page());
}

absl::StatusOr<int> OpenAlertCount(pqxx::work& tx, const std::string& system_id,
                                   const std::string& establishment_id) {
  return tx.exec_params1(kOpenAlertCount, system_id, establishment_id)[0].as<int>();
}

absl::Status ListEstablishmentsPage(pqxx::work& tx, const std::string& provider_id,
                                    const platform::Page& page,
                                    v1::ListEstablishmentsResponse& response) {
  const pqxx::result rows =
      tx.exec_params(kListEstablishments, provider_id, page.after_id, page.size + 1);
  return platform::ReadPage<v1::Establishment>(
      rows, page, [&] { return response.add_establishments(); }, response.mutable_page());
}

absl::StatusOr<std::set<std::string>> EstablishmentsTakingAll(
    pqxx::work& tx, const std::vector<std::string>& establishment_ids, const std::vector<int>& ages,
    const std::vector<std::string>& genders) {
  std::set<std::string> taking;
  for (const pqxx::row& row :
       tx.exec_params(kEstablishmentsTakingAll, ArrayLiteral(establishment_ids), ArrayLiteral(ages),
                      ArrayLiteral(genders))) {
    taking.insert(row[0].as<std::string>());
  }
  return taking;
}

absl::StatusOr<std::optional<double>> MilesTo(pqxx::work& tx, double latitude, double longitude,
                                              const std::string& establishment_id) {
  const pqxx::result rows = tx.exec_params(kMilesTo, latitude, longitude, establishment_id);
  if (rows.empty()) return std::optional<double>();
  return std::optional<double>(rows[0][0].as<double>());
}

}  // namespace dps::qualification
