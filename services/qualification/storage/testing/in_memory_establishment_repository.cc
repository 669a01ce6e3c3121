#include "services/qualification/storage/testing/in_memory_establishment_repository.h"

#include "absl/strings/str_cat.h"

namespace dps::qualification {
namespace {

absl::Status NotFound(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("establishment ", id, ": not found"));
}

}  // namespace

absl::Status InMemoryEstablishmentRepository::Insert(const Establishment& establishment) {
  if (!establishments_.emplace(establishment.id, establishment).second) {
    return absl::AlreadyExistsError(
        absl::StrCat("establishment ", establishment.id, ": already exists"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Establishment> InMemoryEstablishmentRepository::Load(const std::string& id) {
  auto it = establishments_.find(id);
  if (it == establishments_.end()) return NotFound(id);
  return it->second;
}

absl::StatusOr<Establishment> InMemoryEstablishmentRepository::LoadForUpdate(
    const std::string& id) {
  return Load(id);
}

absl::Status InMemoryEstablishmentRepository::Save(Establishment& establishment) {
  auto it = establishments_.find(establishment.id);
  if (it == establishments_.end()) return NotFound(establishment.id);
  establishment.version += 1;
  it->second = establishment;
  return absl::OkStatus();
}

}  // namespace dps::qualification
