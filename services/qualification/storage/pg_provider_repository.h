// ProviderRepository in PostgreSQL (migrations 0001 and 0003), within the caller's transaction. A
// provider is kept as JSON in `doc`, today in the API's encoding (convert/convert.h), which the
// list of providers reads back, beside the column it filters on (name). A choice of this file
// alone: the use cases see only domain types.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_PG_PROVIDER_REPOSITORY_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_PG_PROVIDER_REPOSITORY_H_

#include <pqxx/pqxx>
#include <string>

#include "services/qualification/storage/provider_repository.h"

namespace dps::qualification {

class PgProviderRepository final : public ProviderRepository {
 public:
  explicit PgProviderRepository(pqxx::work& tx) : tx_(tx) {}

  absl::Status Insert(const Provider& provider) override;
  absl::StatusOr<Provider> Load(const std::string& id) override;
  absl::StatusOr<Provider> LoadForUpdate(const std::string& id) override;
  absl::Status Save(Provider& provider) override;

 private:
  pqxx::work& tx_;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_PG_PROVIDER_REPOSITORY_H_
