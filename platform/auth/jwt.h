// JSON Web Tokens (RFC 7519) signed as compact JWS, checked strictly.
//
// VerifyToken accepts a token only when all of this holds, and otherwise answers UNAUTHENTICATED
// with the first rule broken (never quoting the token):
//   - three base64url parts, at most kMaxTokenBytes in all;
//   - the header's "alg" is RS256 or ES256 and is the algorithm of the key named by "kid" (the key
//     decides the algorithm, never the token: "none", HS256 and an RS/HS swap all fail here);
//   - the header carries no "jku", "x5u", "jwk", "x5c" or "crit" (keys come only from our JWKS);
//   - the signature verifies under that key (libcjose);
//   - "iss" is the expected issuer, "aud" is or contains the expected audience;
//   - "exp" is in the future and "nbf" (when present) in the past, each with a small leeway;
//   - "sub", "dps_role" and "dps_org" are non-empty strings of printable ASCII.
//
//   absl::StatusOr<TokenClaims> claims = VerifyToken(token, keys, {"https://idp", "dps"}, now);
#ifndef DPS_PLATFORM_AUTH_JWT_H_
#define DPS_PLATFORM_AUTH_JWT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "platform/auth/keys.h"

namespace dps::platform::auth {

inline constexpr std::size_t kMaxTokenBytes = 8192;

struct TokenRules {
  std::string issuer;
  std::string audience;
  absl::Duration leeway = absl::Seconds(30);  // clock skew allowed on exp and nbf
};

// What a token says about its bearer.
struct TokenClaims {
  std::string issuer;
  std::string subject;       // "sub": the user id (or the service name)
  std::string role;          // "dps_role": a dps.common.v1.Role name, e.g. ROLE_PLACING_OFFICER
  std::string organisation;  // "dps_org": the authority or provider the user acts for
  absl::Time expires = absl::InfinitePast();
};

absl::StatusOr<TokenClaims> VerifyToken(absl::string_view token, const KeySet& keys,
                                        const TokenRules& rules, absl::Time now);

// The "iss" claim of a token, read WITHOUT verifying anything: only to choose which keys and
// rules VerifyToken must then apply. Empty when it cannot be read.
std::string UnverifiedIssuer(absl::string_view token);

// A token for these claims, valid from `now` for `lifetime`, with "aud" = audience, signed
// ES256 with `key` (its kid in the header).
absl::StatusOr<std::string> SignToken(const PrivateKey& key, const TokenClaims& claims,
                                      const std::string& audience, absl::Time now,
                                      absl::Duration lifetime);

}  // namespace dps::platform::auth

#endif  // DPS_PLATFORM_AUTH_JWT_H_
