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
  std::string reason;  // required when it fails
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

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_DOMAIN_AUDIT_H_
