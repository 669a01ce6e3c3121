// Compact JWS (RFC 7515) with our keys: the signing and checking that tokens (jwt.h) and the
// audit log's checkpoints (platform/audit/checkpoint.h) share, so both refuse the same things.
//
// VerifyJws accepts a JWS only when its header's "alg" is RS256 or ES256 and is the algorithm of
// the key named by "kid" (the key decides, never the JWS), it carries no "jku", "x5u", "jwk",
// "x5c" or "crit" (keys come only from our key sets), and the signature verifies. Its errors are
// UNAUTHENTICATED with the first rule broken, never quoting the JWS.
//
//   absl::StatusOr<std::string> jws = SignJws(key, "dps-audit-checkpoint", payload_json);
//   absl::StatusOr<VerifiedJws> checked = VerifyJws(*jws, keys);
#ifndef DPS_PLATFORM_AUTH_JWS_H_
#define DPS_PLATFORM_AUTH_JWS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "platform/auth/keys.h"

namespace dps::platform::auth {

inline constexpr std::size_t kMaxJwsBytes = 8192;

// What a verified JWS says.
struct VerifiedJws {
  std::string kid;
  std::string typ;      // the header's "typ", empty when absent
  std::string payload;  // the signed bytes
};

// `payload` signed ES256 with `key`; the header carries alg, kid and typ.
absl::StatusOr<std::string> SignJws(const PrivateKey& key, absl::string_view typ,
                                    absl::string_view payload);

// Checks `compact` against `keys` by the rules above; the messages name the rule only
// ("bad signature", "unknown key id (kid)"), for the caller to say what was being checked. A kid
// the keys do not hold is NotFound; every other refusal is Unauthenticated.
absl::StatusOr<VerifiedJws> VerifyJws(absl::string_view compact, const KeySet& keys);

}  // namespace dps::platform::auth

#endif  // DPS_PLATFORM_AUTH_JWS_H_
