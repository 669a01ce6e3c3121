#include "services/qualification/app/providers.h"

#include <utility>

#include "platform/pg/documents.h"
#include "services/qualification/app/access.h"

namespace dps::qualification {

absl::StatusOr<Provider> ProviderUseCases::Register(ProviderDetails details,
                                                    const platform::CallerIdentity& caller,
                                                    absl::Time now) {
  absl::StatusOr<Provider> provider =
      RegisterProvider(caller.organisation_id, std::move(details), now, "spec");
  if (!provider.ok()) return provider.status();
  if (absl::Status s = providers_.Insert(*provider); !s.ok()) return s;
  return provider;
}

absl::StatusOr<Provider> ProviderUseCases::Read(const std::string& id) {
  return providers_.Load(id);
}

absl::StatusOr<Provider> ProviderUseCases::Update(const std::string& id, int64_t expected_version,
                                                  ProviderDetails details,
                                                  const platform::CallerIdentity& caller) {
  if (absl::Status s = RequireProvider(caller, id, "id"); !s.ok()) return s;
  absl::StatusOr<Provider> provider = providers_.LoadForUpdate(id);
  if (!provider.ok()) return provider.status();
  if (absl::Status s = platform::CheckVersion("provider", expected_version, provider->version);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ChangeProviderDetails(*provider, std::move(details), "spec"); !s.ok()) {
    return s;
  }
  if (absl::Status s = providers_.Save(*provider); !s.ok()) return s;
  return provider;
}

}  // namespace dps::qualification
