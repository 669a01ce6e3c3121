// The annual audit of an establishment (docs/rules.md section 4, "Keeping the list clean"):
// scheduled by the lead authority for an establishment with a membership of its system, and
// recorded once. A passed audit is recorded on each of the establishment's memberships in the
// system, which moves its next due date; a failed one suspends them, naming the criteria that
// failed as the items to resubmit (domain/audit.h, domain/membership.h). Each use case works on
// the repository, the register's reads and the memberships given to it, in one transaction.
#ifndef DPS_SERVICES_QUALIFICATION_APP_AUDITS_H_
#define DPS_SERVICES_QUALIFICATION_APP_AUDITS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "platform/auth/identity.h"
#include "services/qualification/domain/audit.h"
#include "services/qualification/storage/audit_repository.h"
#include "services/qualification/storage/register_reads.h"

namespace dps::qualification {

// What an audit does to the audited establishment's memberships of the system's lots, each
// change saved and announced: implemented over the membership repository by RecordedMemberships
// (app/membership_changes.h), and by a fake in the pure tests.
class AuditedMemberships {
 public:
  virtual ~AuditedMemberships() = default;

  // How many of the establishment's memberships of the system are not EXCLUDED (each locked
  // until the transaction ends).
  virtual absl::StatusOr<int> CountNotExcluded(const std::string& system_id,
                                               const std::string& establishment_id) = 0;
  // A PASSED `audit` recorded on each membership not EXCLUDED, at its completion, by its auditor,
  // with its summary as the note.
  virtual absl::Status RecordPassed(const Audit& audit) = 0;
  // Each membership not EXCLUDED suspended for the FAILED `audit`, naming `failed` (its failed
  // criteria) as the items to resubmit; each suspension announced.
  virtual absl::Status SuspendForFailure(const Audit& audit,
                                         const std::vector<std::string>& failed) = 0;
};

// What a result records.
struct AuditResult {
  std::string audit_id;
  bool passed = false;
  std::string summary;
  std::vector<AuditFinding> findings;
};

class AuditUseCases {
 public:
  AuditUseCases(AuditRepository& audits, RegisterReads& register_reads,
                AuditedMemberships& memberships)
      : audits_(audits), register_(register_reads), memberships_(memberships) {}

  // A SCHEDULED audit of the establishment in the system, due on `due_on` (unset when the request
  // named no day). NotFound for an unknown system or establishment; PermissionDenied unless the
  // caller's organisation leads the system; then the domain's CheckAuditSchedule, and
  // AlreadyExists when one is already scheduled.
  absl::StatusOr<StoredAudit> Schedule(const std::string& system_id,
                                       const std::string& establishment_id,
                                       std::optional<absl::CivilDay> due_on,
                                       const platform::CallerIdentity& caller, absl::Time now);

  // The result recorded by `caller` at `now`, and its effect on the memberships. NotFound for an
  // unknown audit; PermissionDenied unless the caller's organisation leads its system; then the
  // domain's CheckAuditResult.
  absl::StatusOr<StoredAudit> Record(const AuditResult& result,
                                     const platform::CallerIdentity& caller, absl::Time now);

  // Whose audits `caller` lists: a provider those of its own establishments; lead-authority staff
  // those of the systems their organisation leads (PermissionDenied for a named system it does
  // not lead; NotFound for an unknown one).
  struct ListScope {
    std::string provider_id;     // set for a provider
    std::string lead_authority;  // set for lead-authority staff
  };
  absl::StatusOr<ListScope> ScopeOfList(const std::string& system_id,
                                        const platform::CallerIdentity& caller);

 private:
  // The system, when the caller's organisation leads it.
  absl::StatusOr<PurchasingSystem> SystemLedBy(const std::string& system_id,
                                               const platform::CallerIdentity& caller);

  AuditRepository& audits_;
  RegisterReads& register_;
  AuditedMemberships& memberships_;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_APP_AUDITS_H_
