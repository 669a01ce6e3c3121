// AlertRepository in memory, for the use cases' pure tests (app/safeguarding_alerts_test.cc): the
// same answers as the PostgreSQL one (storage/pg_alert_repository.h) for the same calls, without
// a database.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_ALERT_REPOSITORY_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_ALERT_REPOSITORY_H_

#include <map>
#include <string>

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

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_ALERT_REPOSITORY_H_
