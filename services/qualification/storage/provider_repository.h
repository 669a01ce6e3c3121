// Where providers are kept, in the domain's own terms (domain/provider.h): the use cases
// (app/providers.h) read and write them through ProviderRepository. The PostgreSQL
// implementation is pg_provider_repository.h; storage/testing has it in memory for the use cases'
// pure tests. (The list of providers is a query: lists.h.)
//
// Errors: NotFound "provider <id>: not found"; AlreadyExists "provider <id>: already registered"
// when an insert repeats an id; database failures as platform/pg/pool.h describes.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_PROVIDER_REPOSITORY_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_PROVIDER_REPOSITORY_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/qualification/domain/provider.h"

namespace dps::qualification {

class ProviderRepository {
 public:
  virtual ~ProviderRepository() = default;

  virtual absl::Status Insert(const Provider& provider) = 0;
  // The provider to read, unlocked.
  virtual absl::StatusOr<Provider> Load(const std::string& id) = 0;
  // The provider, its row locked until the transaction ends.
  virtual absl::StatusOr<Provider> LoadForUpdate(const std::string& id) = 0;
  // Writes the provider over the stored one at the next version, which it sets.
  virtual absl::Status Save(Provider& provider) = 0;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_PROVIDER_REPOSITORY_H_
