// The annual audit of an establishment (docs/rules.md section 4, "Keeping the list clean"):
// scheduled and recorded by the lead authority. A passed audit is recorded on each of the
// establishment's memberships in the system and moves its next due date; a failed one suspends
// them, naming the criteria that failed as the items to resubmit.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/qualification/api/qualification_service.h"
#include "services/qualification/app/access.h"
#include "services/qualification/app/membership_changes.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/audit.h"
#include "services/qualification/domain/errors.h"
#include "services/qualification/storage/lists.h"
#include "services/qualification/storage/records.h"

namespace dps::qualification {
namespace {

// The findings as the domain reads them (domain/audit.h).
std::vector<AuditFinding> FindingsOf(const v1::RecordAuditResultRequest& request) {
  std::vector<AuditFinding> findings;
  for (const v1::CriterionResult& result : request.results()) {
    findings.push_back({.criterion_id = result.criterion_id(),
                        .establishment_id = result.establishment_id(),
                        .passed = result.passed(),
                        .reason = result.reason()});
  }
  return findings;
}

AuditState ToDomainAuditState(v1::AuditState state) {
  switch (state) {
    case v1::AUDIT_STATE_PASSED:
      return AuditState::kPassed;
    case v1::AUDIT_STATE_FAILED:
      return AuditState::kFailed;
    default:
      return AuditState::kScheduled;
  }
}

}  // namespace

grpc::Status QualificationService::ScheduleAudit(grpc::ServerContext* context,
                                                 const v1::ScheduleAuditRequest* request,
                                                 v1::Audit* response) {
  return Change(
      context, "ScheduleAudit", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
        v1::PurchasingSystem system;
        if (absl::Status s = LoadSystem(call.tx, request->system_id(), false, system); !s.ok()) {
          return s;
        }
        if (absl::Status s = RequireLeadOf(call.caller, system); !s.ok()) return s;
        v1::Establishment establishment;
        if (absl::Status s = LoadDoc(call.tx, "establishments", "establishment",
                                     request->establishment_id(), false, establishment);
            !s.ok()) {
          return s;
        }
        absl::StatusOr<std::optional<absl::CivilDay>> due = FromDate(request->due_on(), "due_on");
        if (!due.ok()) return due.status();
        absl::StatusOr<std::vector<v1::Membership>> memberships =
            MembershipsOfEstablishment(call.tx, system.id(), establishment.id());
        if (!memberships.ok()) return memberships.status();
        const int not_excluded = static_cast<int>(std::count_if(
            memberships->begin(), memberships->end(),
            [](const v1::Membership& m) { return m.state() != v1::MEMBERSHIP_STATE_EXCLUDED; }));
        if (absl::Status s = CheckAuditSchedule(
                *due, absl::ToCivilDay(call.now, absl::UTCTimeZone()), not_excluded);
            !s.ok()) {
          return s;
        }
        v1::Audit audit;
        audit.set_id(NewId("aud"));
        audit.set_system_id(system.id());
        audit.set_establishment_id(establishment.id());
        *audit.mutable_due_on() = request->due_on();
        audit.set_state(v1::AUDIT_STATE_SCHEDULED);
        if (absl::Status s = InsertAudit(call.tx, audit, establishment.provider_id()); !s.ok()) {
          return s;
        }
        *response = audit;
        return absl::OkStatus();
      });
}

grpc::Status QualificationService::RecordAuditResult(grpc::ServerContext* context,
                                                     const v1::RecordAuditResultRequest* request,
                                                     v1::Audit* response) {
  return Change(
      context, "RecordAuditResult", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
        v1::Audit audit;
        if (absl::Status s = LoadDoc(call.tx, "audits", "audit", request->audit_id(), true, audit);
            !s.ok()) {
          return s;
        }
        v1::PurchasingSystem system;
        if (absl::Status s = LoadSystem(call.tx, audit.system_id(), false, system); !s.ok()) {
          return s;
        }
        if (absl::Status s = RequireLeadOf(call.caller, system); !s.ok()) return s;
        absl::StatusOr<std::vector<v1::Criterion>> criteria =
            CriteriaOf(call.tx, audit.system_id());
        if (!criteria.ok()) return criteria.status();
        std::vector<std::string> criterion_ids;
        for (const v1::Criterion& criterion : *criteria) criterion_ids.push_back(criterion.id());
        absl::StatusOr<std::vector<std::string>> failed = CheckAuditResult(
            ToDomainAuditState(audit.state()), audit.establishment_id(), criterion_ids,
            request->passed(), request->summary(), FindingsOf(*request));
        if (!failed.ok()) return failed.status();
        absl::StatusOr<std::vector<v1::Membership>> memberships =
            MembershipsOfEstablishment(call.tx, audit.system_id(), audit.establishment_id());
        if (!memberships.ok()) return memberships.status();
        const std::string detail =
            absl::StrCat("audit ", audit.id(), " failed: ", request->summary());
        for (v1::Membership& membership : *memberships) {
          if (membership.state() == v1::MEMBERSHIP_STATE_EXCLUDED) continue;
          absl::StatusOr<bool> changed =
              ChangeMembership(call, membership, [&](Membership& m) -> absl::StatusOr<bool> {
                absl::Status s =
                    request->passed()
                        ? RecordAudit(m, call.now, call.caller.user_id, request->summary())
                        : Suspend(m, SuspensionCause::kAuditFailed, *failed, detail, call.now,
                                  call.caller.user_id);
                if (!s.ok()) return s;
                return true;
              });
          if (!changed.ok()) return changed.status();
          if (!request->passed()) {
            if (absl::Status s = AnnounceSuspended(call, membership); !s.ok()) return s;
          }
        }
        audit.set_state(request->passed() ? v1::AUDIT_STATE_PASSED : v1::AUDIT_STATE_FAILED);
        *audit.mutable_results() = request->results();
        for (v1::CriterionResult& result : *audit.mutable_results()) {
          result.set_establishment_id(audit.establishment_id());
        }
        audit.set_summary(request->summary());
        *audit.mutable_completed_at() = ToTimestamp(call.now);
        *audit.mutable_auditor() = platform::ActorOf(call.caller);
        if (absl::Status s = SaveAudit(call.tx, audit); !s.ok()) return s;
        *response = audit;
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
        // A provider lists the audits of its own establishments; lead-authority staff those of
        // the systems they lead.
        std::string provider_id;
        std::string lead;
        if (call.caller.role == ApiRole::ROLE_PROVIDER_USER) {
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
        std::vector<std::string> states;
        for (int state : request->states()) {
          states.push_back(v1::AuditState_Name(static_cast<v1::AuditState>(state)));
        }
        std::optional<std::string> before;
        if (due_before->has_value()) before = absl::FormatCivilTime(**due_before);
        return ListAuditsPage(call.tx,
                              {.system_id = request->system_id(),
                               .establishment_id = request->establishment_id(),
                               .provider_id = provider_id,
                               .states = states,
                               .due_before = before,
                               .lead_authority = lead,
                               .page = *page},
                              *response);
      });
}

}  // namespace dps::qualification
