#include "platform/auth/token_minter.h"

#include <cstdlib>

#include "absl/time/clock.h"
#include "platform/auth/jwt.h"

namespace dps::platform::auth {
namespace {

std::string Environment(const char* name, const char* fallback = "") {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

}  // namespace

absl::StatusOr<TokenMinter> TokenMinter::FromEnvironment() {
  const std::string key_file = Environment("DPS_DEV_IDP_KEY_FILE");
  if (key_file.empty()) {
    return absl::InvalidArgumentError(
        "DPS_DEV_IDP_KEY_FILE: required (the local identity provider's key, "
        ".dps/auth/idp-key.jwk)");
  }
  const std::string issuer = Environment("DPS_AUTH_ISSUER");
  if (issuer.empty()) return absl::InvalidArgumentError("DPS_AUTH_ISSUER: required");
  absl::StatusOr<PrivateKey> key = PrivateKey::FromFile(key_file);
  if (!key.ok()) return key.status();
  return TokenMinter(*std::move(key), issuer, Environment("DPS_AUTH_AUDIENCE", "dps"));
}

absl::StatusOr<std::string> TokenMinter::TokenFor(const CallerIdentity& caller,
                                                  absl::Duration lifetime) const {
  if (caller.role == dps::common::v1::ROLE_SERVICE) {
    return absl::InvalidArgumentError("role: ROLE_SERVICE tokens are the services' own");
  }
  return SignToken(key_,
                   {.issuer = issuer_,
                    .subject = caller.user_id,
                    .role = dps::common::v1::Role_Name(caller.role),
                    .organisation = caller.organisation_id},
                   audience_, absl::Now(), lifetime);
}

}  // namespace dps::platform::auth
