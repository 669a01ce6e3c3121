// Membership: read by everyone in the system; suspended, reinstated, excluded and its score
// adjusted by the lead authority (suspension also by another DPS service), on the performance
// reviews the register recorded from the contracts service, which the lead authority lists.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/qualification/api/qualification_service.h"
#include "services/qualification/app/access.h"
#include "services/qualification/app/membership_changes.h"
#include "services/qualification/app/safeguarding_alerts.h"
#include "services/qualification/app/score_adjustment.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/errors.h"
#include "services/qualification/storage/lists.h"
#include "services/qualification/storage/pg_alert_repository.h"
#include "services/qualification/storage/pg_performance_review_repository.h"
#include "services/qualification/storage/pg_rating_repository.h"
#include "services/qualification/storage/pg_register_reads.h"
#include "services/qualification/storage/records.h"

namespace dps::qualification {
namespace {

// The item a suspension names when the lead authority gives none: its own review.
constexpr char kLeadReviewItem[] = "lead-authority-review";

}  // namespace

grpc::Status QualificationService::GetMembership(grpc::ServerContext* context,
                                                 const v1::GetMembershipRequest* request,
                                                 v1::Membership* response) {
  return Read(context, *request, kAnyRole, [&](Call& call) -> absl::Status {
    if (absl::Status s =
            LoadDoc(call.tx, "memberships", "membership", request->id(), false, *response);
        !s.ok()) {
      return s;
    }
    // A provider reads its own memberships only (their prices are commercially confidential).
    if (call.caller.role == ApiRole::ROLE_PROVIDER_USER) {
      if (response->provider_id() != call.caller.organisation_id) {
        return absl::NotFoundError(absl::StrCat("membership ", request->id(), ": not found"));
      }
    } else {
      // Authorities read the memberships of the systems they act for: the ceiling fee and the
      // score are not for councils outside the system.
      v1::PurchasingSystem system;
      if (absl::Status s = LoadSystem(call.tx, response->system_id(), false, system); !s.ok()) {
        return s;
      }
      if (absl::Status s = RequireAuthorityOf(call.caller, system); !s.ok()) return s;
    }
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
  return Change(
      context, "SuspendMembership", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, ApiRole::ROLE_SERVICE}, [&](Call& call) -> absl::Status {
        if (request->detail().empty()) return InvalidField("detail", "required: why");
        if (request->reason() == v1::SUSPENSION_REASON_UNSPECIFIED) {
          return InvalidField("reason", "required");
        }
        v1::PurchasingSystem system;
        if (absl::Status s = LoadSystem(call.tx, request->system_id(), false, system); !s.ok()) {
          return s;
        }
        if (call.caller.role != ApiRole::ROLE_SERVICE) {
          if (absl::Status s = RequireLeadOf(call.caller, system); !s.ok()) return s;
        }
        absl::StatusOr<std::optional<Alert>> alert = AlertSuspendedFor(call, *request);
        if (!alert.ok()) return alert.status();
        absl::StatusOr<std::vector<v1::Membership>> memberships =
            MembershipsOfEstablishment(call.tx, system.id(), request->establishment_id());
        if (!memberships.ok()) return memberships.status();
        std::vector<std::string> items(request->failed_criterion_ids().begin(),
                                       request->failed_criterion_ids().end());
        if (items.empty()) items.push_back(kLeadReviewItem);
        SuspensionCause cause = SuspensionCause::kLeadDecision;
        if (request->reason() == v1::SUSPENSION_REASON_SAFEGUARDING_ALERT) {
          cause = SuspensionCause::kSafeguardingAlert;
        } else if (request->reason() == v1::SUSPENSION_REASON_RATING_INADEQUATE) {
          cause = SuspensionCause::kInspectionInadequate;
        } else if (request->reason() == v1::SUSPENSION_REASON_EVIDENCE_EXPIRED) {
          cause = SuspensionCause::kEvidenceExpiry;
        } else if (request->reason() == v1::SUSPENSION_REASON_AUDIT_FAILED) {
          cause = SuspensionCause::kAuditFailed;
        }
        for (int i = 0; i < request->lot_ids_size(); ++i) {
          if (std::none_of(memberships->begin(), memberships->end(), [&](const v1::Membership& m) {
                return m.lot_id() == request->lot_ids(i);
              })) {
            return InvalidField(absl::StrCat("lot_ids[", i, "]"),
                                "the establishment has no membership of this lot");
          }
        }
        for (v1::Membership& membership : *memberships) {
          if (!request->lot_ids().empty() &&
              std::find(request->lot_ids().begin(), request->lot_ids().end(),
                        membership.lot_id()) == request->lot_ids().end()) {
            continue;
          }
          if (membership.state() == v1::MEMBERSHIP_STATE_EXCLUDED) continue;
          absl::StatusOr<bool> changed =
              ChangeMembership(call, membership, [&](Membership& m) -> absl::StatusOr<bool> {
                if (absl::Status s =
                        alert->has_value()
                            ? SuspendForAlert(m, **alert, call.now, call.caller.user_id)
                            : Suspend(m, cause, items, request->detail(), call.now,
                                      call.caller.user_id);
                    !s.ok()) {
                  return s;
                }
                return true;
              });
          if (!changed.ok()) return changed.status();
          if (absl::Status s = AnnounceSuspended(call, membership); !s.ok()) return s;
          *response->add_memberships() = membership;
        }
        if (response->memberships().empty()) {
          return Forbidden("establishment",
                           "has no membership in the system that can be suspended");
        }
        return absl::OkStatus();
      });
}

grpc::Status QualificationService::ReinstateMembership(
    grpc::ServerContext* context, const v1::ReinstateMembershipRequest* request,
    v1::Membership* response) {
  return Change(
      context, "ReinstateMembership", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
        if (request->reason().empty()) return InvalidField("reason", "required");
        v1::Membership membership;
        if (absl::Status s = LoadMembershipForLead(call, request->membership_id(), membership);
            !s.ok()) {
          return s;
        }
        // What is lifted: the criteria a decided application passed for this establishment, and
        // what the lead authority lifts itself (its own concerns, and criteria the lot no longer
        // asks). Every other failed item keeps the membership suspended.
        absl::StatusOr<Lot> lot = LotOfMembership(call, membership);
        if (!lot.ok()) return lot.status();
        std::vector<PassedItem> passed;
        v1::Application application;
        // Reinstatement needs a pass for every failed item, so once reinstated the membership
        // rests on the application's answers to all of them.
        std::vector<std::string> resubmitted;
        if (!request->application_id().empty()) {
          if (absl::Status s = LoadDoc(call.tx, "applications", "application",
                                       request->application_id(), false, application);
              !s.ok()) {
            return s;
          }
          if (application.state() != v1::APPLICATION_STATE_DECIDED ||
              application.system_id() != membership.system_id()) {
            return InvalidField("application_id",
                                "must be a decided application of the membership's system");
          }
          for (const v1::CriterionResult& result : application.criterion_results()) {
            if (result.passed() && result.establishment_id() == membership.establishment_id()) {
              passed.push_back({.item = result.criterion_id(),
                                .passed_at = FromTimestamp(application.decided_at())});
            }
          }
          for (const v1::Suspension& suspension : membership.suspensions()) {
            resubmitted.insert(resubmitted.end(), suspension.failed_criterion_ids().begin(),
                               suspension.failed_criterion_ids().end());
          }
        }
        absl::StatusOr<bool> changed =
            ChangeMembership(call, membership, [&](Membership& m) -> absl::StatusOr<bool> {
              for (std::string& item : ItemsTheLeadLifts(m, *lot)) {
                passed.push_back({.item = std::move(item), .passed_at = call.now});
              }
              if (absl::Status s = Reinstate(m, passed, call.now, call.caller.user_id); !s.ok()) {
                return s;
              }
              return true;
            });
        if (!changed.ok()) return changed.status();
        // The expiry timer now watches the evidence of those answers, not what they replace.
        if (absl::Status s = RestOnEvidence(call, application, membership, resubmitted); !s.ok()) {
          return s;
        }
        if (absl::Status s = AnnounceReinstated(call, membership, request->reason()); !s.ok()) {
          return s;
        }
        *response = membership;
        return absl::OkStatus();
      });
}

grpc::Status QualificationService::ExcludeMembership(grpc::ServerContext* context,
                                                     const v1::ExcludeMembershipRequest* request,
                                                     v1::Membership* response) {
  return Change(
      context, "ExcludeMembership", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
        v1::Membership membership;
        if (absl::Status s = LoadMembershipForLead(call, request->membership_id(), membership);
            !s.ok()) {
          return s;
        }
        absl::StatusOr<bool> changed =
            ChangeMembership(call, membership, [&](Membership& m) -> absl::StatusOr<bool> {
              if (absl::Status s = Exclude(m, request->reason(), call.now, call.caller.user_id);
                  !s.ok()) {
                return s;
              }
              return true;
            });
        if (!changed.ok()) return changed.status();
        if (absl::Status s = AnnounceExcluded(call, membership, request->reason()); !s.ok()) {
          return s;
        }
        *response = membership;
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
          v1::Membership membership;
          if (absl::Status s = LoadDoc(call.tx, "memberships", "membership",
                                       request->membership_id(), false, membership);
              !s.ok()) {
            return s;
          }
          if (membership.system_id() != system.id()) {
            return InvalidField("membership_id", "is not a membership of the system");
          }
          if (!filter.establishment_id.empty() &&
              filter.establishment_id != membership.establishment_id()) {
            return InvalidField("establishment_id", "is not the membership's establishment");
          }
          filter.establishment_id = membership.establishment_id();
        }
        PgPerformanceReviewRepository reviews(call.tx);
        return reviews.List(filter, *page, *response);
      });
}

}  // namespace dps::qualification
