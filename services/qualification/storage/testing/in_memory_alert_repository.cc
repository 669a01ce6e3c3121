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

}  // namespace dps::qualification
