// Providers: one registers itself, under the organisation its users sign in for; anyone signed
// in reads one; its own users change its details. The rules are the domain's
// (domain/provider.h); these load and save through the provider repository in one transaction.
#ifndef DPS_SERVICES_QUALIFICATION_APP_PROVIDERS_H_
#define DPS_SERVICES_QUALIFICATION_APP_PROVIDERS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/auth/identity.h"
#include "services/qualification/domain/provider.h"
#include "services/qualification/storage/provider_repository.h"

namespace dps::qualification {

class ProviderUseCases {
 public:
  explicit ProviderUseCases(ProviderRepository& providers) : providers_(providers) {}

  // The caller's organisation registered as a provider with `details` (the request's spec).
  // InvalidArgument "spec.name: required"; AlreadyExists when it is registered already.
  absl::StatusOr<Provider> Register(ProviderDetails details, const platform::CallerIdentity& caller,
                                    absl::Time now);

  // The provider; NotFound for an unknown one.
  absl::StatusOr<Provider> Read(const std::string& id);

  // The provider's details replaced by its own users (or a DPS service): InvalidArgument
  // "id: required", PermissionDenied for anyone else, NotFound, Aborted at another
  // `expected_version` (0: any), then the domain's check.
  absl::StatusOr<Provider> Update(const std::string& id, int64_t expected_version,
                                  ProviderDetails details, const platform::CallerIdentity& caller);

 private:
  ProviderRepository& providers_;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_APP_PROVIDERS_H_
