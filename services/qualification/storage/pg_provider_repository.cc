#include "services/qualification/storage/pg_provider_repository.h"

#include "absl/strings/str_cat.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "platform/pg/documents.h"
#include "services/qualification/convert/convert.h"

namespace dps::qualification {
namespace {

namespace v1 = ::dps::qualification::v1;

constexpr char kInsert[] = R"sql(
  INSERT INTO providers (id, name, version, doc) VALUES ($1, $2, $3, $4::jsonb)
  ON CONFLICT (id) DO NOTHING)sql";

constexpr char kSave[] =
    "UPDATE providers SET name = $2, version = $3, doc = $4::jsonb WHERE id = $1";

absl::StatusOr<Provider> LoadProvider(pqxx::work& tx, const std::string& id, bool for_update) {
  v1::Provider stored;
  if (absl::Status s = platform::LoadDoc(tx, "providers", "provider", id, for_update, stored);
      !s.ok()) {
    return s;
  }
  return ToDomainProvider(stored);
}

}  // namespace

absl::Status PgProviderRepository::Insert(const Provider& provider) {
  const pqxx::result inserted =
      tx_.exec_params(kInsert, provider.id, provider.details.name, provider.version,
                      platform::ToDoc(ToApiProvider(provider)));
  if (inserted.affected_rows() == 0) {
    return absl::AlreadyExistsError(absl::StrCat("provider ", provider.id, ": already registered"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Provider> PgProviderRepository::Load(const std::string& id) {
  return LoadProvider(tx_, id, false);
}

absl::StatusOr<Provider> PgProviderRepository::LoadForUpdate(const std::string& id) {
  return LoadProvider(tx_, id, true);
}

absl::Status PgProviderRepository::Save(Provider& provider) {
  provider.version += 1;
  const pqxx::result saved =
      tx_.exec_params(kSave, provider.id, provider.details.name, provider.version,
                      platform::ToDoc(ToApiProvider(provider)));
  if (saved.affected_rows() == 0) {
    provider.version -= 1;
    return absl::NotFoundError(absl::StrCat("provider ", provider.id, ": not found"));
  }
  return absl::OkStatus();
}

}  // namespace dps::qualification
