// What the use cases read of the register beyond their own aggregate, in the domain's terms:
// the systems, the establishments they name, and where an establishment is a member. PostgreSQL
// answers in pg_register_reads.h; storage/testing has it in memory for the use cases' pure tests.
//
// Errors: NotFound "purchasing system <id>: not found", "establishment <id>: not found",
// "criterion <id>: not found", "lot <id>: not found", "application <id>: not found";
// database failures as platform/pg/pool.h describes.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_REGISTER_READS_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_REGISTER_READS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
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

// An application as far as a reinstatement reads it: whether it was decided and when, what it
// passed, and the evidence its answers cite.
struct ApplicationOutcome {
  std::string id;
  std::string system_id;
  bool decided = false;
  absl::Time decided_at;
  // Each criterion it passed, for which establishment (empty: the provider as a whole).
  struct Passed {
    std::string criterion_id;
    std::string establishment_id;
  };
  std::vector<Passed> passed;
  // The evidence each answer cites, by criterion and establishment (empty: the provider).
  struct Cited {
    std::string criterion_id;
    std::string establishment_id;
    std::vector<std::string> evidence_ids;
  };
  std::vector<Cited> cited;
};

// What the use cases of alerts, audits, evidence and memberships read of the rest of the
// register.
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
  // The lot as the domain reads it, with the criteria it asks now. NotFound "lot <id>: not found".
  virtual absl::StatusOr<dps::qualification::Lot> Lot(const std::string& id) = 0;
  // NotFound "application <id>: not found".
  virtual absl::StatusOr<ApplicationOutcome> Application(const std::string& id) = 0;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_REGISTER_READS_H_
