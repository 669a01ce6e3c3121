// RegisterReads in memory, for the use cases' pure tests: the same answers as PostgreSQL's
// (storage/pg_register_reads.h) for the same register. A test puts the systems, establishments,
// memberships, criteria and lots it needs into the maps.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_REGISTER_READS_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_REGISTER_READS_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "services/qualification/storage/register_reads.h"

namespace dps::qualification {

class InMemoryRegisterReads final : public RegisterReads {
 public:
  std::map<std::string, PurchasingSystem> systems;         // by id
  std::map<std::string, EstablishmentRef> establishments;  // by id
  std::map<std::string, std::set<std::string>> members;    // system id -> establishment ids
  std::map<std::string, CriterionRef> criteria;            // by id
  std::map<std::string, dps::qualification::Lot> lots;     // by id (a lot's code is its id)
  std::map<std::string, ApplicationOutcome> applications;  // by id

  absl::StatusOr<PurchasingSystem> System(const std::string& id) override;
  absl::StatusOr<EstablishmentRef> Establishment(const std::string& id) override;
  absl::StatusOr<std::vector<PurchasingSystem>> SystemsWithMember(
      const std::string& establishment_id) override;
  absl::StatusOr<CriterionRef> Criterion(const std::string& id) override;
  absl::StatusOr<std::vector<std::string>> CriterionIds(const std::string& system_id) override;
  absl::StatusOr<dps::qualification::Lot> Lot(const std::string& id) override;
  absl::StatusOr<ApplicationOutcome> Application(const std::string& id) override;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_REGISTER_READS_H_
