// EvidenceRepository in memory, for the use cases' pure tests (app/evidence_test.cc): the same
// answers as the PostgreSQL one (storage/pg_evidence_repository.h) for the same calls, without a
// database. A test puts which memberships rest on which evidence into `links`.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_EVIDENCE_REPOSITORY_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_EVIDENCE_REPOSITORY_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "services/qualification/storage/evidence_repository.h"

namespace dps::qualification {

class InMemoryEvidenceRepository final : public EvidenceRepository {
 public:
  // evidence id -> the memberships resting on it (the table membership_evidence).
  std::map<std::string, std::set<std::string>> links;

  absl::Status Insert(const Evidence& evidence) override;
  absl::StatusOr<Evidence> LoadForUpdate(const std::string& id) override;
  absl::Status Save(const Evidence& evidence) override;
  absl::StatusOr<std::vector<Evidence>> OthersInForce(const Evidence& evidence) override;
  absl::Status Supersede(const std::vector<std::string>& renewed,
                         const std::string& renewal_id) override;
  absl::StatusOr<std::vector<std::string>> ExpiredBy(absl::CivilDay today, int limit) override;

 private:
  std::map<std::string, Evidence> evidence_;  // by id, as the table's primary key
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_EVIDENCE_REPOSITORY_H_
