// Keeping the list clean: inspection ratings (a drop to Inadequate suspends by itself) and
// safeguarding alerts shared between the authorities of a system.
#include <algorithm>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "services/qualification/api/qualification_service.h"
#include "services/qualification/app/access.h"
#include "services/qualification/app/inspection_ratings.h"
#include "services/qualification/app/membership_changes.h"
#include "services/qualification/app/safeguarding_alerts.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/errors.h"
#include "services/qualification/domain/inspection_rating.h"
#include "services/qualification/storage/pg_alert_repository.h"
#include "services/qualification/storage/pg_rating_repository.h"
#include "services/qualification/storage/pg_register_reads.h"
#include "services/qualification/storage/records.h"

namespace dps::qualification {
namespace {

constexpr int kMaxImportRows = 10000;
constexpr size_t kMaxReportUrlLength = 2048;

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

// What one import row did to one establishment its reference names.
struct EstablishmentRated {
  std::string establishment_id;
  RatingApplied applied;
};

// The one result of a row from what it did to each establishment its reference names (in id
// order; see ImportInspectionRatings for how several are reported).
void ReportRow(const std::vector<EstablishmentRated>& rated, v1::ImportRowResult& result) {
  const auto recorded = RatingApplied::Outcome::kRecorded;
  const bool any_recorded =
      std::any_of(rated.begin(), rated.end(),
                  [&](const EstablishmentRated& r) { return r.applied.outcome == recorded; });
  result.set_outcome(any_recorded ? v1::IMPORT_ROW_OUTCOME_RECORDED
                                  : v1::IMPORT_ROW_OUTCOME_UNCHANGED);
  for (const EstablishmentRated& r : rated) {
    if ((r.applied.outcome == recorded) == any_recorded && r.applied.rating.has_value()) {
      result.set_inspection_rating_id(r.applied.rating->id);
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
    if (r.applied.outcome == recorded) {
      absl::StrAppend(&line, "recorded ", r.applied.rating->id);
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

// The rating use cases over the call's transaction and the qualification stream's outbox.
struct RatingWork {
  explicit RatingWork(Call& call)
      : ratings(call.tx), memberships(call), events(QualificationOutbox(call)) {}
  PgRatingRepository ratings;
  RecordedMemberships memberships;
  platform::OutboxEvents events;
  RatingUseCases use_cases{ratings, memberships, events};
};

EstablishmentRef RefOf(const v1::Establishment& establishment) {
  return {.id = establishment.id(), .provider_id = establishment.provider_id()};
}

// The alert use cases over the call's transaction and the qualification stream's outbox.
struct AlertWork {
  explicit AlertWork(Call& call)
      : alerts(call.tx), register_reads(call.tx), events(QualificationOutbox(call)) {}
  PgAlertRepository alerts;
  PgRegisterReads register_reads;
  platform::OutboxEvents events;
  AlertUseCases use_cases{alerts, register_reads, events};
};

// The severity a request names; unset when it names none.
std::optional<AlertSeverity> SeverityAsked(v1::AlertSeverity severity) {
  if (severity == v1::ALERT_SEVERITY_UNSPECIFIED) return std::nullopt;
  return ToDomain(severity);
}

v1::SafeguardingAlert ToApiStored(const StoredAlert& stored) {
  v1::SafeguardingAlert out = ToApiAlert(stored.alert);
  out.set_version(stored.version);
  return out;
}

}  // namespace

// One rating entered by hand (a report read before the next bulk file): the same effect as one
// import row for the establishment, so a drop to Inadequate suspends it.
grpc::Status QualificationService::RecordInspectionRating(
    grpc::ServerContext* context, const v1::RecordInspectionRatingRequest* request,
    v1::InspectionRating* response) {
  return Change(
      context, "RecordInspectionRating", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, ApiRole::ROLE_SERVICE}, [&](Call& call) -> absl::Status {
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
        RatingWork work(call);
        absl::StatusOr<bool> may = work.use_cases.MayRate(establishment.id(), call.caller);
        if (!may.ok()) return may.status();
        if (!*may) {
          return absl::PermissionDeniedError(
              absl::StrCat("organisation ", call.caller.organisation_id,
                           " leads no purchasing system with establishment ", establishment.id(),
                           " as a member"));
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
        absl::StatusOr<InspectionOutcome> outcome = ToDomainOutcome(row);
        if (!outcome.ok()) return outcome.status();
        absl::StatusOr<RatingApplied> applied = work.use_cases.Apply(
            RefOf(establishment), *outcome, RatingSource::kManual, call.caller, call.now);
        if (!applied.ok()) return applied.status();
        // Entered by hand, an older report is a mistake to show, not a row to skip.
        if (!applied->older.empty()) {
          return InvalidField(
              "rating.inspected_on",
              absl::StrCat(applied->older, " for establishment ", establishment.id(),
                           ": the newer stays its current rating"));
        }
        *response = ToApiRating(*applied->rating);
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
  return Change(
      context, "ImportInspectionRatings", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, ApiRole::ROLE_SERVICE}, [&](Call& call) -> absl::Status {
        if (request->rows_size() > kMaxImportRows) {
          return InvalidField("rows", absl::StrCat("at most ", kMaxImportRows, " rows, got ",
                                                   request->rows_size()));
        }
        for (int i = 0; i < request->rows_size(); ++i) {
          if (absl::Status s = ValidateRow(request->rows(i), i); !s.ok()) return s;
        }
        RatingWork work(call);
        for (int i = 0; i < request->rows_size(); ++i) {
          const v1::InspectionRatingRow& row = request->rows(i);
          absl::StatusOr<InspectionOutcome> outcome = ToDomainOutcome(row);
          if (!outcome.ok()) return outcome.status();
          v1::ImportRowResult* result = response->add_results();
          result->set_row(i);
          absl::StatusOr<std::vector<v1::Establishment>> named =
              EstablishmentsByRef(call.tx, row.inspectorate(), row.inspectorate_ref());
          if (!named.ok()) return named.status();
          std::vector<EstablishmentRated> rated;
          for (const v1::Establishment& establishment : *named) {
            // An establishment outside the caller's systems is not on its register.
            absl::StatusOr<bool> may = work.use_cases.MayRate(establishment.id(), call.caller);
            if (!may.ok()) return may.status();
            if (!*may) continue;
            absl::StatusOr<RatingApplied> applied = work.use_cases.Apply(
                RefOf(establishment), *outcome, RatingSource::kBulkImport, call.caller, call.now);
            if (!applied.ok()) return applied.status();
            if (applied->outcome == RatingApplied::Outcome::kRecorded) {
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
                  AlertWork work(call);
                  absl::StatusOr<StoredAlert> raised =
                      work.use_cases.Raise({.system_id = request->system_id(),
                                            .establishment_id = request->establishment_id(),
                                            .severity = SeverityAsked(request->severity()),
                                            .category = request->category(),
                                            .summary = request->summary()},
                                           call.caller, call.now);
                  if (!raised.ok()) return raised.status();
                  *response = ToApiStored(*raised);
                  return absl::OkStatus();
                });
}

grpc::Status QualificationService::UpdateSafeguardingAlert(
    grpc::ServerContext* context, const v1::UpdateSafeguardingAlertRequest* request,
    v1::SafeguardingAlert* response) {
  return Change(context, "UpdateSafeguardingAlert", request->idempotency_key(), *request, *response,
                {ApiRole::ROLE_PLACING_OFFICER, ApiRole::ROLE_COMMISSIONER,
                 ApiRole::ROLE_LEAD_AUTHORITY_ADMIN},
                [&](Call& call) -> absl::Status {
                  AlertUpdate update{.alert_id = request->alert_id(),
                                     .expected_version = request->expected_version(),
                                     .note = request->note(),
                                     .severity = SeverityAsked(request->severity())};
                  switch (request->status()) {
                    case v1::ALERT_STATUS_UNSPECIFIED:
                      break;
                    case v1::ALERT_STATUS_OPEN:
                      update.status = AlertStatus::kOpen;
                      break;
                    case v1::ALERT_STATUS_UNDER_INVESTIGATION:
                      update.status = AlertStatus::kUnderReview;
                      break;
                    case v1::ALERT_STATUS_CLOSED:
                      update.status = AlertStatus::kClosed;
                      break;
                    default:
                      update.status_not_used = true;
                      break;
                  }
                  AlertWork work(call);
                  absl::StatusOr<StoredAlert> updated =
                      work.use_cases.Update(update, call.caller, call.now);
                  if (!updated.ok()) return updated.status();
                  *response = ToApiStored(*updated);
                  return absl::OkStatus();
                });
}

grpc::Status QualificationService::GetSafeguardingAlert(
    grpc::ServerContext* context, const v1::GetSafeguardingAlertRequest* request,
    v1::SafeguardingAlert* response) {
  return Read(context, *request,
              {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, ApiRole::ROLE_PLACING_OFFICER,
               ApiRole::ROLE_COMMISSIONER, ApiRole::ROLE_AUDITOR},
              [&](Call& call) -> absl::Status {
                AlertWork work(call);
                absl::StatusOr<StoredAlert> alert = work.use_cases.Read(request->id(), call.caller);
                if (!alert.ok()) return alert.status();
                *response = ToApiStored(*alert);
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
                AlertWork work(call);
                absl::StatusOr<AlertUseCases::ListScope> scope =
                    work.use_cases.ScopeOfList(request->system_id(), call.caller);
                if (!scope.ok()) return scope.status();
                AlertFilter filter{.system_id = request->system_id(),
                                   .authority_id = call.caller.organisation_id,
                                   .through_memberships = scope->through_memberships,
                                   .establishment_id = request->establishment_id(),
                                   .page = *page};
                for (int status : request->statuses()) {
                  filter.statuses.push_back(static_cast<v1::AlertStatus>(status));
                }
                return ListAlertsPage(call.tx, filter, *response);
              });
}

}  // namespace dps::qualification
