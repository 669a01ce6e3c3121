// Applications: drafted and submitted by a provider, evaluated and decided by the lead authority.
// A decision creates the memberships of the items that qualified, in the same transaction; a
// price resubmission's accepted decision replaces its membership's prices instead; a
// reinstatement's decision changes no membership: the lead authority then reinstates with it
// (ReinstateMembership).
#include "absl/strings/str_cat.h"
#include "services/qualification/api/qualification_service.h"
#include "services/qualification/app/access.h"
#include "services/qualification/app/application_decisions.h"
#include "services/qualification/app/application_items.h"
#include "services/qualification/app/membership_changes.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/errors.h"
#include "services/qualification/domain/working_days.h"
#include "services/qualification/storage/records.h"

namespace dps::qualification {

grpc::Status QualificationService::CreateApplication(grpc::ServerContext* context,
                                                     const v1::CreateApplicationRequest* request,
                                                     v1::Application* response) {
  return Change(
      context, "CreateApplication", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_PROVIDER_USER}, [&](Call& call) -> absl::Status {
        if (absl::Status s = RequireProvider(call.caller, request->provider_id()); !s.ok()) {
          return s;
        }
        v1::PurchasingSystem system;
        if (absl::Status s = LoadSystem(call.tx, request->system_id(), false, system); !s.ok()) {
          return s;
        }
        if (system.state() != v1::PURCHASING_SYSTEM_STATE_LIVE) {
          return Forbidden("purchasing system",
                           absl::StrCat("takes applications only while LIVE; it is ",
                                        v1::PurchasingSystemState_Name(system.state())));
        }
        const v1::ApplicationSpec& spec = request->spec();
        v1::Application application;
        application.set_id(NewId("app"));
        application.set_system_id(system.id());
        application.set_provider_id(request->provider_id());
        application.set_kind(request->kind() == v1::APPLICATION_KIND_UNSPECIFIED
                                 ? v1::APPLICATION_KIND_NEW
                                 : request->kind());
        application.set_state(v1::APPLICATION_STATE_DRAFT);
        *application.mutable_items() = spec.items();
        *application.mutable_responses() = spec.responses();
        *application.mutable_commercial() = spec.commercial();
        application.set_copied_from_application_id(request->copy_from_application_id());
        application.set_membership_id(request->membership_id());
        application.set_version(1);
        if (absl::Status s = CheckDraft(call, system, application); !s.ok()) return s;
        if (!request->copy_from_application_id().empty()) {
          if (absl::Status s =
                  PrefillFrom(call, system, request->copy_from_application_id(), application);
              !s.ok()) {
            return s;
          }
        }
        if (absl::Status s = InsertApplication(call.tx, application); !s.ok()) return s;
        *response = application;
        return absl::OkStatus();
      });
}

grpc::Status QualificationService::GetApplication(grpc::ServerContext* context,
                                                  const v1::GetApplicationRequest* request,
                                                  v1::Application* response) {
  return Read(context, *request,
              {ApiRole::ROLE_PROVIDER_USER, ApiRole::ROLE_LEAD_AUTHORITY_ADMIN,
               ApiRole::ROLE_EVALUATOR, ApiRole::ROLE_AUDITOR},
              [&](Call& call) -> absl::Status {
                absl::StatusOr<LoadedApplication> loaded = LoadApplicationFor(call, request->id());
                if (!loaded.ok()) return loaded.status();
                if (!AssignedOrNotEvaluator(call.caller, loaded->record)) {
                  return absl::PermissionDeniedError(
                      absl::StrCat("evaluator ", call.caller.user_id,
                                   " is not assigned to application ", request->id()));
                }
                *response = loaded->record;
                HideFromEvaluator(call.caller, *response);
                return absl::OkStatus();
              });
}

grpc::Status QualificationService::SubmitApplication(grpc::ServerContext* context,
                                                     const v1::SubmitApplicationRequest* request,
                                                     v1::Application* response) {
  return Change(
      context, "SubmitApplication", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_PROVIDER_USER}, [&](Call& call) -> absl::Status {
        absl::StatusOr<LoadedApplication> loaded = LoadApplicationFor(call, request->id());
        if (!loaded.ok()) return loaded.status();
        if (absl::Status s =
                CheckVersion("application", request->expected_version(), loaded->record.version());
            !s.ok()) {
          return s;
        }
        for (const v1::CriterionResponse& r : loaded->record.responses()) {
          if (std::none_of(loaded->criteria.begin(), loaded->criteria.end(),
                           [&](const v1::Criterion& c) { return c.id() == r.criterion_id(); })) {
            return InvalidField("responses",
                                absl::StrCat("no criterion ", r.criterion_id(), " in the system"));
          }
        }
        absl::Status submission =
            loaded->domain.kind == ApplicationKind::kAdmission
                ? Submit(loaded->domain, loaded->domain_system, call.now, call.caller.user_id)
                : SubmitForMembership(call, *loaded);
        if (!submission.ok()) {
          return ApplicationInRequestTerms(submission, loaded->record, loaded->domain);
        }
        if (absl::Status s = SaveLoadedApplication(call, *loaded, response); !s.ok()) return s;
        dps::events::v1::EventEnvelope event;
        auto* submitted = event.mutable_application_submitted();
        submitted->set_application_id(response->id());
        submitted->set_provider_id(response->provider_id());
        submitted->set_kind(response->kind());
        *submitted->mutable_items() = response->items();
        *submitted->mutable_decision_due_on() = response->decision_due_on();
        return Announce(call, "qualification.application.submitted", "application", response->id(),
                        response->system_id(), std::move(event));
      });
}

grpc::Status QualificationService::WithdrawApplication(
    grpc::ServerContext* context, const v1::WithdrawApplicationRequest* request,
    v1::Application* response) {
  return Change(context, "WithdrawApplication", request->idempotency_key(), *request, *response,
                {ApiRole::ROLE_PROVIDER_USER}, [&](Call& call) -> absl::Status {
                  absl::StatusOr<LoadedApplication> loaded =
                      LoadApplicationFor(call, request->id());
                  if (!loaded.ok()) return loaded.status();
                  if (absl::Status s = Withdraw(loaded->domain, call.now, call.caller.user_id,
                                                request->reason());
                      !s.ok()) {
                    return s;
                  }
                  return SaveLoadedApplication(call, *loaded, response);
                });
}

grpc::Status QualificationService::AssignEvaluators(grpc::ServerContext* context,
                                                    const v1::AssignEvaluatorsRequest* request,
                                                    v1::Application* response) {
  return Change(
      context, "AssignEvaluators", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
        absl::StatusOr<LoadedApplication> loaded =
            LoadApplicationFor(call, request->application_id());
        if (!loaded.ok()) return loaded.status();
        if (absl::Status s = RequireLeadStaff(call, *loaded); !s.ok()) return s;
        if (request->evaluators().empty()) {
          return InvalidField("evaluators", "must name at least one evaluator");
        }
        for (int i = 0; i < request->evaluators_size(); ++i) {
          if (request->evaluators(i).evaluator_user_id().empty()) {
            return InvalidField(absl::StrCat("evaluators[", i, "].evaluator_user_id"), "required");
          }
        }
        if (loaded->domain.status == ApplicationStatus::kSubmitted) {
          if (absl::Status s = StartEvaluation(loaded->domain, call.now, call.caller.user_id);
              !s.ok()) {
            return s;
          }
        } else if (loaded->domain.status != ApplicationStatus::kUnderEvaluation) {
          return Forbidden("application",
                           absl::StrCat("cannot assign evaluators while ",
                                        ApplicationStatusName(loaded->domain.status)));
        }
        *loaded->record.mutable_evaluators() = request->evaluators();
        return SaveLoadedApplication(call, *loaded, response);
      });
}

grpc::Status QualificationService::ScoreMethodStatement(
    grpc::ServerContext* context, const v1::ScoreMethodStatementRequest* request,
    v1::Application* response) {
  return Change(
      context, "ScoreMethodStatement", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_EVALUATOR}, [&](Call& call) -> absl::Status {
        absl::StatusOr<LoadedApplication> loaded =
            LoadApplicationFor(call, request->application_id());
        if (!loaded.ok()) return loaded.status();
        if (absl::Status s = RequireLeadStaff(call, *loaded); !s.ok()) return s;
        if (absl::Status s = RequireAssigned(call, loaded->record, request->criterion_id());
            !s.ok()) {
          return s;
        }
        if (request->score() < 0 || request->score() > 100) {
          return InvalidField("score", absl::StrCat("must be 0-100, got ", request->score()));
        }
        if (absl::Status s = RecordFinding(*loaded, request->establishment_id(),
                                           {.criterion_code = request->criterion_id(),
                                            .score = request->score(),
                                            .reason = request->comment(),
                                            .evaluator = call.caller.user_id,
                                            .at = call.now});
            !s.ok()) {
          return s;
        }
        auto* scores = loaded->record.mutable_scores();
        v1::MethodStatementScore* score = nullptr;
        for (v1::MethodStatementScore& existing : *scores) {
          if (existing.criterion_id() == request->criterion_id() &&
              existing.establishment_id() == request->establishment_id()) {
            score = &existing;
          }
        }
        if (score == nullptr) score = scores->Add();
        score->set_criterion_id(request->criterion_id());
        score->set_establishment_id(request->establishment_id());
        score->set_evaluator_user_id(call.caller.user_id);
        score->set_score(request->score());
        score->set_comment(request->comment());
        *score->mutable_scored_at() = ToTimestamp(call.now);
        return SaveLoadedApplication(call, *loaded, response);
      });
}

grpc::Status QualificationService::RecordCriterionResult(
    grpc::ServerContext* context, const v1::RecordCriterionResultRequest* request,
    v1::Application* response) {
  return Change(context, "RecordCriterionResult", request->idempotency_key(), *request, *response,
                {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
                  absl::StatusOr<LoadedApplication> loaded =
                      LoadApplicationFor(call, request->application_id());
                  if (!loaded.ok()) return loaded.status();
                  if (absl::Status s = RequireLeadStaff(call, *loaded); !s.ok()) return s;
                  const v1::CriterionResult& result = request->result();
                  if (!result.passed() && result.reason().empty()) {
                    return InvalidField("result.reason", "required when the criterion fails");
                  }
                  if (absl::Status s = RecordFinding(*loaded, result.establishment_id(),
                                                     {.criterion_code = result.criterion_id(),
                                                      .passed = result.passed(),
                                                      .reason = result.reason(),
                                                      .evaluator = call.caller.user_id,
                                                      .at = call.now});
                      !s.ok()) {
                    return s;
                  }
                  auto* results = loaded->record.mutable_criterion_results();
                  v1::CriterionResult* stored = nullptr;
                  for (v1::CriterionResult& existing : *results) {
                    if (existing.criterion_id() == result.criterion_id() &&
                        existing.establishment_id() == result.establishment_id()) {
                      stored = &existing;
                    }
                  }
                  if (stored == nullptr) stored = results->Add();
                  *stored = result;
                  return SaveLoadedApplication(call, *loaded, response);
                });
}

grpc::Status QualificationService::ExtendDecisionPeriod(
    grpc::ServerContext* context, const v1::ExtendDecisionPeriodRequest* request,
    v1::Application* response) {
  return Change(context, "ExtendDecisionPeriod", request->idempotency_key(), *request, *response,
                {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
                  absl::StatusOr<LoadedApplication> loaded =
                      LoadApplicationFor(call, request->application_id());
                  if (!loaded.ok()) return loaded.status();
                  if (absl::Status s = RequireLeadStaff(call, *loaded); !s.ok()) return s;
                  if (absl::Status s =
                          ExtendDecisionDeadline(loaded->domain, loaded->domain_system,
                                                 request->reason(), call.now, call.caller.user_id);
                      !s.ok()) {
                    return s;
                  }
                  return SaveLoadedApplication(call, *loaded, response);
                });
}

grpc::Status QualificationService::DecideApplication(grpc::ServerContext* context,
                                                     const v1::DecideApplicationRequest* request,
                                                     v1::Application* response) {
  return Change(context, "DecideApplication", request->idempotency_key(), *request, *response,
                {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
                  absl::StatusOr<LoadedApplication> loaded =
                      LoadApplicationFor(call, request->application_id());
                  if (!loaded.ok()) return loaded.status();
                  if (absl::Status s = RequireLeadStaff(call, *loaded); !s.ok()) return s;
                  if (absl::Status s = CheckVersion("application", request->expected_version(),
                                                    loaded->record.version());
                      !s.ok()) {
                    return s;
                  }
                  const bool late = IsDecisionOverdue(loaded->domain, call.now);
                  absl::Status decision = loaded->domain.kind == ApplicationKind::kPriceResubmission
                                              ? DecideNewPrices(call, *loaded, *request)
                                              : DecideOnCriteria(call, *loaded, *request);
                  if (!decision.ok()) return decision;
                  if (absl::Status s = SaveApplication(call.tx, loaded->record); !s.ok()) return s;
                  *response = loaded->record;
                  dps::events::v1::EventEnvelope event;
                  auto* decided = event.mutable_application_decided();
                  decided->set_application_id(response->id());
                  decided->set_provider_id(response->provider_id());
                  *decided->mutable_decisions() = response->decisions();
                  decided->set_decided_late(late);
                  return Announce(call, "qualification.application.decided", "application",
                                  response->id(), response->system_id(), std::move(event));
                });
}

}  // namespace dps::qualification
