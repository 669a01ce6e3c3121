// The annual audit of an establishment (docs/rules.md section 4, "Keeping the list clean"):
// scheduled by the lead authority for an establishment with a membership in its system, and
// recorded once, passed or failed, with a finding per criterion. A passed audit is recorded on
// each of the establishment's memberships in the system (membership.h, RecordAudit); a failed
// one suspends them, naming the criteria that failed as the items to resubmit.
#ifndef DPS_SERVICES_QUALIFICATION_DOMAIN_AUDIT_H_
#define DPS_SERVICES_QUALIFICATION_DOMAIN_AUDIT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace dps::qualification {

enum class AuditState { kScheduled, kPassed, kFailed };

absl::string_view AuditStateName(AuditState state);  // "SCHEDULED", "PASSED", "FAILED"

// An audit may be scheduled for `due_on` when that day is given and not before `today`
// (InvalidArgument naming due_on), for an establishment that holds a membership of the system
// that is not excluded (`memberships_not_excluded` of them; FailedPrecondition otherwise).
absl::Status CheckAuditSchedule(std::optional<absl::CivilDay> due_on, absl::CivilDay today,
                                int memberships_not_excluded);

// One criterion's finding, as the auditor records it.
struct AuditFinding {
  std::string criterion_id;
  std::string establishment_id;  // empty: the audited establishment
  bool passed = false;
  double score = 0;    // a weighted criterion's mean evaluator score (0-100), kept as given
  std::string reason;  // required when it fails
};

// Who recorded an audit's result, as its record shows them.
struct Auditor {
  std::string user_id;
  std::string role;  // the role they acted in, a dps.common.v1.Role name
  std::string organisation_id;
};

// One audit of an establishment in a system: scheduled, then recorded once.
struct Audit {
  std::string id;
  std::string system_id;
  std::string establishment_id;
  std::string provider_id;  // the establishment's, so a provider lists its own audits
  absl::CivilDay due_on;
  AuditState state = AuditState::kScheduled;
  // Once recorded: the findings, each naming the audited establishment; the summary; when and by
  // whom.
  std::vector<AuditFinding> findings;
  std::string summary;
  std::optional<absl::Time> completed_at;
  Auditor auditor;
};

// What a schedule asks for; `due_on` unset when the request named no day.
struct AuditToSchedule {
  std::string id;
  std::string system_id;
  std::string establishment_id;
  std::string provider_id;
  std::optional<absl::CivilDay> due_on;
};

// An audit's result, checked before anything is recorded: the audit still SCHEDULED
// (FailedPrecondition "audit: already recorded as PASSED"), a summary, every finding naming one
// of `criterion_ids` (the system's) and no other establishment than the audited one, a reason for
// each failed criterion, and the verdict agreeing with the findings (a passed audit fails no
// criterion; a failed one names those that failed). Returns the failed criteria, in order:
// the items a suspension asks to be resubmitted.
absl::StatusOr<std::vector<std::string>> CheckAuditResult(
    AuditState state, const std::string& audited_establishment_id,
    const std::vector<std::string>& criterion_ids, bool passed, absl::string_view summary,
    const std::vector<AuditFinding>& findings);

// A new SCHEDULED audit, when CheckAuditSchedule allows it.
absl::StatusOr<Audit> ScheduleAudit(AuditToSchedule schedule, absl::CivilDay today,
                                    int memberships_not_excluded);

// SCHEDULED -> PASSED or FAILED, when CheckAuditResult allows it: the findings (each now naming
// the audited establishment), the summary, `at` and `auditor` recorded. Returns the failed
// criteria; `audit` is unchanged on an error.
absl::StatusOr<std::vector<std::string>> CompleteAudit(
    Audit& audit, const std::vector<std::string>& criterion_ids, bool passed, std::string summary,
    std::vector<AuditFinding> findings, absl::Time at, Auditor auditor);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_DOMAIN_AUDIT_H_
