// MembershipRepository in memory, for the use cases' pure tests: the same answers as the
// PostgreSQL one (storage/pg_membership_repository.h) for the same calls, without a database.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_MEMBERSHIP_REPOSITORY_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_MEMBERSHIP_REPOSITORY_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "services/qualification/storage/membership_repository.h"

namespace dps::qualification {

class InMemoryMembershipRepository final : public MembershipRepository {
 public:
  absl::Status Insert(const Membership& membership) override;
  absl::StatusOr<Membership> Load(const std::string& id) override;
  absl::StatusOr<Membership> LoadForUpdate(const std::string& id) override;
  absl::StatusOr<std::optional<Membership>> OfEstablishmentInLot(
      const std::string& establishment_id, const std::string& lot_id) override;
  absl::StatusOr<std::vector<Membership>> OfEstablishmentInSystem(
      const std::string& system_id, const std::string& establishment_id) override;
  absl::Status Save(Membership& membership) override;
  absl::Status RestOn(const std::string& membership_id, const std::string& criterion_id,
                      const std::vector<std::string>& evidence_ids) override;
  absl::StatusOr<std::vector<EvidenceLink>> RestingOn(const std::string& evidence_id) override;

 private:
  std::map<std::string, Membership> memberships_;  // by id, as the table's primary key
  // (membership id, criterion id) -> the evidence it rests on (the table membership_evidence).
  std::map<std::pair<std::string, std::string>, std::set<std::string>> links_;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_MEMBERSHIP_REPOSITORY_H_
