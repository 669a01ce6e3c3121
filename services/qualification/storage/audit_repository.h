// Where audits are kept, in the domain's own terms (domain/audit.h): the use cases (app/audits.h)
// read and write them through AuditRepository and never see SQL or the API's messages. The
// PostgreSQL implementation is pg_audit_repository.h; storage/testing has it in memory for the
// use cases' pure tests. (The list of audits is a query: ListAuditsPage in lists.h.)
//
// Errors: NotFound "audit <id>: not found"; AlreadyExists when an insert repeats an id, or when
// the establishment already has an audit scheduled in the system ("establishment <id> already
// has audit <id> scheduled"); Aborted when a save names a version other than the stored one;
// database failures as platform/pg/pool.h describes.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_AUDIT_REPOSITORY_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_AUDIT_REPOSITORY_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/qualification/domain/audit.h"

namespace dps::qualification {

// An audit as stored, with the version a save must name (1 after Insert, +1 per Save).
struct StoredAudit {
  Audit audit;
  int64_t version = 0;
};

class AuditRepository {
 public:
  virtual ~AuditRepository() = default;

  // A new audit, version 1: at most one SCHEDULED per establishment and system.
  virtual absl::Status Insert(const Audit& audit) = 0;
  // The audit, and its row locked until the transaction ends when `for_update`.
  virtual absl::StatusOr<StoredAudit> Load(const std::string& id, bool for_update) = 0;
  // Writes the audit over the stored one when that is at `expected_version`; the new version.
  virtual absl::StatusOr<int64_t> Save(const Audit& audit, int64_t expected_version) = 0;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_AUDIT_REPOSITORY_H_
