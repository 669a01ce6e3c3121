#include "services/qualification/domain/audit.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/qualification/domain/errors.h"

namespace dps::qualification {

absl::string_view AuditStateName(AuditState state) {
  switch (state) {
    case AuditState::kScheduled:
      return "SCHEDULED";
    case AuditState::kPassed:
      return "PASSED";
    case AuditState::kFailed:
      return "FAILED";
  }
  return "UNKNOWN";
}

absl::Status CheckAuditSchedule(std::optional<absl::CivilDay> due_on, absl::CivilDay today,
                                int memberships_not_excluded) {
  if (!due_on) return InvalidField("due_on", "required");
  if (*due_on < today) return InvalidField("due_on", "must not be in the past");
  if (memberships_not_excluded == 0) {
    return Forbidden("establishment", "has no membership in the system to audit");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> CheckAuditResult(
    AuditState state, const std::string& audited_establishment_id,
    const std::vector<std::string>& criterion_ids, bool passed, absl::string_view summary,
    const std::vector<AuditFinding>& findings) {
  if (state != AuditState::kScheduled) {
    return Forbidden("audit", absl::StrCat("already recorded as ", AuditStateName(state)));
  }
  if (summary.empty()) return InvalidField("summary", "required");
  std::vector<std::string> failed;
  for (size_t i = 0; i < findings.size(); ++i) {
    const AuditFinding& finding = findings[i];
    const std::string here = absl::StrCat("results[", i, "]");
    if (std::find(criterion_ids.begin(), criterion_ids.end(), finding.criterion_id) ==
        criterion_ids.end()) {
      return InvalidField(
          absl::StrCat(here, ".criterion_id"),
          absl::StrCat("no criterion \"", finding.criterion_id, "\" in the system"));
    }
    if (!finding.establishment_id.empty() && finding.establishment_id != audited_establishment_id) {
      return InvalidField(absl::StrCat(here, ".establishment_id"),
                          "is not the audited establishment");
    }
    if (!finding.passed) {
      if (finding.reason.empty()) {
        return InvalidField(absl::StrCat(here, ".reason"), "required when the criterion fails");
      }
      failed.push_back(finding.criterion_id);
    }
  }
  if (passed && !failed.empty()) {
    return InvalidField("passed", absl::StrCat("a passed audit has no failed criterion; got ",
                                               absl::StrJoin(failed, ", ")));
  }
  if (!passed && failed.empty()) {
    return InvalidField("results", "a failed audit names the criteria that failed");
  }
  return failed;
}

absl::StatusOr<Audit> ScheduleAudit(AuditToSchedule schedule, absl::CivilDay today,
                                    int memberships_not_excluded) {
  if (absl::Status s = CheckAuditSchedule(schedule.due_on, today, memberships_not_excluded);
      !s.ok()) {
    return s;
  }
  return Audit{.id = std::move(schedule.id),
               .system_id = std::move(schedule.system_id),
               .establishment_id = std::move(schedule.establishment_id),
               .provider_id = std::move(schedule.provider_id),
               .due_on = *schedule.due_on,
               .state = AuditState::kScheduled};
}

absl::StatusOr<std::vector<std::string>> CompleteAudit(
    Audit& audit, const std::vector<std::string>& criterion_ids, bool passed, std::string summary,
    std::vector<AuditFinding> findings, absl::Time at, Auditor auditor) {
  absl::StatusOr<std::vector<std::string>> failed = CheckAuditResult(
      audit.state, audit.establishment_id, criterion_ids, passed, summary, findings);
  if (!failed.ok()) return failed.status();
  for (AuditFinding& finding : findings) finding.establishment_id = audit.establishment_id;
  audit.state = passed ? AuditState::kPassed : AuditState::kFailed;
  audit.findings = std::move(findings);
  audit.summary = std::move(summary);
  audit.completed_at = at;
  audit.auditor = std::move(auditor);
  return failed;
}

}  // namespace dps::qualification
