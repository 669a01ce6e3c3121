// RegisterReads in PostgreSQL (migration 0003_records.sql), within the caller's transaction:
// the register's records read as the domain sees them.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_PG_REGISTER_READS_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_PG_REGISTER_READS_H_

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "services/qualification/storage/register_reads.h"

namespace dps::qualification {

// An application record as a reinstatement or an admission reads it (RegisterReads::Application).
ApplicationOutcome OutcomeOf(const dps::qualification::v1::Application& application);

class PgRegisterReads final : public RegisterReads {
 public:
  explicit PgRegisterReads(pqxx::work& tx) : tx_(tx) {}

  absl::StatusOr<PurchasingSystem> System(const std::string& id) override;
  absl::StatusOr<EstablishmentRef> Establishment(const std::string& id) override;
  absl::StatusOr<std::vector<PurchasingSystem>> SystemsWithMember(
      const std::string& establishment_id) override;
  absl::StatusOr<CriterionRef> Criterion(const std::string& id) override;
  absl::StatusOr<std::vector<std::string>> CriterionIds(const std::string& system_id) override;
  absl::StatusOr<dps::qualification::Lot> Lot(const std::string& id) override;
  absl::StatusOr<ApplicationOutcome> Application(const std::string& id) override;

 private:
  pqxx::work& tx_;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_PG_REGISTER_READS_H_
