#include "services/qualification/storage/records.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "platform/errors/errors.h"
#include "platform/pg/pool.h"
#include "services/qualification/storage/sql.h"

namespace dps::qualification {
namespace {

using dps::common::v1::Gender;
using dps::common::v1::ProvisionType;

std::string EstablishmentType(const v1::Establishment& establishment) {
  return RegisterType(establishment.provision_types().empty()
                          ? dps::common::v1::PROVISION_TYPE_RESIDENTIAL_HOME
                          : establishment.provision_types(0));
}

std::string InspectorateName(v1::Inspectorate inspectorate) {
  switch (inspectorate) {
    case v1::INSPECTORATE_ISI:
      return "ISI";
    case v1::INSPECTORATE_CQC:
      return "CQC";
    case v1::INSPECTORATE_ESTYN:
      return "Estyn";
    case v1::INSPECTORATE_NONE:
      return "none";
    default:
      return "Ofsted";
  }
}

std::string Genders(const v1::Establishment& establishment) {
  std::vector<std::string> genders;
  for (int gender : establishment.genders_accepted()) {
    if (gender == dps::common::v1::GENDER_FEMALE) genders.push_back("female");
    if (gender == dps::common::v1::GENDER_MALE) genders.push_back("male");
    if (gender == dps::common::v1::GENDER_OTHER) genders.push_back("other");
  }
  if (genders.empty()) genders = {"female", "male", "other"};
  return platform::TextArrayParameter(genders);
}

std::string PostcodeDistrict(const std::string& postcode) {
  std::string upper = absl::AsciiStrToUpper(postcode);
  size_t space = upper.find(' ');
  return space == std::string::npos ? upper : upper.substr(0, space);
}

constexpr absl::string_view kEvidenceStatePrefix = "EVIDENCE_STATE_";

// EVIDENCE_STATE_VALID -> "VALID", as the evidence table's state column holds it.
std::string EvidenceStateText(v1::EvidenceState state) {
  return v1::EvidenceState_Name(state).substr(kEvidenceStatePrefix.size());
}

std::optional<std::string> DateText(const dps::common::v1::Date& date) {
  if (date.year() == 0) return std::nullopt;
  return absl::FormatCivilTime(absl::CivilDay(date.year(), date.month(), date.day()));
}

std::string TimeText(const google::protobuf::Timestamp& at) {
  return platform::TimeParameter(absl::FromUnixSeconds(at.seconds()) +
                                 absl::Nanoseconds(at.nanos()));
}

// The first column of every row, as text: the ids a query found.
std::vector<std::string> FirstColumn(const pqxx::result& rows) {
  std::vector<std::string> values;
  for (const pqxx::row& row : rows) values.push_back(row[0].as<std::string>());
  return values;
}

template <typename Message>
absl::StatusOr<std::vector<Message>> ReadAll(const pqxx::result& rows) {
  std::vector<Message> messages(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    if (absl::Status s = FromDoc(rows[i][0], messages[i]); !s.ok()) return s;
  }
  return messages;
}

}  // namespace

std::string RegisterType(ProvisionType type) {
  switch (type) {
    case dps::common::v1::PROVISION_TYPE_FOSTERING:
      return "ifa";
    case dps::common::v1::PROVISION_TYPE_SHORT_BREAKS:
      return "short_breaks";
    case dps::common::v1::PROVISION_TYPE_SUPPORTED_ACCOMMODATION:
      return "supported_accommodation";
    case dps::common::v1::PROVISION_TYPE_INMSS:
      return "residential_special_school";
    case dps::common::v1::PROVISION_TYPE_ALTERNATIVE_EDUCATION:
      return "special_school";
    case dps::common::v1::PROVISION_TYPE_SPECIALIST_COLLEGE:
      return "college";
    case dps::common::v1::PROVISION_TYPE_BESPOKE_INTERVENTION:
      return "intervention";
    default:
      return "childrens_home";
  }
}

absl::Status InsertSystem(pqxx::work& tx, const v1::PurchasingSystem& system) {
  tx.exec_params0(
      "INSERT INTO purchasing_systems (id, name, regime, lead_authority, state, version, doc, "
      "ends_on) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::date)",
      system.id(), system.name(), dps::common::v1::Regime_Name(system.regime()).substr(7),
      system.lead_authority_id(),
      v1::PurchasingSystemState_Name(system.state()).substr(sizeof("PURCHASING_SYSTEM_STATE_") - 1),
      system.version(), ToDoc(system), DateText(system.validity().current_end()));
  return absl::OkStatus();
}

absl::Status SaveSystem(pqxx::work& tx, v1::PurchasingSystem& system) {
  system.set_version(system.version() + 1);
  tx.exec_params0(
      "UPDATE purchasing_systems SET name = $2, state = $3, version = $4, doc = $5::jsonb, "
      "ends_on = $6::date WHERE id = $1",
      system.id(), system.name(),
      v1::PurchasingSystemState_Name(system.state()).substr(sizeof("PURCHASING_SYSTEM_STATE_") - 1),
      system.version(), ToDoc(system), DateText(system.validity().current_end()));
  return absl::OkStatus();
}

absl::Status LoadSystem(pqxx::work& tx, const std::string& id, bool for_update,
                        v1::PurchasingSystem& system) {
  return LoadDoc(tx, "purchasing_systems", "purchasing system", id, for_update, system);
}

absl::StatusOr<std::vector<std::string>> LiveSystemsEndedBy(pqxx::work& tx, absl::CivilDay today,
                                                            int limit) {
  // The partial index purchasing_systems_live_by_end is the closing timer's schedule; a system
  // another replica is closing is skipped, not waited for.
  pqxx::result rows = tx.exec_params(
      "SELECT id FROM purchasing_systems WHERE state = 'LIVE' AND ends_on IS NOT NULL "
      "AND ends_on < $1::date ORDER BY ends_on, id LIMIT $2 FOR UPDATE SKIP LOCKED",
      absl::FormatCivilTime(today), limit);
  return FirstColumn(rows);
}

absl::StatusOr<std::vector<v1::PurchasingSystem>> SystemsWithMember(
    pqxx::work& tx, const std::string& establishment_id) {
  pqxx::result rows = tx.exec_params(
      "SELECT s.doc FROM purchasing_systems s WHERE s.id IN ("
      "  SELECT l.purchasing_system_id FROM memberships m JOIN lots l ON l.id = m.lot_id "
      "  WHERE m.establishment_id = $1) ORDER BY s.id",
      establishment_id);
  return ReadAll<v1::PurchasingSystem>(rows);
}

namespace {

// Whether a weighted criterion in force applies to lot `l`: a lot is weighted (its members carry
// a qualification score) while one does.
constexpr char kWeightedCriterionFor[] =
    "EXISTS (SELECT 1 FROM criteria c WHERE c.system_id = l.purchasing_system_id"
    "  AND c.doc->>'kind' = 'CRITERION_KIND_WEIGHTED'"
    "  AND NOT coalesce((c.doc->>'retired')::boolean, false)"
    "  AND (coalesce(jsonb_array_length(c.doc->'lot_ids'), 0) = 0 OR c.doc->'lot_ids' ? l.id))";

}  // namespace

absl::Status InsertLot(pqxx::work& tx, const v1::Lot& lot) {
  std::optional<int64_t> cap;
  if (lot.terms().affordability_cap_weekly().pence() > 0) {
    cap = lot.terms().affordability_cap_weekly().pence();
  }
  pqxx::result taken =
      tx.exec_params("SELECT 1 FROM lots WHERE purchasing_system_id = $1 AND code = $2",
                     lot.system_id(), lot.code());
  if (!taken.empty()) {
    return absl::AlreadyExistsError(absl::StrCat(
        "spec.code: lot code ", platform::Quote(lot.code()), " is already used in the system"));
  }
  tx.exec_params0(
      "INSERT INTO lots (id, purchasing_system_id, code, name, weighted, affordability_cap_pence, "
      "version, doc) VALUES ($1, $2, $3, $4, false, $5, $6, $7::jsonb)",
      lot.id(), lot.system_id(), lot.code(), lot.name(), cap, lot.version(), ToDoc(lot));
  // Weighted from the start when a criterion for every lot already is; later criteria keep it.
  tx.exec_params0(
      absl::StrCat("UPDATE lots l SET weighted = ", kWeightedCriterionFor, " WHERE l.id = $1"),
      lot.id());
  return absl::OkStatus();
}

absl::Status FillQualificationScored(pqxx::work& tx, v1::Lot& lot) {
  pqxx::result row = tx.exec_params("SELECT weighted FROM lots WHERE id = $1", lot.id());
  if (row.empty()) return absl::NotFoundError(absl::StrCat("lot ", lot.id(), " not found"));
  lot.set_qualification_scored(row[0][0].as<bool>());
  return absl::OkStatus();
}

absl::Status SaveLot(pqxx::work& tx, v1::Lot& lot) {
  lot.set_version(lot.version() + 1);
  std::optional<int64_t> cap;
  if (lot.terms().affordability_cap_weekly().pence() > 0) {
    cap = lot.terms().affordability_cap_weekly().pence();
  }
  pqxx::result taken = tx.exec_params(
      "SELECT 1 FROM lots WHERE purchasing_system_id = $1 AND code = $2 AND id <> $3",
      lot.system_id(), lot.code(), lot.id());
  if (!taken.empty()) {
    return absl::AlreadyExistsError(absl::StrCat(
        "spec.code: lot code ", platform::Quote(lot.code()), " is already used in the system"));
  }
  tx.exec_params0(
      "UPDATE lots SET code = $2, name = $3, affordability_cap_pence = $4, version = $5, "
      "doc = $6::jsonb WHERE id = $1",
      lot.id(), lot.code(), lot.name(), cap, lot.version(), ToDoc(lot));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Lot>> LotsOf(pqxx::work& tx, const std::string& system_id) {
  return ReadAll<v1::Lot>(tx.exec_params(
      "SELECT doc FROM lots WHERE purchasing_system_id = $1 ORDER BY id", system_id));
}

absl::Status InsertCriterion(pqxx::work& tx, const v1::Criterion& criterion) {
  pqxx::result taken = tx.exec_params("SELECT 1 FROM criteria WHERE system_id = $1 AND code = $2",
                                      criterion.system_id(), criterion.code());
  if (!taken.empty()) {
    return absl::AlreadyExistsError(absl::StrCat("spec.code: criterion code ",
                                                 platform::Quote(criterion.code()),
                                                 " is already used in the system"));
  }
  tx.exec_params0(
      "INSERT INTO criteria (id, system_id, code, version, doc) VALUES ($1, $2, $3, $4, $5::jsonb)",
      criterion.id(), criterion.system_id(), criterion.code(), criterion.version(),
      ToDoc(criterion));
  if (criterion.kind() == v1::CRITERION_KIND_WEIGHTED) {
    // A weighted criterion for every lot (lot_ids empty) or the listed ones.
    std::vector<std::string> lot_ids(criterion.lot_ids().begin(), criterion.lot_ids().end());
    tx.exec_params0(
        "UPDATE lots SET weighted = true WHERE purchasing_system_id = $1 "
        "AND (cardinality($2::text[]) = 0 OR id = ANY($2::text[]))",
        criterion.system_id(), platform::TextArrayParameter(lot_ids));
  }
  return absl::OkStatus();
}

absl::Status SaveCriterion(pqxx::work& tx, const v1::Criterion& criterion) {
  pqxx::result taken =
      tx.exec_params("SELECT 1 FROM criteria WHERE system_id = $1 AND code = $2 AND id <> $3",
                     criterion.system_id(), criterion.code(), criterion.id());
  if (!taken.empty()) {
    return absl::AlreadyExistsError(absl::StrCat("spec.code: criterion code ",
                                                 platform::Quote(criterion.code()),
                                                 " is already used in the system"));
  }
  tx.exec_params0("UPDATE criteria SET code = $2, version = $3, doc = $4::jsonb WHERE id = $1",
                  criterion.id(), criterion.code(), criterion.version(), ToDoc(criterion));
  tx.exec_params0(absl::StrCat("UPDATE lots l SET weighted = ", kWeightedCriterionFor,
                               " WHERE l.purchasing_system_id = $1"),
                  criterion.system_id());
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Criterion>> CriteriaOf(pqxx::work& tx,
                                                      const std::string& system_id) {
  return ReadAll<v1::Criterion>(
      tx.exec_params("SELECT doc FROM criteria WHERE system_id = $1 ORDER BY id", system_id));
}

absl::Status InsertEstablishment(pqxx::work& tx, const v1::Establishment& e) {
  std::vector<std::string> specialisms(e.specialism_codes().begin(), e.specialism_codes().end());
  std::vector<std::string> placement_types(e.placement_type_codes().begin(),
                                           e.placement_type_codes().end());
  tx.exec_params0(
      "INSERT INTO establishments (id, provider_id, name, type, inspectorate, urn, "
      "postcode_district, latitude, longitude, min_age, max_age, genders, capacity, specialisms, "
      "version, doc, placement_types) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
      "$12::text[], $13, $14::text[], $15, $16::jsonb, $17::text[])",
      e.id(), e.provider_id(), e.name(), EstablishmentType(e), InspectorateName(e.inspectorate()),
      e.inspectorate_ref(), PostcodeDistrict(e.address().postcode()), e.location().latitude(),
      e.location().longitude(), e.age_min_years(), e.age_max_years(), Genders(e),
      e.registered_places(), platform::TextArrayParameter(specialisms), e.version(), ToDoc(e),
      platform::TextArrayParameter(placement_types));
  return absl::OkStatus();
}

absl::Status SaveEstablishment(pqxx::work& tx, v1::Establishment& e) {
  e.set_version(e.version() + 1);
  std::vector<std::string> specialisms(e.specialism_codes().begin(), e.specialism_codes().end());
  std::vector<std::string> placement_types(e.placement_type_codes().begin(),
                                           e.placement_type_codes().end());
  const pqxx::result saved = tx.exec_params(
      "UPDATE establishments SET name = $2, type = $3, inspectorate = $4, urn = $5, "
      "postcode_district = $6, latitude = $7, longitude = $8, min_age = $9, max_age = $10, "
      "genders = $11::text[], capacity = $12, specialisms = $13::text[], version = $14, "
      "doc = $15::jsonb, placement_types = $16::text[] WHERE id = $1",
      e.id(), e.name(), EstablishmentType(e), InspectorateName(e.inspectorate()),
      e.inspectorate_ref(), PostcodeDistrict(e.address().postcode()), e.location().latitude(),
      e.location().longitude(), e.age_min_years(), e.age_max_years(), Genders(e),
      e.registered_places(), platform::TextArrayParameter(specialisms), e.version(), ToDoc(e),
      platform::TextArrayParameter(placement_types));
  if (saved.affected_rows() == 0) {
    e.set_version(e.version() - 1);
    return absl::NotFoundError(absl::StrCat("establishment ", e.id(), ": not found"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Establishment>> EstablishmentsByRef(pqxx::work& tx,
                                                                   v1::Inspectorate inspectorate,
                                                                   const std::string& ref) {
  pqxx::result rows = tx.exec_params(
      "SELECT doc FROM establishments WHERE inspectorate = $1 AND urn = $2 ORDER BY id",
      InspectorateName(inspectorate), ref);
  return ReadAll<v1::Establishment>(rows);
}

absl::Status ListEvidencePage(pqxx::work& tx, const EvidenceFilter& filter,
                              v1::ListEvidenceResponse& response) {
  // $1 provider, $2 establishment, $3 system ('' for any), $4 expires before (NULL for any), $5
  // states joined by ',' ('' for any), $6 the end of the warning period, $7 the page token (the
  // last id), $8 the most rows. The state reported is computed once, for the filter and the
  // caller: EXPIRING is stored as VALID, since it depends on the day.
  static constexpr char kListEvidence[] = R"sql(
    SELECT e.doc, e.id, r.state FROM evidence e,
           LATERAL (SELECT CASE WHEN e.state = 'VALID' AND e.expires_on < $6::date
                                THEN 'EXPIRING' ELSE e.state END AS state) r
     WHERE e.provider_id = $1
       AND ($2 = '' OR e.establishment_id = $2)
       AND ($3 = ''
            OR EXISTS (SELECT 1 FROM membership_evidence me
                         JOIN memberships m ON m.id = me.membership_id
                        WHERE me.evidence_id = e.id AND m.system_id = $3)
            OR EXISTS (SELECT 1 FROM applications a, jsonb_array_elements(a.doc->'responses') x
                        WHERE a.system_id = $3 AND a.provider_id = $1
                          AND x->'evidence_ids' ? e.id))
       AND ($4::date IS NULL OR e.expires_on < $4::date)
       AND ($5 = '' OR r.state = ANY (string_to_array($5, ',')))
       AND e.id > $7
     ORDER BY e.id
     LIMIT $8)sql";
  std::vector<std::string> states;
  for (v1::EvidenceState state : filter.states) states.push_back(EvidenceStateText(state));
  const std::optional<std::string> before =
      filter.expires_before
          ? std::optional<std::string>(absl::FormatCivilTime(*filter.expires_before))
          : std::nullopt;
  const pqxx::result rows =
      tx.exec_params(kListEvidence, filter.provider_id, filter.establishment_id, filter.system_id,
                     before, absl::StrJoin(states, ","), absl::FormatCivilTime(filter.warn_before),
                     filter.page.after_id, filter.page.size + 1);
  if (absl::Status s = ReadPage<v1::Evidence>(
          rows, filter.page, [&] { return response.add_evidence(); }, response.mutable_page());
      !s.ok()) {
    return s;
  }
  for (int i = 0; i < response.evidence_size(); ++i) {
    v1::EvidenceState state;
    if (v1::EvidenceState_Parse(absl::StrCat(kEvidenceStatePrefix, rows[i][2].c_str()), &state)) {
      response.mutable_evidence(i)->set_state(state);
    }
  }
  return absl::OkStatus();
}

absl::Status InsertApplication(pqxx::work& tx, const v1::Application& application) {
  tx.exec_params0(
      "INSERT INTO applications (id, system_id, provider_id, state, decision_due_on, version, "
      "doc) VALUES ($1, $2, $3, $4, $5::date, $6, $7::jsonb)",
      application.id(), application.system_id(), application.provider_id(),
      v1::ApplicationState_Name(application.state()), DateText(application.decision_due_on()),
      application.version(), ToDoc(application));
  return absl::OkStatus();
}

absl::Status SaveApplication(pqxx::work& tx, v1::Application& application) {
  application.set_version(application.version() + 1);
  tx.exec_params0(
      "UPDATE applications SET state = $2, decision_due_on = $3::date, version = $4, "
      "doc = $5::jsonb WHERE id = $1",
      application.id(), v1::ApplicationState_Name(application.state()),
      DateText(application.decision_due_on()), application.version(), ToDoc(application));
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::string>> OpenApplicationFor(pqxx::work& tx,
                                                              const std::string& system_id,
                                                              const std::string& membership_id,
                                                              v1::ApplicationKind kind) {
  // The system and state narrow the rows through applications_system_state; the kind and
  // membership are only in the doc.
  pqxx::result rows = tx.exec_params(
      "SELECT id FROM applications WHERE system_id = $1 "
      "AND state IN ('APPLICATION_STATE_SUBMITTED', 'APPLICATION_STATE_UNDER_EVALUATION') "
      "AND doc->>'kind' = $3 AND doc->>'membership_id' = $2 ORDER BY id LIMIT 1",
      system_id, membership_id, v1::ApplicationKind_Name(kind));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows[0][0].as<std::string>());
}

absl::Status RankedMembershipsPage(pqxx::work& tx, const RankedMembershipFilter& filter,
                                   v1::ListMembershipsResponse& response) {
  // The page token's position, as kRankedMemberships writes it: "score|qualified_at|id". The
  // token is the server's (platform/pg/documents.h), so a position that does not parse was forged
  // or garbled; it is refused as any token this list did not give.
  std::optional<std::string> after_score;
  std::optional<std::string> after_qualified_at;
  std::optional<std::string> after_id;
  if (!filter.page.after_id.empty()) {
    std::vector<std::string> parts = absl::StrSplit(filter.page.after_id, absl::MaxSplits('|', 2));
    double score = 0;
    absl::Time qualified_at;
    std::string error;
    if (parts.size() != 3 || !absl::SimpleAtod(parts[0], &score) ||
        !absl::ParseTime("%Y-%m-%dT%H:%M:%E*SZ", parts[1], &qualified_at, &error) ||
        parts[2].empty()) {
      return absl::InvalidArgumentError("page.page_token: not a token this list gave");
    }
    after_score = parts[0];
    after_qualified_at = parts[1];
    after_id = parts[2];
  }
  std::vector<std::string> states;
  for (v1::MembershipState state : filter.states) {
    states.push_back(v1::MembershipState_Name(state).substr(sizeof("MEMBERSHIP_STATE_") - 1));
  }
  pqxx::result rows = tx.exec_params(
      sql::kRankedMemberships, filter.lot_id, filter.system_id, filter.provider_id,
      filter.establishment_id, platform::TextArrayParameter(states), filter.scope_organisation,
      filter.lead_staff_scope, platform::TimeParameter(filter.as_of), after_score,
      after_qualified_at, after_id, filter.page.size + 1);
  const int first = response.memberships_size();
  if (absl::Status s = ReadPage<v1::Membership>(
          rows, filter.page, [&] { return response.add_memberships(); }, response.mutable_page());
      !s.ok()) {
    return s;
  }
  for (int i = first; i < response.memberships_size(); ++i) {
    response.mutable_memberships(i)->set_rank(rows[i - first][2].as<int>());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> InspectionRatingCriterion(pqxx::work& tx,
                                                      const std::string& system_id) {
  static constexpr char kRatingCriterion[] =
      "SELECT id FROM criteria WHERE system_id = $1 "
      "AND doc->>'category' = 'CRITERION_CATEGORY_INSPECTION_RATING' ORDER BY id LIMIT 1";
  pqxx::result rows = tx.exec_params(kRatingCriterion, system_id);
  if (rows.empty()) return std::string("inspection-rating");
  return rows[0][0].as<std::string>();
}

absl::StatusOr<bool> LeadsSystemWithMember(pqxx::work& tx, const std::string& establishment_id,
                                           const std::string& lead_authority) {
  static constexpr char kLeadsSystemWithMember[] =
      "SELECT EXISTS (SELECT 1 FROM memberships m JOIN purchasing_systems s ON s.id = m.system_id "
      "WHERE m.establishment_id = $1 AND m.state <> 'EXCLUDED' AND s.lead_authority = $2)";
  return tx.exec_params1(kLeadsSystemWithMember, establishment_id, lead_authority)[0].as<bool>();
}

absl::StatusOr<std::vector<std::string>> SystemsWithMember(pqxx::work& tx,
                                                           const std::string& establishment_id,
                                                           const std::string& lead_authority) {
  static constexpr char kSystemsWithMember[] =
      "SELECT DISTINCT system_id FROM memberships WHERE establishment_id = $1 "
      "AND state <> 'EXCLUDED' AND ($2 = '' OR system_id IN "
      "    (SELECT id FROM purchasing_systems WHERE lead_authority = $2)) ORDER BY 1";
  std::vector<std::string> ids;
  for (const pqxx::row& row :
       tx.exec_params(kSystemsWithMember, establishment_id, lead_authority)) {
    ids.push_back(row[0].as<std::string>());
  }
  return ids;
}

absl::StatusOr<std::map<std::string, EstablishmentStanding>> StandingOf(
    pqxx::work& tx, const std::string& system_id,
    const std::vector<std::string>& establishment_ids) {
  pqxx::result rows = tx.exec_params(
      "SELECT e.id, "
      "  (SELECT r.rating FROM inspection_ratings r WHERE r.establishment_id = e.id "
      "   ORDER BY r.recorded_seq DESC LIMIT 1), "
      "  (SELECT count(*) FROM safeguarding_alerts a WHERE a.system_id = $1 "
      "   AND a.establishment_id = e.id AND a.status <> 'ALERT_STATUS_CLOSED') "
      "FROM unnest($2::text[]) AS e(id)",
      system_id, platform::TextArrayParameter(establishment_ids));
  std::map<std::string, EstablishmentStanding> standing;
  for (const pqxx::row& row : rows) {
    EstablishmentStanding& s = standing[row[0].as<std::string>()];
    if (!row[1].is_null()) v1::Rating_Parse(row[1].as<std::string>(), &s.rating);
    s.open_alerts = row[2].as<int>();
  }
  return standing;
}

absl::Status ListAlertsPage(pqxx::work& tx, const AlertFilter& filter,
                            v1::ListSafeguardingAlertsResponse& response) {
  std::vector<std::string> statuses;
  for (v1::AlertStatus status : filter.statuses) statuses.push_back(v1::AlertStatus_Name(status));
  // `scope`: the one system asked for, or every system the authority leads or takes part in.
  // An alert is listed when raised in a system of the scope or, for an authority's officers,
  // when its establishment holds a membership (any state) of a lot of one: the set form of
  // CanSee and CanSeeThroughMembership (domain/alert.h).
  pqxx::result rows = tx.exec_params(
      "WITH scope AS ("
      "  SELECT id FROM purchasing_systems WHERE CASE WHEN $1 <> '' THEN id = $1"
      "    ELSE lead_authority = $2 OR doc->'authorities' @> "
      "         jsonb_build_array(jsonb_build_object('authority_id', $2::text)) END) "
      "SELECT a.doc, a.id FROM safeguarding_alerts a "
      "WHERE (a.system_id IN (SELECT id FROM scope) OR ($3 AND a.establishment_id IN ("
      "    SELECT m.establishment_id FROM memberships m JOIN lots l ON l.id = m.lot_id "
      "    WHERE l.purchasing_system_id IN (SELECT id FROM scope)))) "
      "AND ($4 = '' OR a.establishment_id = $4) "
      "AND (cardinality($5::text[]) = 0 OR a.status = ANY($5::text[])) AND a.id > $6 "
      "ORDER BY a.id LIMIT $7",
      filter.system_id, filter.authority_id, filter.through_memberships, filter.establishment_id,
      platform::TextArrayParameter(statuses), filter.page.after_id, filter.page.size + 1);
  return ReadPage<v1::SafeguardingAlert>(
      rows, filter.page, [&] { return response.add_alerts(); }, response.mutable_page());
}

absl::Status ListRatingsPage(pqxx::work& tx, const RatingFilter& filter,
                             v1::ListInspectionRatingsResponse& response) {
  pqxx::result rows = tx.exec_params(
      "SELECT r.doc, r.id FROM inspection_ratings r "
      "WHERE ($1 = '' OR r.establishment_id = $1) "
      "AND ($2 = '' OR r.establishment_id IN ("
      "    SELECT m.establishment_id FROM memberships m JOIN lots l ON l.id = m.lot_id "
      "    WHERE l.purchasing_system_id = $2)) "
      "AND r.id > $3 ORDER BY r.id LIMIT $4",
      filter.establishment_id, filter.system_id, filter.page.after_id, filter.page.size + 1);
  return ReadPage<v1::InspectionRating>(
      rows, filter.page, [&] { return response.add_ratings(); }, response.mutable_page());
}

absl::Status InsertScoreAdjustment(pqxx::work& tx, const v1::ScoreAdjustment& adjustment,
                                   const Membership& membership) {
  tx.exec_params0(
      "INSERT INTO score_adjustments (id, membership_id, system_id, provider_id, effective_at, "
      "doc) VALUES ($1, $2, $3, $4, $5::timestamptz, $6::jsonb)",
      adjustment.id(), membership.id, membership.system_id, membership.provider_id,
      TimeText(adjustment.effective_at()), ToDoc(adjustment));
  return absl::OkStatus();
}

}  // namespace dps::qualification
