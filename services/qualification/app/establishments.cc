#include "services/qualification/app/establishments.h"

#include <utility>

#include "platform/pg/documents.h"
#include "services/qualification/app/access.h"

namespace dps::qualification {

absl::StatusOr<Establishment> EstablishmentUseCases::Create(
    const std::string& id, const std::string& provider_id, EstablishmentDetails details,
    const platform::CallerIdentity& caller) {
  if (absl::Status s = RequireProvider(caller, provider_id); !s.ok()) return s;
  absl::StatusOr<Provider> provider = providers_.Load(provider_id);
  if (!provider.ok()) return provider.status();
  if (absl::Status s = CheckEstablishment(details, "spec"); !s.ok()) return s;
  Establishment establishment{
      .id = id, .provider_id = provider->id, .details = std::move(details), .version = 1};
  if (absl::Status s = establishments_.Insert(establishment); !s.ok()) return s;
  return establishment;
}

absl::StatusOr<Establishment> EstablishmentUseCases::Read(const std::string& id) {
  return establishments_.Load(id);
}

absl::StatusOr<Establishment> EstablishmentUseCases::Update(
    const std::string& id, int64_t expected_version, EstablishmentDetails details,
    const platform::CallerIdentity& caller) {
  absl::StatusOr<Establishment> establishment = establishments_.LoadForUpdate(id);
  if (!establishment.ok()) return establishment.status();
  if (absl::Status s = RequireProvider(caller, establishment->provider_id); !s.ok()) return s;
  if (absl::Status s =
          platform::CheckVersion("establishment", expected_version, establishment->version);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckEstablishment(details, "spec"); !s.ok()) return s;
  establishment->details = std::move(details);
  if (absl::Status s = establishments_.Save(*establishment); !s.ok()) return s;
  return establishment;
}

}  // namespace dps::qualification
