#include "services/qualification/storage/testing/in_memory_register_reads.h"

#include "absl/strings/str_cat.h"

namespace dps::qualification {

absl::StatusOr<PurchasingSystem> InMemoryRegisterReads::System(const std::string& id) {
  auto it = systems.find(id);
  if (it == systems.end()) {
    return absl::NotFoundError(absl::StrCat("purchasing system ", id, ": not found"));
  }
  return it->second;
}

absl::StatusOr<EstablishmentRef> InMemoryRegisterReads::Establishment(const std::string& id) {
  auto it = establishments.find(id);
  if (it == establishments.end()) {
    return absl::NotFoundError(absl::StrCat("establishment ", id, ": not found"));
  }
  return it->second;
}

absl::StatusOr<std::vector<PurchasingSystem>> InMemoryRegisterReads::SystemsWithMember(
    const std::string& establishment_id) {
  std::vector<PurchasingSystem> out;
  for (const auto& [system_id, establishments] : members) {
    if (establishments.contains(establishment_id) && systems.contains(system_id)) {
      out.push_back(systems.at(system_id));
    }
  }
  return out;
}

absl::StatusOr<CriterionRef> InMemoryRegisterReads::Criterion(const std::string& id) {
  auto it = criteria.find(id);
  if (it == criteria.end()) {
    return absl::NotFoundError(absl::StrCat("criterion ", id, ": not found"));
  }
  return it->second;
}

absl::StatusOr<std::vector<std::string>> InMemoryRegisterReads::CriterionIds(
    const std::string& system_id) {
  std::vector<std::string> ids;
  for (const auto& [id, criterion] : criteria) {
    if (criterion.system_id == system_id) ids.push_back(id);
  }
  return ids;
}

absl::StatusOr<Lot> InMemoryRegisterReads::Lot(const std::string& id) {
  auto it = lots.find(id);
  if (it == lots.end()) return absl::NotFoundError(absl::StrCat("lot ", id, ": not found"));
  return it->second;
}

absl::StatusOr<ApplicationOutcome> InMemoryRegisterReads::Application(const std::string& id) {
  auto it = applications.find(id);
  if (it == applications.end()) {
    return absl::NotFoundError(absl::StrCat("application ", id, ": not found"));
  }
  return it->second;
}

}  // namespace dps::qualification
