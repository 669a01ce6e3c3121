// Establishments: a provider's users register and change theirs, checked by the register's rules
// (domain/establishment.h); anyone signed in reads one. Each loads and saves through the
// establishment repository in one transaction; a change moves the columns the eligibility query
// reads with it (storage/pg_establishment_repository.h).
#ifndef DPS_SERVICES_QUALIFICATION_APP_ESTABLISHMENTS_H_
#define DPS_SERVICES_QUALIFICATION_APP_ESTABLISHMENTS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "platform/auth/identity.h"
#include "services/qualification/domain/establishment.h"
#include "services/qualification/storage/establishment_repository.h"
#include "services/qualification/storage/provider_repository.h"

namespace dps::qualification {

class EstablishmentUseCases {
 public:
  EstablishmentUseCases(EstablishmentRepository& establishments, ProviderRepository& providers)
      : establishments_(establishments), providers_(providers) {}

  // A new establishment `id` of the provider, version 1. InvalidArgument "provider_id: required";
  // PermissionDenied unless the caller acts for the provider; NotFound for an unregistered
  // provider; then CheckEstablishment, naming the request's "spec".
  absl::StatusOr<Establishment> Create(const std::string& id, const std::string& provider_id,
                                       EstablishmentDetails details,
                                       const platform::CallerIdentity& caller);

  // The establishment; NotFound for an unknown one.
  absl::StatusOr<Establishment> Read(const std::string& id);

  // The establishment's details replaced by its provider's users: NotFound, PermissionDenied
  // for anyone else, Aborted at another `expected_version` (0: any), then CheckEstablishment.
  absl::StatusOr<Establishment> Update(const std::string& id, int64_t expected_version,
                                       EstablishmentDetails details,
                                       const platform::CallerIdentity& caller);

 private:
  EstablishmentRepository& establishments_;
  ProviderRepository& providers_;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_APP_ESTABLISHMENTS_H_
