// Keeping the list clean: inspection ratings (a drop to Inadequate suspends by itself) and
// safeguarding alerts shared between the authorities of a system.
#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "services/qualification/api/access.h"
#include "services/qualification/api/convert.h"
#include "services/qualification/api/membership_changes.h"
#include "services/qualification/api/qualification_service.h"
#include "services/qualification/domain/errors.h"
#include "services/qualification/domain/inspection_rating.h"
#include "services/qualification/storage/records.h"

namespace dps::qualification {
namespace {

constexpr int kMaxImportRows = 10000;
constexpr size_t kMaxReportUrlLength = 2048;

// The item an Inadequate rating's suspension names: the system's inspection-rating criterion,
// so reinstatement asks for exactly that to be resubmitted.
absl::StatusOr<std::string> RatingItem(pqxx::work& tx, const std::string& system_id) {
  pqxx::result rows = tx.exec_params(
      "SELECT id FROM criteria WHERE system_id = $1 "
      "AND doc->>'category' = 'CRITERION_CATEGORY_INSPECTION_RATING' ORDER BY id LIMIT 1",
      system_id);
  if (rows.empty()) return std::string("inspection-rating");
  return rows[0][0].as<std::string>();
}

// The outcome part of a rating, shared by import rows and manual ratings; `here` prefixes the
// field names ("rows[3]", "rating").
absl::Status ValidateOutcome(const v1::InspectionRatingRow& row, absl::string_view here) {
  if (row.rating() == v1::RATING_UNSPECIFIED) {
    return InvalidField(absl::StrCat(here, ".rating"), "required");
  }
  // The link is shown to every authority of the system: a web address, nothing a browser would
  // run (javascript:, data:).
  if (!row.report_url().empty() && !absl::StartsWith(row.report_url(), "https://") &&
      !absl::StartsWith(row.report_url(), "http://")) {
    return InvalidField(absl::StrCat(here, ".report_url"),
                        "must be an http:// or https:// address");
  }
  if (row.report_url().size() > kMaxReportUrlLength) {
    return InvalidField(absl::StrCat(here, ".report_url"),
                        absl::StrCat("must be at most ", kMaxReportUrlLength, " characters"));
  }
  if (absl::StatusOr<std::optional<absl::CivilDay>> day =
          FromDate(row.inspected_on(), absl::StrCat(here, ".inspected_on"));
      !day.ok()) {
    return day.status();
  }
  return FromDate(row.published_on(), absl::StrCat(here, ".published_on")).status();
}

absl::Status ValidateRow(const v1::InspectionRatingRow& row, int index) {
  const std::string here = absl::StrCat("rows[", index, "]");
  if (row.inspectorate() == v1::INSPECTORATE_UNSPECIFIED) {
    return InvalidField(absl::StrCat(here, ".inspectorate"), "required");
  }
  if (row.inspectorate_ref().empty()) {
    return InvalidField(absl::StrCat(here, ".inspectorate_ref"), "required");
  }
  return ValidateOutcome(row, here);
}

bool SameOutcome(const v1::InspectionRating& a, const v1::InspectionRatingRow& b) {
  return a.rating() == b.rating() && a.grade_text() == b.grade_text() &&
         a.inspected_on().SerializeAsString() == b.inspected_on().SerializeAsString();
}

// The organisation whose systems a rating may act in: none for a DPS service (every system),
// otherwise the caller's, a lead authority.
std::string RatingScope(const Call& call) {
  return call.caller.role == ApiRole::ROLE_SERVICE ? std::string() : call.caller.organisation_id;
}

// Whether the caller may rate `establishment_id`: a service always; a lead authority only an
// establishment that is a member (not excluded) of a system it leads. A council that leads none
// of its systems has no business recording its ratings, and could otherwise suspend it in
// systems of other councils.
absl::StatusOr<bool> MayRate(const Call& call, const std::string& establishment_id) {
  const std::string scope = RatingScope(call);
  if (scope.empty()) return true;
  pqxx::row found = call.tx.exec_params1(
      "SELECT EXISTS (SELECT 1 FROM memberships m JOIN purchasing_systems s ON s.id = m.system_id "
      "WHERE m.establishment_id = $1 AND m.state <> 'EXCLUDED' AND s.lead_authority = $2)",
      establishment_id, scope);
  return found[0].as<bool>();
}

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

// Why a rating inspected on `inspected_on` does not replace the current one, inspected on
// `current` (IsOlderInspection).
std::string OlderThanCurrent(const std::optional<absl::CivilDay>& inspected_on,
                             absl::CivilDay current) {
  return absl::StrCat(inspected_on.has_value()
                          ? absl::StrCat("inspected on ", absl::FormatCivilTime(*inspected_on), ",")
                          : std::string("not dated, so"),
                      " older than the inspection of ", absl::FormatCivilTime(current),
                      " already recorded");
}

// ChangeMembership rebuilds a membership's suspensions from the domain's failed items, which
// name no rating, so the suspension for `item` that `rating_id` caused is made to name it
// (Suspension.inspection_rating_id: the report an authority opens to see why) and saved again as
// part of the same change: the membership keeps the one new version ChangeMembership gave it.
absl::Status NameRatingInSuspension(Call& call, v1::Membership& membership, const std::string& item,
                                    const std::string& rating_id) {
  for (v1::Suspension& suspension : *membership.mutable_suspensions()) {
    const auto& items = suspension.failed_criterion_ids();
    if (suspension.reason() == v1::SUSPENSION_REASON_RATING_INADEQUATE &&
        std::find(items.begin(), items.end(), item) != items.end()) {
      suspension.set_inspection_rating_id(rating_id);
    }
  }
  membership.set_version(membership.version() - 1);
  return SaveMembership(call.tx, membership);
}

// Records `row` as the establishment's latest rating, unless it is the one already recorded or
// an older inspection than the current rating's (UNCHANGED, nothing written: an older file
// imported after a newer one neither replaces the newer inspection nor suspends). A change of
// rating is announced; a drop to Inadequate suspends the establishment in every system it is a
// member of that the caller leads (every system, for a DPS service), naming the system's
// inspection-rating criterion and the rating. Shared by the bulk import and the manual call, so
// both have the same effect.
absl::StatusOr<RatingApplied> ApplyRating(Call& call, const v1::Establishment& est,
                                          const v1::InspectionRatingRow& row,
                                          v1::RatingSource source) {
  RatingApplied applied;
  absl::StatusOr<std::optional<v1::InspectionRating>> previous = LatestRating(call.tx, est.id());
  if (!previous.ok()) return previous.status();
  if (previous->has_value() && SameOutcome(**previous, row)) {
    applied.outcome = v1::IMPORT_ROW_OUTCOME_UNCHANGED;
    applied.rating = **previous;
    return applied;
  }
  if (previous->has_value()) {
    absl::StatusOr<std::optional<absl::CivilDay>> current_on =
        FromDate((*previous)->inspected_on(), "inspected_on");
    if (!current_on.ok()) return current_on.status();
    absl::StatusOr<std::optional<absl::CivilDay>> row_on =
        FromDate(row.inspected_on(), "inspected_on");
    if (!row_on.ok()) return row_on.status();
    if (IsOlderInspection(*row_on, *current_on)) {
      applied.outcome = v1::IMPORT_ROW_OUTCOME_UNCHANGED;
      applied.older = OlderThanCurrent(*row_on, **current_on);
      return applied;
    }
  }
  v1::InspectionRating& rating = applied.rating;
  rating.set_id(NewId("rat"));
  rating.set_establishment_id(est.id());
  rating.set_inspectorate(row.inspectorate());
  rating.set_rating(row.rating());
  rating.set_grade_text(row.grade_text());
  *rating.mutable_inspected_on() = row.inspected_on();
  *rating.mutable_published_on() = row.published_on();
  rating.set_report_url(row.report_url());
  rating.set_source(source);
  *rating.mutable_recorded_at() = ToTimestamp(call.now);
  if (absl::Status s = InsertRating(call.tx, rating); !s.ok()) return s;
  applied.outcome = v1::IMPORT_ROW_OUTCOME_RECORDED;
  const v1::Rating before = previous->has_value() ? (*previous)->rating() : v1::RATING_UNSPECIFIED;
  const bool drop = row.rating() == v1::RATING_INADEQUATE && before != v1::RATING_INADEQUATE;
  if (before != row.rating()) {
    dps::events::v1::EventEnvelope event;
    auto* changed = event.mutable_inspection_rating_changed();
    changed->set_establishment_id(est.id());
    changed->set_provider_id(est.provider_id());
    changed->set_inspection_rating_id(rating.id());
    changed->set_inspectorate(row.inspectorate());
    changed->set_previous_rating(before);
    changed->set_rating(row.rating());
    *changed->mutable_inspected_on() = row.inspected_on();
    changed->set_triggers_suspension(drop);
    if (absl::Status s = Announce(call, "qualification.establishment.rating_changed",
                                  "establishment", est.id(), "", std::move(event));
        !s.ok()) {
      return s;
    }
  }
  if (!drop) return applied;
  pqxx::result systems = call.tx.exec_params(
      "SELECT DISTINCT system_id FROM memberships WHERE establishment_id = $1 "
      "AND state <> 'EXCLUDED' AND ($2 = '' OR system_id IN "
      "    (SELECT id FROM purchasing_systems WHERE lead_authority = $2)) ORDER BY 1",
      est.id(), RatingScope(call));
  for (const pqxx::row& system_row : systems) {
    const std::string system_id = system_row[0].as<std::string>();
    absl::StatusOr<std::string> item = RatingItem(call.tx, system_id);
    if (!item.ok()) return item.status();
    absl::StatusOr<std::vector<v1::Membership>> memberships =
        MembershipsOfEstablishment(call.tx, system_id, est.id());
    if (!memberships.ok()) return memberships.status();
    for (v1::Membership& membership : *memberships) {
      absl::StatusOr<bool> suspended = ChangeMembership(call, membership, [&](Membership& m) {
        return ApplyInspectionGrade(m, InspectionGrade::kInadequate, *item, call.now,
                                    call.caller.user_id);
      });
      if (!suspended.ok()) return suspended.status();
      if (!*suspended) continue;
      if (absl::Status s = NameRatingInSuspension(call, membership, *item, rating.id()); !s.ok()) {
        return s;
      }
      if (absl::Status s = AnnounceSuspended(call, membership); !s.ok()) return s;
      ++applied.suspensions;
    }
  }
  return applied;
}

// What one import row did to one establishment its reference names.
struct EstablishmentRated {
  std::string establishment_id;
  RatingApplied applied;
};

// The one result of a row from what it did to each establishment its reference names (in id
// order; see ImportInspectionRatings for how several are reported).
void ReportRow(const std::vector<EstablishmentRated>& rated, v1::ImportRowResult& result) {
  const bool recorded = std::any_of(rated.begin(), rated.end(), [](const EstablishmentRated& r) {
    return r.applied.outcome == v1::IMPORT_ROW_OUTCOME_RECORDED;
  });
  result.set_outcome(recorded ? v1::IMPORT_ROW_OUTCOME_RECORDED : v1::IMPORT_ROW_OUTCOME_UNCHANGED);
  for (const EstablishmentRated& r : rated) {
    if (r.applied.outcome == result.outcome() && !r.applied.rating.id().empty()) {
      result.set_inspection_rating_id(r.applied.rating.id());
      break;
    }
  }
  result.set_triggered_suspension(
      std::any_of(rated.begin(), rated.end(),
                  [](const EstablishmentRated& r) { return r.applied.suspensions > 0; }));
  if (rated.size() == 1) {
    result.set_detail(rated.front().applied.older);
    return;
  }
  std::vector<std::string> each;
  for (const EstablishmentRated& r : rated) {
    std::string& line = each.emplace_back(absl::StrCat(r.establishment_id, " "));
    if (r.applied.outcome == v1::IMPORT_ROW_OUTCOME_RECORDED) {
      absl::StrAppend(&line, "recorded ", r.applied.rating.id());
      if (r.applied.suspensions > 0) {
        absl::StrAppend(&line, ", suspended in ", r.applied.suspensions,
                        r.applied.suspensions == 1 ? " membership" : " memberships");
      }
    } else if (!r.applied.older.empty()) {
      absl::StrAppend(&line, "unchanged: ", r.applied.older);
    } else {
      absl::StrAppend(&line, "unchanged");
    }
  }
  result.set_detail(
      absl::StrCat("applied to the ", rated.size(),
                   " establishments with this reference: ", absl::StrJoin(each, "; ")));
}

// The domain's view of an alert, enough for its rules (who raised it, its state).
Alert ToDomainAlert(const v1::SafeguardingAlert& alert) {
  Alert out;
  out.id = alert.id();
  out.system_id = alert.system_id();
  out.establishment_id = alert.establishment_id();
  out.provider_id = alert.provider_id();
  out.raised_by_authority = alert.raised_by_authority_id();
  out.severity = ToDomain(alert.severity());
  switch (alert.status()) {
    case v1::ALERT_STATUS_UNDER_INVESTIGATION:
      out.status = AlertStatus::kUnderReview;
      break;
    case v1::ALERT_STATUS_CLOSED:
      out.status = AlertStatus::kClosed;
      break;
    default:
      out.status = AlertStatus::kOpen;
      break;
  }
  out.summary = alert.summary();
  out.raised_at = FromTimestamp(alert.raised_at());
  return out;
}

void AppendHistory(const Alert& domain, const Call& call, v1::SafeguardingAlert& alert) {
  for (const AlertChange& change : domain.history) {
    dps::common::v1::HistoryEntry* entry = alert.add_history();
    *entry->mutable_at() = ToTimestamp(change.at);
    *entry->mutable_actor() = platform::ActorOf(call.caller);
    entry->set_from_state(change.from);
    entry->set_to_state(change.to);
    entry->set_reason(change.reason);
  }
}

}  // namespace

// One rating entered by hand (a report read before the next bulk file): the same effect as one
// import row for the establishment, so a drop to Inadequate suspends it.
grpc::Status QualificationService::RecordInspectionRating(
    grpc::ServerContext* context, const v1::RecordInspectionRatingRequest* request,
    v1::InspectionRating* response) {
  return Change(context, "RecordInspectionRating", request->idempotency_key(), *request, *response,
                {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, ApiRole::ROLE_SERVICE},
                [&](Call& call) -> absl::Status {
                  const v1::InspectionRating& given = request->rating();
                  if (given.establishment_id().empty()) {
                    return InvalidField("rating.establishment_id", "required");
                  }
                  v1::Establishment establishment;
                  if (absl::Status s = LoadDoc(call.tx, "establishments", "establishment",
                                               given.establishment_id(), false, establishment);
                      !s.ok()) {
                    return s;
                  }
                  absl::StatusOr<bool> may = MayRate(call, establishment.id());
                  if (!may.ok()) return may.status();
                  if (!*may) {
                    return absl::PermissionDeniedError(
                        absl::StrCat("organisation ", call.caller.organisation_id,
                                     " leads no purchasing system with establishment ",
                                     establishment.id(), " as a member"));
                  }
                  v1::InspectionRatingRow row;
                  row.set_inspectorate(given.inspectorate() == v1::INSPECTORATE_UNSPECIFIED
                                           ? establishment.inspectorate()
                                           : given.inspectorate());
                  row.set_inspectorate_ref(establishment.inspectorate_ref());
                  row.set_rating(given.rating());
                  row.set_grade_text(given.grade_text());
                  *row.mutable_inspected_on() = given.inspected_on();
                  *row.mutable_published_on() = given.published_on();
                  row.set_report_url(given.report_url());
                  if (absl::Status s = ValidateOutcome(row, "rating"); !s.ok()) return s;
                  absl::StatusOr<RatingApplied> applied =
                      ApplyRating(call, establishment, row, v1::RATING_SOURCE_MANUAL);
                  if (!applied.ok()) return applied.status();
                  // Entered by hand, an older report is a mistake to show, not a row to skip.
                  if (!applied->older.empty()) {
                    return InvalidField(
                        "rating.inspected_on",
                        absl::StrCat(applied->older, " for establishment ", establishment.id(),
                                     ": the newer stays its current rating"));
                  }
                  *response = applied->rating;
                  return absl::OkStatus();
                });
}

// The whole request is checked before anything is written: a malformed row fails the import
// naming the row, and nothing of it is applied. Rows for establishments not on the register (an
// Ofsted file lists every provider in England), or not members of a system the caller leads, are
// reported as UNKNOWN_REF and change nothing. A row older than an establishment's current rating
// records nothing for it (UNCHANGED, the detail naming the newer inspection, no
// inspection_rating_id): the newer inspection stays current.
//
// A reference may name several establishments (a provider's sites registered under one Ofsted
// URN): the row rates every one the caller may rate, each with its own rating record and, on a
// drop to Inadequate, its own suspensions. The row keeps one result, so a client reading
// results[i] as row i still does: RECORDED when any of them got a new rating (UNCHANGED
// otherwise), inspection_rating_id that of the first of them (in establishment id order) with the
// row's outcome, triggered_suspension when any was suspended, and a detail naming how many
// establishments and what the row did to each. `recorded` and `suspensions` count ratings and
// memberships, not rows.
grpc::Status QualificationService::ImportInspectionRatings(
    grpc::ServerContext* context, const v1::ImportInspectionRatingsRequest* request,
    v1::ImportInspectionRatingsResponse* response) {
  return Change(context, "ImportInspectionRatings", request->idempotency_key(), *request, *response,
                {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, ApiRole::ROLE_SERVICE},
                [&](Call& call) -> absl::Status {
                  if (request->rows_size() > kMaxImportRows) {
                    return InvalidField("rows", absl::StrCat("at most ", kMaxImportRows,
                                                             " rows, got ", request->rows_size()));
                  }
                  for (int i = 0; i < request->rows_size(); ++i) {
                    if (absl::Status s = ValidateRow(request->rows(i), i); !s.ok()) return s;
                  }
                  for (int i = 0; i < request->rows_size(); ++i) {
                    const v1::InspectionRatingRow& row = request->rows(i);
                    v1::ImportRowResult* result = response->add_results();
                    result->set_row(i);
                    absl::StatusOr<std::vector<v1::Establishment>> named =
                        EstablishmentsByRef(call.tx, row.inspectorate(), row.inspectorate_ref());
                    if (!named.ok()) return named.status();
                    std::vector<EstablishmentRated> rated;
                    for (const v1::Establishment& establishment : *named) {
                      // An establishment outside the caller's systems is not on its register.
                      absl::StatusOr<bool> may = MayRate(call, establishment.id());
                      if (!may.ok()) return may.status();
                      if (!*may) continue;
                      absl::StatusOr<RatingApplied> applied =
                          ApplyRating(call, establishment, row, v1::RATING_SOURCE_BULK_IMPORT);
                      if (!applied.ok()) return applied.status();
                      if (applied->outcome == v1::IMPORT_ROW_OUTCOME_RECORDED) {
                        response->set_recorded(response->recorded() + 1);
                      }
                      response->set_suspensions(response->suspensions() + applied->suspensions);
                      rated.push_back({establishment.id(), *std::move(applied)});
                    }
                    if (rated.empty()) {
                      result->set_outcome(v1::IMPORT_ROW_OUTCOME_UNKNOWN_REF);
                      continue;
                    }
                    ReportRow(rated, *result);
                  }
                  return absl::OkStatus();
                });
}

grpc::Status QualificationService::ListInspectionRatings(
    grpc::ServerContext* context, const v1::ListInspectionRatingsRequest* request,
    v1::ListInspectionRatingsResponse* response) {
  return Read(context, *request,
              {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, ApiRole::ROLE_EVALUATOR,
               ApiRole::ROLE_PLACING_OFFICER, ApiRole::ROLE_COMMISSIONER,
               ApiRole::ROLE_PROVIDER_USER, ApiRole::ROLE_AUDITOR, ApiRole::ROLE_SERVICE},
              [&](Call& call) -> absl::Status {
                absl::StatusOr<Page> page = ToPage(*request);
                if (!page.ok()) return page.status();
                if (request->establishment_id().empty() && request->system_id().empty()) {
                  return InvalidField("establishment_id",
                                      "required, or a system_id to list its members' ratings");
                }
                return ListRatingsPage(call.tx,
                                       {.establishment_id = request->establishment_id(),
                                        .system_id = request->system_id(),
                                        .page = *page},
                                       *response);
              });
}

grpc::Status QualificationService::RaiseSafeguardingAlert(
    grpc::ServerContext* context, const v1::RaiseSafeguardingAlertRequest* request,
    v1::SafeguardingAlert* response) {
  return Change(context, "RaiseSafeguardingAlert", request->idempotency_key(), *request, *response,
                {ApiRole::ROLE_PLACING_OFFICER, ApiRole::ROLE_COMMISSIONER,
                 ApiRole::ROLE_LEAD_AUTHORITY_ADMIN},
                [&](Call& call) -> absl::Status {
                  v1::PurchasingSystem system;
                  if (absl::Status s = LoadSystem(call.tx, request->system_id(), false, system);
                      !s.ok()) {
                    return s;
                  }
                  v1::Establishment establishment;
                  if (absl::Status s = LoadDoc(call.tx, "establishments", "establishment",
                                               request->establishment_id(), false, establishment);
                      !s.ok()) {
                    return s;
                  }
                  if (request->severity() == v1::ALERT_SEVERITY_UNSPECIFIED) {
                    return InvalidField("severity", "required");
                  }
                  if (request->category().empty()) return InvalidField("category", "required");
                  absl::StatusOr<PurchasingSystem> domain_system = ToDomainSystem(system, {}, {});
                  if (!domain_system.ok()) return domain_system.status();
                  const std::string id = NewId("alert");
                  absl::StatusOr<Alert> raised =
                      RaiseAlert(*domain_system, ToDomainCaller(call.caller, system),
                                 {.id = id,
                                  .establishment_id = establishment.id(),
                                  .provider_id = establishment.provider_id(),
                                  .severity = ToDomain(request->severity()),
                                  .summary = request->summary()},
                                 call.now);
                  if (!raised.ok()) return raised.status();
                  v1::SafeguardingAlert alert;
                  alert.set_id(id);
                  alert.set_system_id(system.id());
                  alert.set_establishment_id(establishment.id());
                  alert.set_provider_id(establishment.provider_id());
                  alert.set_raised_by_authority_id(call.caller.organisation_id);
                  alert.set_severity(request->severity());
                  alert.set_status(v1::ALERT_STATUS_OPEN);
                  alert.set_category(request->category());
                  alert.set_summary(request->summary());
                  *alert.mutable_raised_at() = ToTimestamp(call.now);
                  alert.set_version(1);
                  AppendHistory(*raised, call, alert);
                  if (absl::Status s = InsertAlert(call.tx, alert); !s.ok()) return s;
                  *response = alert;
                  dps::events::v1::EventEnvelope event;
                  auto* announced = event.mutable_safeguarding_alert_raised();
                  announced->set_alert_id(alert.id());
                  announced->set_establishment_id(alert.establishment_id());
                  announced->set_provider_id(alert.provider_id());
                  announced->set_raised_by_authority_id(alert.raised_by_authority_id());
                  announced->set_severity(alert.severity());
                  announced->set_status(alert.status());
                  announced->set_category(alert.category());
                  return Announce(call, "qualification.alert.raised", "alert", alert.id(),
                                  system.id(), std::move(event));
                });
}

grpc::Status QualificationService::UpdateSafeguardingAlert(
    grpc::ServerContext* context, const v1::UpdateSafeguardingAlertRequest* request,
    v1::SafeguardingAlert* response) {
  return Change(
      context, "UpdateSafeguardingAlert", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_PLACING_OFFICER, ApiRole::ROLE_COMMISSIONER,
       ApiRole::ROLE_LEAD_AUTHORITY_ADMIN},
      [&](Call& call) -> absl::Status {
        v1::SafeguardingAlert alert;
        if (absl::Status s =
                LoadDoc(call.tx, "safeguarding_alerts", "alert", request->alert_id(), true, alert);
            !s.ok()) {
          return s;
        }
        v1::PurchasingSystem system;
        if (absl::Status s = LoadSystem(call.tx, alert.system_id(), false, system); !s.ok()) {
          return s;
        }
        absl::StatusOr<PurchasingSystem> domain_system = ToDomainSystem(system, {}, {});
        if (!domain_system.ok()) return domain_system.status();
        const Caller caller = ToDomainCaller(call.caller, system);
        Alert domain = ToDomainAlert(alert);
        if (!CanSee(*domain_system, domain, caller)) {
          return absl::NotFoundError(absl::StrCat("alert ", alert.id(), ": not found"));
        }
        if (absl::Status s = CheckVersion("alert", request->expected_version(), alert.version());
            !s.ok()) {
          return s;
        }
        if (request->note().empty()) return InvalidField("note", "required: why it changed");
        if (request->severity() == v1::ALERT_SEVERITY_UNSPECIFIED &&
            request->status() == v1::ALERT_STATUS_UNSPECIFIED) {
          return InvalidField("severity", "give a new severity, a new status, or both");
        }
        const v1::AlertSeverity previous_severity = alert.severity();
        const v1::AlertStatus previous_status = alert.status();
        if (request->severity() != v1::ALERT_SEVERITY_UNSPECIFIED) {
          if (absl::Status s =
                  ChangeAlertSeverity(domain, *domain_system, caller, ToDomain(request->severity()),
                                      request->note(), call.now);
              !s.ok()) {
            return s;
          }
          alert.set_severity(request->severity());
        }
        if (request->status() != v1::ALERT_STATUS_UNSPECIFIED) {
          AlertStatus to;
          switch (request->status()) {
            case v1::ALERT_STATUS_OPEN:
              to = AlertStatus::kOpen;
              break;
            case v1::ALERT_STATUS_UNDER_INVESTIGATION:
              to = AlertStatus::kUnderReview;
              break;
            case v1::ALERT_STATUS_CLOSED:
              to = AlertStatus::kClosed;
              break;
            default:
              return InvalidField("status",
                                  "SUBSTANTIATED and UNSUBSTANTIATED are not used yet: close the "
                                  "alert and say which in the note");
          }
          if (absl::Status s =
                  ChangeAlertStatus(domain, *domain_system, caller, to, request->note(), call.now);
              !s.ok()) {
            return s;
          }
          alert.set_status(ToApi(domain.status));
        }
        AppendHistory(domain, call, alert);
        if (absl::Status s = SaveAlert(call.tx, alert); !s.ok()) return s;
        *response = alert;
        dps::events::v1::EventEnvelope event;
        auto* updated = event.mutable_safeguarding_alert_updated();
        updated->set_alert_id(alert.id());
        updated->set_establishment_id(alert.establishment_id());
        updated->set_previous_severity(previous_severity);
        updated->set_severity(alert.severity());
        updated->set_previous_status(previous_status);
        updated->set_status(alert.status());
        return Announce(call, "qualification.alert.updated", "alert", alert.id(), system.id(),
                        std::move(event));
      });
}

grpc::Status QualificationService::GetSafeguardingAlert(
    grpc::ServerContext* context, const v1::GetSafeguardingAlertRequest* request,
    v1::SafeguardingAlert* response) {
  return Read(
      context, *request,
      {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, ApiRole::ROLE_PLACING_OFFICER,
       ApiRole::ROLE_COMMISSIONER, ApiRole::ROLE_AUDITOR},
      [&](Call& call) -> absl::Status {
        if (absl::Status s =
                LoadDoc(call.tx, "safeguarding_alerts", "alert", request->id(), false, *response);
            !s.ok()) {
          return s;
        }
        v1::PurchasingSystem system;
        if (absl::Status s = LoadSystem(call.tx, response->system_id(), false, system); !s.ok()) {
          return s;
        }
        absl::StatusOr<PurchasingSystem> domain_system = ToDomainSystem(system, {}, {});
        if (!domain_system.ok()) return domain_system.status();
        if (CanSee(*domain_system, ToDomainAlert(*response), ToDomainCaller(call.caller, system))) {
          return absl::OkStatus();
        }
        // An authority that can place with the establishment through another system sees the
        // alert too (domain/alert.h, CanSeeThroughMembership).
        absl::StatusOr<std::vector<v1::PurchasingSystem>> member_of =
            SystemsWithMember(call.tx, response->establishment_id());
        if (!member_of.ok()) return member_of.status();
        for (const v1::PurchasingSystem& other : *member_of) {
          absl::StatusOr<PurchasingSystem> domain_other = ToDomainSystem(other, {}, {});
          if (!domain_other.ok()) return domain_other.status();
          if (CanSeeThroughMembership(*domain_other, ToDomainCaller(call.caller, other))) {
            return absl::OkStatus();
          }
        }
        return absl::NotFoundError(absl::StrCat("alert ", request->id(), ": not found"));
      });
}

grpc::Status QualificationService::ListSafeguardingAlerts(
    grpc::ServerContext* context, const v1::ListSafeguardingAlertsRequest* request,
    v1::ListSafeguardingAlertsResponse* response) {
  return Read(context, *request,
              {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, ApiRole::ROLE_PLACING_OFFICER,
               ApiRole::ROLE_COMMISSIONER, ApiRole::ROLE_AUDITOR},
              [&](Call& call) -> absl::Status {
                absl::StatusOr<Page> page = ToPage(*request);
                if (!page.ok()) return page.status();
                const bool officer = call.caller.role == ApiRole::ROLE_PLACING_OFFICER ||
                                     call.caller.role == ApiRole::ROLE_COMMISSIONER;
                AlertFilter filter{.system_id = request->system_id(),
                                   .authority_id = call.caller.organisation_id,
                                   .through_memberships = officer,
                                   .establishment_id = request->establishment_id(),
                                   .page = *page};
                for (int status : request->statuses()) {
                  filter.statuses.push_back(static_cast<v1::AlertStatus>(status));
                }
                // Without a system, an authority's officers list every alert they may read:
                // those of the systems their authority takes part in, and those about the
                // members of those systems. The lead's staff act for one system at a time.
                if (request->system_id().empty()) {
                  if (!officer) return InvalidField("system_id", "required");
                  return ListAlertsPage(call.tx, filter, *response);
                }
                v1::PurchasingSystem system;
                if (absl::Status s = LoadSystem(call.tx, request->system_id(), false, system);
                    !s.ok()) {
                  return s;
                }
                absl::StatusOr<PurchasingSystem> domain_system = ToDomainSystem(system, {}, {});
                if (!domain_system.ok()) return domain_system.status();
                const Caller caller = ToDomainCaller(call.caller, system);
                // Every alert of a system is visible to everyone who may see any (alert.h), so the
                // check on a blank one of the system decides for the page; the alerts of other
                // systems about its members follow for the authorities' officers
                // (CanSeeThroughMembership), who take part in it.
                v1::SafeguardingAlert probe;
                probe.set_system_id(system.id());
                if (!CanSee(*domain_system, ToDomainAlert(probe), caller)) {
                  return absl::PermissionDeniedError(
                      absl::StrCat("organisation ", call.caller.organisation_id,
                                   " may not see the alerts of system ", system.id()));
                }
                return ListAlertsPage(call.tx, filter, *response);
              });
}

}  // namespace dps::qualification
