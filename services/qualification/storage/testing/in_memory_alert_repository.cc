#include "services/qualification/storage/testing/in_memory_alert_repository.h"

#include "absl/strings/str_cat.h"

namespace dps::qualification {

absl::Status InMemoryAlertRepository::Insert(const Alert& alert) {
  if (!alerts_.emplace(alert.id, StoredAlert{alert, 1}).second) {
    return absl::AlreadyExistsError(absl::StrCat("alert ", alert.id, ": already exists"));
  }
  return absl::OkStatus();
}

absl::StatusOr<StoredAlert> InMemoryAlertRepository::Load(const std::string& id,
                                                          bool /*for_update*/) {
  auto it = alerts_.find(id);
  if (it == alerts_.end()) return absl::NotFoundError(absl::StrCat("alert ", id, ": not found"));
  return it->second;
}

absl::StatusOr<int64_t> InMemoryAlertRepository::Save(const Alert& alert,
                                                      int64_t expected_version) {
  auto it = alerts_.find(alert.id);
  if (it == alerts_.end() || it->second.version != expected_version) {
    return absl::AbortedError(
        absl::StrCat("alert ", alert.id, ": changed since version ", expected_version));
  }
  it->second.alert = alert;
  return ++it->second.version;
}

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

}  // namespace dps::qualification
