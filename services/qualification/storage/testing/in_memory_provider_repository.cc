#include "services/qualification/storage/testing/in_memory_provider_repository.h"

#include "absl/strings/str_cat.h"

namespace dps::qualification {

absl::Status InMemoryProviderRepository::Insert(const Provider& provider) {
  if (!providers_.emplace(provider.id, provider).second) {
    return absl::AlreadyExistsError(absl::StrCat("provider ", provider.id, ": already registered"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Provider> InMemoryProviderRepository::Load(const std::string& id) {
  auto it = providers_.find(id);
  if (it == providers_.end())
    return absl::NotFoundError(absl::StrCat("provider ", id, ": not found"));
  return it->second;
}

absl::StatusOr<Provider> InMemoryProviderRepository::LoadForUpdate(const std::string& id) {
  return Load(id);
}

absl::Status InMemoryProviderRepository::Save(Provider& provider) {
  auto it = providers_.find(provider.id);
  if (it == providers_.end()) {
    return absl::NotFoundError(absl::StrCat("provider ", provider.id, ": not found"));
  }
  provider.version += 1;
  it->second = provider;
  return absl::OkStatus();
}

}  // namespace dps::qualification
