// AuditRepository in PostgreSQL (migration 0004_maintenance.sql), within the caller's
// transaction. An audit is kept as JSON in `doc`, today in the API's encoding (convert/convert.h),
// which the list of audits (ListAuditsPage) reads back, beside the columns the list filters on;
// its version and provider are kept in their columns only. A choice of this file alone: the use
// cases see only domain types.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_PG_AUDIT_REPOSITORY_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_PG_AUDIT_REPOSITORY_H_

#include <pqxx/pqxx>
#include <string>

#include "services/qualification/storage/audit_repository.h"

namespace dps::qualification {

class PgAuditRepository final : public AuditRepository {
 public:
  explicit PgAuditRepository(pqxx::work& tx) : tx_(tx) {}

  absl::Status Insert(const Audit& audit) override;
  absl::StatusOr<StoredAudit> Load(const std::string& id, bool for_update) override;
  absl::StatusOr<int64_t> Save(const Audit& audit, int64_t expected_version) override;

 private:
  pqxx::work& tx_;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_PG_AUDIT_REPOSITORY_H_
