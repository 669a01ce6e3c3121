// Where safeguarding alerts are kept, in the domain's own terms (domain/alert.h): the use cases
// (app/safeguarding_alerts.h) read and write them through AlertRepository, and what they need of
// the rest of the register through RegisterReads, and never see SQL or the API's messages. The
// PostgreSQL implementation is pg_alert_repository.h; storage/testing has it in memory for the
// use cases' pure tests. (The list of alerts an authority may read is a query across
// systems and memberships: ListAlertsPage in records.h.)
//
// Errors: NotFound "alert <id>: not found", "purchasing system <id>: not found", "establishment
// <id>: not found"; AlreadyExists when an insert repeats an id; Aborted when a save names a
// version other than the stored one; database failures as platform/pg/pool.h describes.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_ALERT_REPOSITORY_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_ALERT_REPOSITORY_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/qualification/domain/alert.h"
#include "services/qualification/storage/register_reads.h"

namespace dps::qualification {

// An alert as stored, with the version a save must name (1 after Insert, +1 per Save).
struct StoredAlert {
  Alert alert;
  int64_t version = 0;
};

class AlertRepository {
 public:
  virtual ~AlertRepository() = default;

  // A new alert, version 1.
  virtual absl::Status Insert(const Alert& alert) = 0;
  // The alert, and its row locked until the transaction ends when `for_update`.
  virtual absl::StatusOr<StoredAlert> Load(const std::string& id, bool for_update) = 0;
  // Writes the alert over the stored one when that is at `expected_version`; the new version.
  virtual absl::StatusOr<int64_t> Save(const Alert& alert, int64_t expected_version) = 0;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_ALERT_REPOSITORY_H_
