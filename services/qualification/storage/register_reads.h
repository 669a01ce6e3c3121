// What the use cases read of the register beyond their own aggregate, in the domain's terms:
// the systems, the establishments they name, and where an establishment is a member. PostgreSQL
// answers in pg_register_reads.h; storage/testing has it in memory for the use cases' pure tests.
//
// Errors: NotFound "purchasing system <id>: not found", "establishment <id>: not found",
// "criterion <id>: not found";
// database failures as platform/pg/pool.h describes.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_REGISTER_READS_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_REGISTER_READS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/qualification/domain/purchasing_system.h"

namespace dps::qualification {

// An establishment, as far as an alert, an audit or evidence names it.
struct EstablishmentRef {
  std::string id;
  std::string provider_id;
};

// A criterion, as far as evidence for it names it.
struct CriterionRef {
  std::string id;
  std::string system_id;
  std::string code;  // e.g. "insurance"
  bool evidence_expires = false;
};

// What the use cases of alerts, audits and evidence read of the rest of the register.
class RegisterReads {
 public:
  virtual ~RegisterReads() = default;

  // The system's rules as the domain reads them (its lots and criteria aside).
  virtual absl::StatusOr<PurchasingSystem> System(const std::string& id) = 0;
  virtual absl::StatusOr<EstablishmentRef> Establishment(const std::string& id) = 0;
  // Every system in which the establishment holds a membership of a lot, in any state, by id.
  virtual absl::StatusOr<std::vector<PurchasingSystem>> SystemsWithMember(
      const std::string& establishment_id) = 0;
  // NotFound "criterion <id>: not found".
  virtual absl::StatusOr<CriterionRef> Criterion(const std::string& id) = 0;
  // The ids of every criterion the system has defined, retired ones too, in id order.
  virtual absl::StatusOr<std::vector<std::string>> CriterionIds(const std::string& system_id) = 0;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_REGISTER_READS_H_
