// Membership: read by everyone in the system; suspended, reinstated, excluded and its score
// adjusted by the lead authority (suspension also by another DPS service), on the performance
// reviews the register recorded from the contracts service, which the lead authority lists.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/qualification/api/qualification_service.h"
#include "services/qualification/app/access.h"
#include "services/qualification/app/membership_changes.h"
#include "services/qualification/app/memberships.h"
#include "services/qualification/app/safeguarding_alerts.h"
#include "services/qualification/app/score_adjustment.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/errors.h"
#include "services/qualification/storage/lists.h"
#include "services/qualification/storage/pg_alert_repository.h"
#include "services/qualification/storage/pg_membership_repository.h"
#include "services/qualification/storage/pg_performance_review_repository.h"
#include "services/qualification/storage/pg_rating_repository.h"
#include "services/qualification/storage/pg_register_reads.h"
#include "services/qualification/storage/records.h"

namespace dps::qualification {
namespace {

// The item a suspension names when the lead authority gives none: its own review.
constexpr char kLeadReviewItem[] = "lead-authority-review";

// The membership use cases over the call's transaction and the qualification stream's outbox.
struct MembershipWork {
  explicit MembershipWork(Call& call)
      : memberships(call.tx), register_reads(call.tx), events(QualificationOutbox(call)) {}
  PgMembershipRepository memberships;
  PgRegisterReads register_reads;
  platform::OutboxEvents events;
  MembershipUseCases use_cases{memberships, register_reads, events};
};

}  // namespace

grpc::Status QualificationService::GetMembership(grpc::ServerContext* context,
                                                 const v1::GetMembershipRequest* request,
                                                 v1::Membership* response) {
  return Read(context, *request, kAnyRole, [&](Call& call) -> absl::Status {
    MembershipWork work(call);
    absl::StatusOr<Membership> membership = work.use_cases.Read(request->id(), call.caller);
    if (!membership.ok()) return membership.status();
    *response = ToApiMembership(*membership);
    // Reported beside it: the establishment's current rating and the system's open alerts.
    absl::StatusOr<std::optional<InspectionRating>> rating =
        PgRatingRepository(call.tx).Latest(response->establishment_id());
    if (!rating.ok()) return rating.status();
    if (rating->has_value()) *response->mutable_current_rating() = ToApiRating(**rating);
    absl::StatusOr<int> open =
        OpenAlertCount(call.tx, response->system_id(), response->establishment_id());
    if (!open.ok()) return open.status();
    response->set_open_alert_count(*open);
    return absl::OkStatus();
  });
}

grpc::Status QualificationService::ListMemberships(grpc::ServerContext* context,
                                                   const v1::ListMembershipsRequest* request,
                                                   v1::ListMembershipsResponse* response) {
  return Read(context, *request, kAnyRole, [&](Call& call) -> absl::Status {
    absl::StatusOr<Page> page = ToPage(*request);
    if (!page.ok()) return page.status();
    // A ranking is the lot's (the ranking at admission, per lot): across lots scores from
    // different criteria do not compare.
    if (request->order_by_score() && request->lot_id().empty()) {
      return InvalidField("lot_id", "required with order_by_score: a ranking is per lot");
    }
    std::string provider_id = request->provider_id();
    if (call.caller.role == ApiRole::ROLE_PROVIDER_USER) {
      if (!provider_id.empty() && provider_id != call.caller.organisation_id) {
        return absl::PermissionDeniedError("a provider lists its own memberships only");
      }
      provider_id = call.caller.organisation_id;
    }
    std::vector<std::string> states;
    for (int state : request->states()) {
      std::string name = v1::MembershipState_Name(static_cast<v1::MembershipState>(state));
      states.push_back(name.substr(sizeof("MEMBERSHIP_STATE_") - 1));
    }
    // Authority staff see the memberships of the systems they act for (RequireAuthorityOf): a
    // named system or lot outside that scope is refused, and an unfiltered list is narrowed to it.
    std::string scope_organisation;
    bool lead_staff_scope = false;
    if (call.caller.role != ApiRole::ROLE_PROVIDER_USER &&
        call.caller.role != ApiRole::ROLE_SERVICE) {
      std::string system_id = request->system_id();
      if (system_id.empty() && !request->lot_id().empty()) {
        v1::Lot lot;
        if (absl::Status s = LoadDoc(call.tx, "lots", "lot", request->lot_id(), false, lot);
            !s.ok()) {
          return s;
        }
        system_id = lot.system_id();
      }
      if (!system_id.empty()) {
        v1::PurchasingSystem system;
        if (absl::Status s = LoadSystem(call.tx, system_id, false, system); !s.ok()) return s;
        if (absl::Status s = RequireAuthorityOf(call.caller, system); !s.ok()) return s;
      } else {
        scope_organisation = call.caller.organisation_id;
        lead_staff_scope = IsLeadStaff(call.caller);
      }
    }
    if (request->order_by_score()) {
      // The same filters and scope as below, in the lot's ranking (storage/sql.h,
      // kRankedMemberships): each membership with its rank among the lot's QUALIFIED ones.
      RankedMembershipFilter ranked{.lot_id = request->lot_id(),
                                    .system_id = request->system_id(),
                                    .provider_id = provider_id,
                                    .establishment_id = request->establishment_id(),
                                    .scope_organisation = scope_organisation,
                                    .lead_staff_scope = lead_staff_scope,
                                    .as_of = call.now,
                                    .page = *page};
      for (int state : request->states()) {
        ranked.states.push_back(static_cast<v1::MembershipState>(state));
      }
      return RankedMembershipsPage(call.tx, ranked, *response);
    }
    return ListMembershipsPage(call.tx,
                               {.system_id = request->system_id(),
                                .lot_id = request->lot_id(),
                                .provider_id = provider_id,
                                .establishment_id = request->establishment_id(),
                                .states = states,
                                .scope_organisation = scope_organisation,
                                .lead_staff_scope = lead_staff_scope,
                                .page = *page},
                               *response);
  });
}

namespace {

// The domain's cause of a suspension for the request's reason.
SuspensionCause CauseOf(v1::SuspensionReason reason) {
  switch (reason) {
    case v1::SUSPENSION_REASON_SAFEGUARDING_ALERT:
      return SuspensionCause::kSafeguardingAlert;
    case v1::SUSPENSION_REASON_RATING_INADEQUATE:
      return SuspensionCause::kInspectionInadequate;
    case v1::SUSPENSION_REASON_EVIDENCE_EXPIRED:
      return SuspensionCause::kEvidenceExpiry;
    case v1::SUSPENSION_REASON_AUDIT_FAILED:
      return SuspensionCause::kAuditFailed;
    default:
      return SuspensionCause::kLeadDecision;
  }
}

// The alert a suspension for a safeguarding alert is for (unset for any other reason): named by
// alert_id, as the request must for that reason alone (AlertUseCases::ForSuspension finds it).
absl::StatusOr<std::optional<Alert>> AlertSuspendedFor(
    Call& call, const v1::SuspendMembershipRequest& request) {
  if (request.reason() != v1::SUSPENSION_REASON_SAFEGUARDING_ALERT) {
    if (!request.alert_id().empty()) {
      return InvalidField("alert_id", "only for a suspension for a safeguarding alert");
    }
    return std::optional<Alert>();
  }
  if (request.alert_id().empty()) {
    return InvalidField("alert_id", "required: the safeguarding alert the suspension is for");
  }
  if (!request.failed_criterion_ids().empty()) {
    return InvalidField("failed_criterion_ids",
                        "a suspension for an alert names the alert as the item to resubmit");
  }
  PgAlertRepository alerts(call.tx);
  PgRegisterReads register_reads(call.tx);
  platform::OutboxEvents events = QualificationOutbox(call);
  absl::StatusOr<Alert> alert =
      AlertUseCases(alerts, register_reads, events)
          .ForSuspension(request.alert_id(), request.system_id(), request.establishment_id());
  if (!alert.ok()) return alert.status();
  return std::optional<Alert>(*std::move(alert));
}

}  // namespace

grpc::Status QualificationService::SuspendMembership(grpc::ServerContext* context,
                                                     const v1::SuspendMembershipRequest* request,
                                                     v1::SuspendMembershipResponse* response) {
  return Change(context, "SuspendMembership", request->idempotency_key(), *request, *response,
                {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, ApiRole::ROLE_SERVICE},
                [&](Call& call) -> absl::Status {
                  if (request->detail().empty()) return InvalidField("detail", "required: why");
                  if (request->reason() == v1::SUSPENSION_REASON_UNSPECIFIED) {
                    return InvalidField("reason", "required");
                  }
                  MembershipWork work(call);
                  // The caller's right first: who may not suspend learns nothing of the alert.
                  if (absl::Status s =
                          work.use_cases.MayChangeMembershipsOf(request->system_id(), call.caller);
                      !s.ok()) {
                    return s;
                  }
                  absl::StatusOr<std::optional<Alert>> alert = AlertSuspendedFor(call, *request);
                  if (!alert.ok()) return alert.status();
                  EstablishmentSuspension suspension{
                      .system_id = request->system_id(),
                      .establishment_id = request->establishment_id(),
                      .lot_ids = {request->lot_ids().begin(), request->lot_ids().end()},
                      .cause = CauseOf(request->reason()),
                      .items = {request->failed_criterion_ids().begin(),
                                request->failed_criterion_ids().end()},
                      .detail = request->detail(),
                      .alert = *std::move(alert)};
                  if (suspension.items.empty()) suspension.items.push_back(kLeadReviewItem);
                  absl::StatusOr<std::vector<Membership>> suspended =
                      work.use_cases.Suspend(suspension, call.caller, call.now);
                  if (!suspended.ok()) return suspended.status();
                  for (const Membership& membership : *suspended) {
                    *response->add_memberships() = ToApiMembership(membership);
                  }
                  return absl::OkStatus();
                });
}

grpc::Status QualificationService::ReinstateMembership(
    grpc::ServerContext* context, const v1::ReinstateMembershipRequest* request,
    v1::Membership* response) {
  return Change(context, "ReinstateMembership", request->idempotency_key(), *request, *response,
                {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
                  MembershipWork work(call);
                  absl::StatusOr<Membership> reinstated =
                      work.use_cases.Reinstate(request->membership_id(), request->reason(),
                                               request->application_id(), call.caller, call.now);
                  if (!reinstated.ok()) return reinstated.status();
                  *response = ToApiMembership(*reinstated);
                  return absl::OkStatus();
                });
}

grpc::Status QualificationService::ExcludeMembership(grpc::ServerContext* context,
                                                     const v1::ExcludeMembershipRequest* request,
                                                     v1::Membership* response) {
  return Change(context, "ExcludeMembership", request->idempotency_key(), *request, *response,
                {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
                  MembershipWork work(call);
                  absl::StatusOr<Membership> excluded = work.use_cases.Exclude(
                      request->membership_id(), request->reason(), call.caller, call.now);
                  if (!excluded.ok()) return excluded.status();
                  *response = ToApiMembership(*excluded);
                  return absl::OkStatus();
                });
}

grpc::Status QualificationService::AdjustQualificationScore(
    grpc::ServerContext* context, const v1::AdjustQualificationScoreRequest* request,
    v1::ScoreAdjustment* response) {
  return Change(context, "AdjustQualificationScore", request->idempotency_key(), *request,
                *response, {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
                  RecordedAdjustmentStore store(call);
                  PgPerformanceReviewRepository reviews(call.tx);
                  absl::StatusOr<v1::ScoreAdjustment> adjustment =
                      dps::qualification::AdjustQualificationScore(
                          store, reviews, *request,
                          {.actor = platform::ActorOf(call.caller),
                           .now = call.now,
                           .adjustment_id = NewId("adj")});
                  if (!adjustment.ok()) return adjustment.status();
                  *response = *std::move(adjustment);
                  return absl::OkStatus();
                });
}

grpc::Status QualificationService::ListPerformanceReviews(
    grpc::ServerContext* context, const v1::ListPerformanceReviewsRequest* request,
    v1::ListPerformanceReviewsResponse* response) {
  return Read(
      context, *request, {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, ApiRole::ROLE_AUDITOR},
      [&](Call& call) -> absl::Status {
        absl::StatusOr<Page> page = ToPage(*request);
        if (!page.ok()) return page.status();
        if (request->system_id().empty()) return InvalidField("system_id", "required");
        v1::PurchasingSystem system;
        if (absl::Status s = LoadSystem(call.tx, request->system_id(), false, system); !s.ok()) {
          return s;
        }
        // The lead authority's admins and auditors of this system, as the reviews
        // themselves are in the contracts service.
        if (absl::Status s = RequireLeadOf(call.caller, system); !s.ok()) return s;
        PerformanceReviewFilter filter{
            .system_id = system.id(),
            .establishment_id = request->establishment_id(),
            .awaiting_adjustment_only = request->awaiting_adjustment_only()};
        if (!request->membership_id().empty()) {
          absl::StatusOr<Membership> membership =
              PgMembershipRepository(call.tx).Load(request->membership_id());
          if (!membership.ok()) return membership.status();
          if (membership->system_id != system.id()) {
            return InvalidField("membership_id", "is not a membership of the system");
          }
          if (!filter.establishment_id.empty() &&
              filter.establishment_id != membership->establishment_id) {
            return InvalidField("establishment_id", "is not the membership's establishment");
          }
          filter.establishment_id = membership->establishment_id;
        }
        PgPerformanceReviewRepository reviews(call.tx);
        return reviews.List(filter, *page, *response);
      });
}

}  // namespace dps::qualification
