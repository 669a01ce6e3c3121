#include "services/qualification/app/audits.h"

#include "dps/common/v1/common.pb.h"
#include "platform/pg/documents.h"
#include "services/qualification/app/access.h"

namespace dps::qualification {

absl::StatusOr<PurchasingSystem> AuditUseCases::SystemLedBy(
    const std::string& system_id, const platform::CallerIdentity& caller) {
  absl::StatusOr<PurchasingSystem> system = register_.System(system_id);
  if (!system.ok()) return system.status();
  if (absl::Status s = RequireLeadOf(caller, *system); !s.ok()) return s;
  return system;
}

absl::StatusOr<StoredAudit> AuditUseCases::Schedule(const std::string& system_id,
                                                    const std::string& establishment_id,
                                                    std::optional<absl::CivilDay> due_on,
                                                    const platform::CallerIdentity& caller,
                                                    absl::Time now) {
  absl::StatusOr<PurchasingSystem> system = SystemLedBy(system_id, caller);
  if (!system.ok()) return system.status();
  absl::StatusOr<EstablishmentRef> establishment = register_.Establishment(establishment_id);
  if (!establishment.ok()) return establishment.status();
  absl::StatusOr<int> members = memberships_.CountNotExcluded(system->id, establishment->id);
  if (!members.ok()) return members.status();
  absl::StatusOr<Audit> audit = ScheduleAudit({.id = platform::NewId("aud"),
                                               .system_id = system->id,
                                               .establishment_id = establishment->id,
                                               .provider_id = establishment->provider_id,
                                               .due_on = due_on},
                                              absl::ToCivilDay(now, absl::UTCTimeZone()), *members);
  if (!audit.ok()) return audit.status();
  if (absl::Status s = audits_.Insert(*audit); !s.ok()) return s;
  return StoredAudit{.audit = *std::move(audit), .version = 1};
}

absl::StatusOr<StoredAudit> AuditUseCases::Record(const AuditResult& result,
                                                  const platform::CallerIdentity& caller,
                                                  absl::Time now) {
  absl::StatusOr<StoredAudit> stored = audits_.Load(result.audit_id, true);
  if (!stored.ok()) return stored.status();
  Audit& audit = stored->audit;
  if (absl::Status s = SystemLedBy(audit.system_id, caller).status(); !s.ok()) return s;
  absl::StatusOr<std::vector<std::string>> criterion_ids = register_.CriterionIds(audit.system_id);
  if (!criterion_ids.ok()) return criterion_ids.status();
  absl::StatusOr<std::vector<std::string>> failed =
      CompleteAudit(audit, *criterion_ids, result.passed, result.summary, result.findings, now,
                    {.user_id = caller.user_id,
                     .role = dps::common::v1::Role_Name(caller.role),
                     .organisation_id = caller.organisation_id});
  if (!failed.ok()) return failed.status();
  if (absl::Status s = result.passed ? memberships_.RecordPassed(audit)
                                     : memberships_.SuspendForFailure(audit, *failed);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<int64_t> version = audits_.Save(audit, stored->version);
  if (!version.ok()) return version.status();
  stored->version = *version;
  return stored;
}

absl::StatusOr<AuditUseCases::ListScope> AuditUseCases::ScopeOfList(
    const std::string& system_id, const platform::CallerIdentity& caller) {
  if (caller.role == dps::common::v1::ROLE_PROVIDER_USER) {
    return ListScope{.provider_id = caller.organisation_id};
  }
  if (!system_id.empty()) {
    if (absl::Status s = SystemLedBy(system_id, caller).status(); !s.ok()) return s;
  }
  return ListScope{.lead_authority = caller.organisation_id};
}

}  // namespace dps::qualification
