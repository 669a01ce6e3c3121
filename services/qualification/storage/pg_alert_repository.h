// AlertRepository in PostgreSQL (migration 0003_records.sql), within the
// caller's transaction. An alert is kept as JSON in `doc`, today in the API's encoding
// (convert/convert.h) with its version, which the list of alerts (ListAlertsPage) reads back; a
// choice of this file alone: the use cases see only domain types.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_PG_ALERT_REPOSITORY_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_PG_ALERT_REPOSITORY_H_

#include <pqxx/pqxx>
#include <string>

#include "services/qualification/storage/alert_repository.h"

namespace dps::qualification {

class PgAlertRepository final : public AlertRepository {
 public:
  explicit PgAlertRepository(pqxx::work& tx) : tx_(tx) {}

  absl::Status Insert(const Alert& alert) override;
  absl::StatusOr<StoredAlert> Load(const std::string& id, bool for_update) override;
  absl::StatusOr<int64_t> Save(const Alert& alert, int64_t expected_version) override;

 private:
  pqxx::work& tx_;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_PG_ALERT_REPOSITORY_H_
