// ProviderRepository in memory, for the use cases' pure tests: the same answers as the PostgreSQL
// one (storage/pg_provider_repository.h) for the same calls, without a database.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_PROVIDER_REPOSITORY_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_PROVIDER_REPOSITORY_H_

#include <map>
#include <string>

#include "services/qualification/storage/provider_repository.h"

namespace dps::qualification {

class InMemoryProviderRepository final : public ProviderRepository {
 public:
  absl::Status Insert(const Provider& provider) override;
  absl::StatusOr<Provider> Load(const std::string& id) override;
  absl::StatusOr<Provider> LoadForUpdate(const std::string& id) override;
  absl::Status Save(Provider& provider) override;

 private:
  std::map<std::string, Provider> providers_;  // by id, as the table's primary key
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_PROVIDER_REPOSITORY_H_
