// EstablishmentRepository in memory, for the use cases' pure tests: the same answers as the
// PostgreSQL one (storage/pg_establishment_repository.h) for the same calls, without a database.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_ESTABLISHMENT_REPOSITORY_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_ESTABLISHMENT_REPOSITORY_H_

#include <map>
#include <string>

#include "services/qualification/storage/establishment_repository.h"

namespace dps::qualification {

class InMemoryEstablishmentRepository final : public EstablishmentRepository {
 public:
  absl::Status Insert(const Establishment& establishment) override;
  absl::StatusOr<Establishment> Load(const std::string& id) override;
  absl::StatusOr<Establishment> LoadForUpdate(const std::string& id) override;
  absl::Status Save(Establishment& establishment) override;

 private:
  std::map<std::string, Establishment> establishments_;  // by id, as the table's primary key
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_ESTABLISHMENT_REPOSITORY_H_
