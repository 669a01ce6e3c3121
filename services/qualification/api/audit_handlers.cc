// The annual audit of an establishment (app/audits.h): scheduled and recorded by the lead
// authority, listed by it and by the provider whose establishment it is.
#include "services/qualification/api/qualification_service.h"
#include "services/qualification/app/audits.h"
#include "services/qualification/app/membership_changes.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/storage/documents.h"
#include "services/qualification/storage/lists.h"
#include "services/qualification/storage/pg_audit_repository.h"
#include "services/qualification/storage/pg_register_reads.h"

namespace dps::qualification {
namespace {

// The audit use cases over the call's transaction, its memberships announced on the
// qualification stream's outbox.
struct AuditWork {
  explicit AuditWork(Call& call) : audits(call.tx), register_reads(call.tx), memberships(call) {}
  PgAuditRepository audits;
  PgRegisterReads register_reads;
  RecordedMemberships memberships;
  AuditUseCases use_cases{audits, register_reads, memberships};
};

}  // namespace

grpc::Status QualificationService::ScheduleAudit(grpc::ServerContext* context,
                                                 const v1::ScheduleAuditRequest* request,
                                                 v1::Audit* response) {
  return Change(
      context, "ScheduleAudit", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
        absl::StatusOr<std::optional<absl::CivilDay>> due = FromDate(request->due_on(), "due_on");
        if (!due.ok()) return due.status();
        AuditWork work(call);
        absl::StatusOr<StoredAudit> scheduled = work.use_cases.Schedule(
            request->system_id(), request->establishment_id(), *due, call.caller, call.now);
        if (!scheduled.ok()) return scheduled.status();
        *response = ToApiAudit(scheduled->audit);
        return absl::OkStatus();
      });
}

grpc::Status QualificationService::RecordAuditResult(grpc::ServerContext* context,
                                                     const v1::RecordAuditResultRequest* request,
                                                     v1::Audit* response) {
  return Change(context, "RecordAuditResult", request->idempotency_key(), *request, *response,
                {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
                  AuditWork work(call);
                  absl::StatusOr<StoredAudit> recorded =
                      work.use_cases.Record({.audit_id = request->audit_id(),
                                             .passed = request->passed(),
                                             .summary = request->summary(),
                                             .findings = ToDomainFindings(request->results())},
                                            call.caller, call.now);
                  if (!recorded.ok()) return recorded.status();
                  *response = ToApiAudit(recorded->audit);
                  return absl::OkStatus();
                });
}

grpc::Status QualificationService::ListAudits(grpc::ServerContext* context,
                                              const v1::ListAuditsRequest* request,
                                              v1::ListAuditsResponse* response) {
  return Read(
      context, *request,
      {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, ApiRole::ROLE_AUDITOR, ApiRole::ROLE_PROVIDER_USER},
      [&](Call& call) -> absl::Status {
        absl::StatusOr<Page> page = ToPage(*request);
        if (!page.ok()) return page.status();
        absl::StatusOr<std::optional<absl::CivilDay>> due_before =
            FromDate(request->due_before(), "due_before");
        if (!due_before.ok()) return due_before.status();
        AuditWork work(call);
        absl::StatusOr<AuditUseCases::ListScope> scope =
            work.use_cases.ScopeOfList(request->system_id(), call.caller);
        if (!scope.ok()) return scope.status();
        std::vector<std::string> states;
        for (int state : request->states()) {
          states.push_back(v1::AuditState_Name(static_cast<v1::AuditState>(state)));
        }
        std::optional<std::string> before;
        if (due_before->has_value()) before = absl::FormatCivilTime(**due_before);
        return ListAuditsPage(call.tx,
                              {.system_id = request->system_id(),
                               .establishment_id = request->establishment_id(),
                               .provider_id = scope->provider_id,
                               .states = states,
                               .due_before = before,
                               .lead_authority = scope->lead_authority,
                               .page = *page},
                              *response);
      });
}

}  // namespace dps::qualification
