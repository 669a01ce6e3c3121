// Work lists: applications (the lead authority's queue, a provider's own), an evaluator's method
// statements awaiting a score, providers, and a membership's score adjustments. Each is a read in
// one transaction, paged by record id as the other lists are.
#include <algorithm>
#include <map>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/qualification/api/qualification_service.h"
#include "services/qualification/app/access.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/errors.h"
#include "services/qualification/storage/lists.h"
#include "services/qualification/storage/pg_membership_repository.h"
#include "services/qualification/storage/records.h"

namespace dps::qualification {
namespace {

bool AppliesToLot(const v1::Criterion& criterion, const std::string& lot_id) {
  if (criterion.retired()) return false;
  return criterion.lot_ids().empty() ||
         std::find(criterion.lot_ids().begin(), criterion.lot_ids().end(), lot_id) !=
             criterion.lot_ids().end();
}

// An evaluation task's place in the list: (application, establishment, criterion), which is also
// its page token, joined by '/' (ids are letters, digits and '-').
using TaskKey = std::tuple<std::string, std::string, std::string>;

absl::StatusOr<TaskKey> ToTaskKey(const std::string& token) {
  if (token.empty()) return TaskKey{};
  std::vector<std::string> parts = absl::StrSplit(token, '/');
  if (parts.size() != 3) return InvalidField("page.page_token", "not a token this call gave");
  return TaskKey{parts[0], parts[1], parts[2]};
}

// The method statements `evaluator` is assigned to in one application, in (establishment,
// criterion) order: every weighted criterion of each item's lot (of a reinstatement, those it
// resubmits), or the assignment's own list.
std::vector<v1::EvaluationTask> TasksOf(const v1::Application& application,
                                        const std::vector<v1::Criterion>& criteria,
                                        const std::string& evaluator) {
  bool assigned_all = false;
  std::vector<std::string> assigned;
  for (const v1::EvaluatorAssignment& assignment : application.evaluators()) {
    if (assignment.evaluator_user_id() != evaluator) continue;
    if (assignment.criterion_ids().empty()) assigned_all = true;
    assigned.insert(assigned.end(), assignment.criterion_ids().begin(),
                    assignment.criterion_ids().end());
  }
  const bool reinstatement = application.kind() == v1::APPLICATION_KIND_REINSTATEMENT;
  std::map<std::pair<std::string, std::string>, v1::EvaluationTask> tasks;
  for (const v1::ApplicationItem& item : application.items()) {
    for (const v1::Criterion& criterion : criteria) {
      if (criterion.kind() != v1::CRITERION_KIND_WEIGHTED) continue;
      if (!AppliesToLot(criterion, item.lot_id())) continue;
      if (reinstatement &&
          std::none_of(
              application.responses().begin(), application.responses().end(),
              [&](const v1::CriterionResponse& r) { return r.criterion_id() == criterion.id(); })) {
        continue;
      }
      if (!assigned_all &&
          std::find(assigned.begin(), assigned.end(), criterion.id()) == assigned.end()) {
        continue;
      }
      // One score per (establishment, criterion) covers every lot of the item that asks it.
      v1::EvaluationTask& task = tasks[{item.establishment_id(), criterion.id()}];
      task.set_application_id(application.id());
      task.set_criterion_id(criterion.id());
      task.set_establishment_id(item.establishment_id());
      *task.mutable_decision_due_on() = application.decision_due_on();
      for (const v1::CriterionResponse& response : application.responses()) {
        if (response.criterion_id() != criterion.id()) continue;
        if (response.establishment_id() == item.establishment_id() ||
            (response.establishment_id().empty() && task.answer().empty())) {
          task.set_answer(response.answer());
        }
      }
      for (const v1::MethodStatementScore& score : application.scores()) {
        if (score.criterion_id() == criterion.id() &&
            score.establishment_id() == item.establishment_id()) {
          task.set_scored(true);
        }
      }
    }
  }
  std::vector<v1::EvaluationTask> out;
  for (auto& [key, task] : tasks) out.push_back(std::move(task));
  return out;
}

}  // namespace

grpc::Status QualificationService::ListApplications(grpc::ServerContext* context,
                                                    const v1::ListApplicationsRequest* request,
                                                    v1::ListApplicationsResponse* response) {
  return Read(
      context, *request,
      {ApiRole::ROLE_PROVIDER_USER, ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, ApiRole::ROLE_EVALUATOR,
       ApiRole::ROLE_AUDITOR},
      [&](Call& call) -> absl::Status {
        absl::StatusOr<Page> page = ToPage(*request);
        if (!page.ok()) return page.status();
        absl::StatusOr<std::optional<absl::CivilDay>> due_before =
            FromDate(request->decision_due_before(), "decision_due_before");
        if (!due_before.ok()) return due_before.status();
        // A provider lists its own applications; lead-authority staff those of the systems they
        // lead.
        std::string provider_id = request->provider_id();
        std::string lead;
        if (call.caller.role == ApiRole::ROLE_PROVIDER_USER) {
          if (!provider_id.empty() && provider_id != call.caller.organisation_id) {
            return absl::PermissionDeniedError("a provider lists its own applications only");
          }
          provider_id = call.caller.organisation_id;
        } else {
          lead = call.caller.organisation_id;
          if (!request->system_id().empty()) {
            v1::PurchasingSystem system;
            if (absl::Status s = LoadSystem(call.tx, request->system_id(), false, system);
                !s.ok()) {
              return s;
            }
            if (absl::Status s = RequireLeadOf(call.caller, system); !s.ok()) return s;
          }
        }
        // An evaluator lists the applications it is assigned to evaluate.
        const std::string evaluator =
            call.caller.role == ApiRole::ROLE_EVALUATOR ? call.caller.user_id : std::string();
        std::optional<std::string> before;
        if (due_before->has_value()) before = absl::FormatCivilTime(**due_before);
        std::vector<std::string> states;
        for (int state : request->states()) {
          states.push_back(v1::ApplicationState_Name(static_cast<v1::ApplicationState>(state)));
        }
        if (absl::Status s = ListApplicationsPage(call.tx,
                                                  {.system_id = request->system_id(),
                                                   .provider_id = provider_id,
                                                   .states = states,
                                                   .due_before = before,
                                                   .lead_authority = lead,
                                                   .evaluator_user_id = evaluator,
                                                   .page = *page},
                                                  *response);
            !s.ok()) {
          return s;
        }
        for (v1::Application& application : *response->mutable_applications()) {
          HideFromEvaluator(call.caller, application);
        }
        return absl::OkStatus();
      });
}

grpc::Status QualificationService::ListEvaluationTasks(
    grpc::ServerContext* context, const v1::ListEvaluationTasksRequest* request,
    v1::ListEvaluationTasksResponse* response) {
  return Read(
      context, *request, {ApiRole::ROLE_EVALUATOR, ApiRole::ROLE_LEAD_AUTHORITY_ADMIN},
      [&](Call& call) -> absl::Status {
        absl::StatusOr<Page> page = ToPage(*request);
        if (!page.ok()) return page.status();
        absl::StatusOr<TaskKey> after = ToTaskKey(page->after_id);
        if (!after.ok()) return after.status();
        const std::string evaluator = request->evaluator_user_id().empty()
                                          ? call.caller.user_id
                                          : request->evaluator_user_id();
        if (call.caller.role == ApiRole::ROLE_EVALUATOR && evaluator != call.caller.user_id) {
          return absl::PermissionDeniedError("an evaluator lists their own tasks only");
        }
        if (!request->system_id().empty()) {
          v1::PurchasingSystem system;
          if (absl::Status s = LoadSystem(call.tx, request->system_id(), false, system); !s.ok()) {
            return s;
          }
          if (absl::Status s = RequireLeadOf(call.caller, system); !s.ok()) return s;
        }
        // Applications under evaluation in the caller's systems with the evaluator assigned.
        absl::StatusOr<std::vector<v1::Application>> to_evaluate =
            ApplicationsToEvaluate(call.tx, call.caller.organisation_id, request->system_id(),
                                   evaluator, std::get<0>(*after));
        if (!to_evaluate.ok()) return to_evaluate.status();
        std::map<std::string, std::vector<v1::Criterion>> criteria_of;
        int count = 0;
        size_t bytes = 0;
        for (const v1::Application& application : *to_evaluate) {
          auto [it, added] = criteria_of.try_emplace(application.system_id());
          if (added) {
            absl::StatusOr<std::vector<v1::Criterion>> criteria =
                CriteriaOf(call.tx, application.system_id());
            if (!criteria.ok()) return criteria.status();
            it->second = *std::move(criteria);
          }
          for (v1::EvaluationTask& task : TasksOf(application, it->second, evaluator)) {
            const TaskKey key{task.application_id(), task.establishment_id(), task.criterion_id()};
            if (!page->after_id.empty() && key <= *after) continue;
            if (request->pending_only() && task.scored()) continue;
            if (page->Full(count, bytes)) {
              const v1::EvaluationTask& last = response->tasks(count - 1);
              response->mutable_page()->set_next_page_token(page->TokenAfter(absl::StrCat(
                  last.application_id(), "/", last.establishment_id(), "/", last.criterion_id())));
              return absl::OkStatus();
            }
            bytes += task.ByteSizeLong();
            *response->add_tasks() = std::move(task);
            ++count;
          }
        }
        return absl::OkStatus();
      });
}

grpc::Status QualificationService::ListProviders(grpc::ServerContext* context,
                                                 const v1::ListProvidersRequest* request,
                                                 v1::ListProvidersResponse* response) {
  return Read(
      context, *request,
      {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, ApiRole::ROLE_EVALUATOR, ApiRole::ROLE_PLACING_OFFICER,
       ApiRole::ROLE_COMMISSIONER, ApiRole::ROLE_AUDITOR, ApiRole::ROLE_SERVICE},
      [&](Call& call) -> absl::Status {
        absl::StatusOr<Page> page = ToPage(*request);
        if (!page.ok()) return page.status();
        // Which providers applied to or belong to a system is for the system's authorities.
        if (!request->system_id().empty()) {
          v1::PurchasingSystem system;
          if (absl::Status s = LoadSystem(call.tx, request->system_id(), false, system); !s.ok()) {
            return s;
          }
          if (absl::Status s = RequireAuthorityOf(call.caller, system); !s.ok()) return s;
        }
        return ListProvidersPage(call.tx, request->name_prefix(), request->system_id(), *page,
                                 *response);
      });
}

grpc::Status QualificationService::ListScoreAdjustments(
    grpc::ServerContext* context, const v1::ListScoreAdjustmentsRequest* request,
    v1::ListScoreAdjustmentsResponse* response) {
  return Read(context, *request, kAnyRole, [&](Call& call) -> absl::Status {
    absl::StatusOr<Page> page = ToPage(*request);
    if (!page.ok()) return page.status();
    if (request->membership_id().empty() && request->system_id().empty()) {
      return InvalidField("membership_id", "give a membership_id or a system_id");
    }
    std::string system_id = request->system_id();
    std::string provider_id;
    if (!request->membership_id().empty()) {
      absl::StatusOr<Membership> membership =
          PgMembershipRepository(call.tx).Load(request->membership_id());
      if (!membership.ok()) return membership.status();
      // A provider reads its own memberships only, as GetMembership.
      if (call.caller.role == ApiRole::ROLE_PROVIDER_USER &&
          membership->provider_id != call.caller.organisation_id) {
        return absl::NotFoundError(
            absl::StrCat("membership ", request->membership_id(), ": not found"));
      }
      if (!system_id.empty() && system_id != membership->system_id) {
        return InvalidField("system_id", "is not the membership's system");
      }
      system_id = membership->system_id;
    }
    if (call.caller.role == ApiRole::ROLE_PROVIDER_USER) {
      provider_id = call.caller.organisation_id;
    } else {
      v1::PurchasingSystem system;
      if (absl::Status s = LoadSystem(call.tx, system_id, false, system); !s.ok()) return s;
      if (absl::Status s = RequireAuthorityOf(call.caller, system); !s.ok()) return s;
    }
    return ListScoreAdjustmentsPage(call.tx, request->membership_id(), system_id, provider_id,
                                    *page, *response);
  });
}

}  // namespace dps::qualification
