// Users' tokens minted with a signing key we hold. In production the councils' identity provider
// issues users' tokens and nothing here is used; in development `./dps up` makes a local
// identity provider's key (.dps/auth/), and `./dps token`, the demo loaders and tests mint with it.
//
//   absl::StatusOr<TokenMinter> minter = TokenMinter::FromEnvironment();
//   absl::StatusOr<std::string> token = minter->TokenFor({.user_id = "demo", .role = ..., ...});
#ifndef DPS_PLATFORM_AUTH_TOKEN_MINTER_H_
#define DPS_PLATFORM_AUTH_TOKEN_MINTER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/auth/identity.h"
#include "platform/auth/keys.h"

namespace dps::platform::auth {

class TokenMinter final {
 public:
  TokenMinter(PrivateKey key, std::string issuer, std::string audience)
      : key_(std::move(key)), issuer_(std::move(issuer)), audience_(std::move(audience)) {}

  // From the environment: DPS_DEV_IDP_KEY_FILE (the private JWK), DPS_AUTH_ISSUER and
  // DPS_AUTH_AUDIENCE (default "dps"); the error names what is missing.
  static absl::StatusOr<TokenMinter> FromEnvironment();

  // A token proving `caller` (any role but ROLE_SERVICE), valid for `lifetime` from now.
  absl::StatusOr<std::string> TokenFor(const CallerIdentity& caller,
                                       absl::Duration lifetime = absl::Hours(1)) const;

 private:
  PrivateKey key_;
  std::string issuer_;
  std::string audience_;
};

}  // namespace dps::platform::auth

#endif  // DPS_PLATFORM_AUTH_TOKEN_MINTER_H_
