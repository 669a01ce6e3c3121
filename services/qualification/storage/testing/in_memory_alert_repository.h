// AlertRepository and RegisterReads in memory, for the use cases' pure tests
// (app/safeguarding_alerts_test.cc): the same answers as the PostgreSQL ones
// (storage/pg_alert_repository.h) for the same calls, without a database. A test puts the systems,
// establishments and memberships it needs into the register's maps.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_ALERT_REPOSITORY_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_ALERT_REPOSITORY_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "services/qualification/storage/alert_repository.h"

namespace dps::qualification {

class InMemoryAlertRepository final : public AlertRepository {
 public:
  absl::Status Insert(const Alert& alert) override;
  absl::StatusOr<StoredAlert> Load(const std::string& id, bool for_update) override;
  absl::StatusOr<int64_t> Save(const Alert& alert, int64_t expected_version) override;

 private:
  std::map<std::string, StoredAlert> alerts_;  // by id, as the table's primary key
};

class InMemoryRegisterReads final : public RegisterReads {
 public:
  std::map<std::string, PurchasingSystem> systems;             // by id
  std::map<std::string, EstablishmentRef> establishments;      // by id
  std::map<std::string, std::set<std::string>> members;        // system id -> establishment ids

  absl::StatusOr<PurchasingSystem> System(const std::string& id) override;
  absl::StatusOr<EstablishmentRef> Establishment(const std::string& id) override;
  absl::StatusOr<std::vector<PurchasingSystem>> SystemsWithMember(
      const std::string& establishment_id) override;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_ALERT_REPOSITORY_H_
