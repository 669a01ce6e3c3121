// AuditRepository in memory, for the use cases' pure tests (app/audits_test.cc): the same answers
// as the PostgreSQL one (storage/pg_audit_repository.h) for the same calls, without a database.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_AUDIT_REPOSITORY_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_AUDIT_REPOSITORY_H_

#include <map>
#include <string>

#include "services/qualification/storage/audit_repository.h"

namespace dps::qualification {

class InMemoryAuditRepository final : public AuditRepository {
 public:
  absl::Status Insert(const Audit& audit) override;
  absl::StatusOr<StoredAudit> Load(const std::string& id, bool for_update) override;
  absl::StatusOr<int64_t> Save(const Audit& audit, int64_t expected_version) override;

 private:
  std::map<std::string, StoredAudit> audits_;  // by id, as the table's primary key
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_AUDIT_REPOSITORY_H_
