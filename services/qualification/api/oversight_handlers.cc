// Keeping the list clean: inspection ratings (a drop to Inadequate suspends by itself) and
// safeguarding alerts shared between the authorities of a system.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/qualification/api/access.h"
#include "services/qualification/api/convert.h"
#include "services/qualification/api/membership_changes.h"
#include "services/qualification/api/qualification_service.h"
#include "services/qualification/domain/errors.h"
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
  v1::ImportRowOutcome outcome = v1::IMPORT_ROW_OUTCOME_UNSPECIFIED;  // RECORDED or UNCHANGED
  v1::InspectionRating rating;  // the rating recorded, or the same one already there
  int suspensions = 0;          // memberships the drop to Inadequate suspended
};

// Records `row` as the establishment's latest rating, unless it is the one already recorded
// (UNCHANGED, nothing written). A change of rating is announced; a drop to Inadequate suspends
// the establishment in every system it is a member of that the caller leads (every system, for
// a DPS service), naming the system's inspection-rating criterion. Shared by the bulk import and
// the manual call, so both have the same effect.
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
      if (absl::Status s = AnnounceSuspended(call, membership); !s.ok()) return s;
      ++applied.suspensions;
    }
  }
  return applied;
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
                  *response = applied->rating;
                  return absl::OkStatus();
                });
}

// The whole request is checked before anything is written: a malformed row fails the import
// naming the row, and nothing of it is applied. Rows for establishments not on the register (an
// Ofsted file lists every provider in England), or not members of a system the caller leads, are
// reported as UNKNOWN_REF and change nothing.
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
                    absl::StatusOr<std::optional<v1::Establishment>> establishment =
                        EstablishmentByRef(call.tx, row.inspectorate(), row.inspectorate_ref());
                    if (!establishment.ok()) return establishment.status();
                    if (!establishment->has_value()) {
                      result->set_outcome(v1::IMPORT_ROW_OUTCOME_UNKNOWN_REF);
                      continue;
                    }
                    // An establishment outside the caller's systems is not on its register.
                    absl::StatusOr<bool> may = MayRate(call, (*establishment)->id());
                    if (!may.ok()) return may.status();
                    if (!*may) {
                      result->set_outcome(v1::IMPORT_ROW_OUTCOME_UNKNOWN_REF);
                      continue;
                    }
                    absl::StatusOr<RatingApplied> applied =
                        ApplyRating(call, **establishment, row, v1::RATING_SOURCE_BULK_IMPORT);
                    if (!applied.ok()) return applied.status();
                    result->set_outcome(applied->outcome);
                    result->set_inspection_rating_id(applied->rating.id());
                    if (applied->outcome == v1::IMPORT_ROW_OUTCOME_RECORDED) {
                      response->set_recorded(response->recorded() + 1);
                    }
                    if (applied->suspensions > 0) {
                      result->set_triggered_suspension(true);
                      response->set_suspensions(response->suspensions() + applied->suspensions);
                    }
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
                if (request->establishment_id().empty()) {
                  return InvalidField("establishment_id", "required");
                }
                pqxx::result rows = call.tx.exec_params(
                    "SELECT doc, id FROM inspection_ratings WHERE establishment_id = $1 "
                    "AND id > $2 ORDER BY id LIMIT $3",
                    request->establishment_id(), page->after_id, page->size + 1);
                return ReadPage<v1::InspectionRating>(
                    rows, *page, [&] { return response->add_ratings(); }, response->mutable_page());
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
        if (!CanSee(*domain_system, ToDomainAlert(*response),
                    ToDomainCaller(call.caller, system))) {
          return absl::NotFoundError(absl::StrCat("alert ", request->id(), ": not found"));
        }
        return absl::OkStatus();
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
                v1::PurchasingSystem system;
                if (absl::Status s = LoadSystem(call.tx, request->system_id(), false, system);
                    !s.ok()) {
                  return s;
                }
                absl::StatusOr<PurchasingSystem> domain_system = ToDomainSystem(system, {}, {});
                if (!domain_system.ok()) return domain_system.status();
                const Caller caller = ToDomainCaller(call.caller, system);
                // Every alert of a system is visible to everyone who may see any (alert.h), so the
                // check on the system's first alert, or on a blank one, decides for the page.
                v1::SafeguardingAlert probe;
                probe.set_system_id(system.id());
                if (!CanSee(*domain_system, ToDomainAlert(probe), caller)) {
                  return absl::PermissionDeniedError(
                      absl::StrCat("organisation ", call.caller.organisation_id,
                                   " may not see the alerts of system ", system.id()));
                }
                std::vector<std::string> statuses;
                for (int status : request->statuses()) {
                  statuses.push_back(v1::AlertStatus_Name(static_cast<v1::AlertStatus>(status)));
                }
                pqxx::result rows = call.tx.exec_params(
                    "SELECT doc, id FROM safeguarding_alerts WHERE system_id = $1 "
                    "AND ($2 = '' OR establishment_id = $2) "
                    "AND (cardinality($3::text[]) = 0 OR status = ANY($3::text[])) AND id > $4 "
                    "ORDER BY id LIMIT $5",
                    system.id(), request->establishment_id(),
                    "{" + absl::StrJoin(statuses, ",") + "}", page->after_id, page->size + 1);
                return ReadPage<v1::SafeguardingAlert>(
                    rows, *page, [&] { return response->add_alerts(); }, response->mutable_page());
              });
}

}  // namespace dps::qualification
