// Signing keys as JSON Web Keys (RFC 7517), held by libcjose.
//
// A KeySet is the public half: the keys a verifier trusts, chosen by `kid`. Only two kinds are
// accepted, each bound to one algorithm, so a token cannot pick how it is checked:
//   RSA (2048 bits or more)  -> RS256
//   EC on P-256              -> ES256
// Symmetric ("oct") keys and every other curve are refused when the set is loaded.
//
// A PrivateKey signs: an EC P-256 JWK with its private part "d" and a "kid". The services use one
// to sign their own tokens, `./dps` uses one to give developers tokens, and tests make their own.
//
//   absl::StatusOr<KeySet> keys = KeySet::FromJson(R"({"keys":[{...}]})");
//   const Key* key = keys->Find("2026-12-key");
#ifndef DPS_PLATFORM_AUTH_KEYS_H_
#define DPS_PLATFORM_AUTH_KEYS_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

struct _cjose_jwk_int;

namespace dps::platform::auth {

enum class Algorithm { kRs256, kEs256 };

// "RS256" or "ES256".
const char* AlgorithmName(Algorithm algorithm);

// One verifying key and the only algorithm it may be used with.
struct Key {
  std::string kid;
  Algorithm algorithm = Algorithm::kEs256;
  std::shared_ptr<_cjose_jwk_int> jwk;  // released with cjose_jwk_release
};

class KeySet final {
 public:
  // Parses a JWKS document ({"keys": [...]}). INVALID_ARGUMENT naming the key (by index) and the
  // rule on anything unusable: a missing or repeated kid, an unsupported kty or curve, an RSA
  // modulus under 2048 bits, a "use" other than "sig", an "alg" that does not match the key.
  static absl::StatusOr<KeySet> FromJson(absl::string_view json);
  // Reads and parses a JWKS file; the error names the path.
  static absl::StatusOr<KeySet> FromFile(const std::string& path);

  // The key with this kid, or nullptr.
  const Key* Find(absl::string_view kid) const;
  std::size_t size() const { return keys_.size(); }

 private:
  std::map<std::string, Key, std::less<>> keys_;
};

class PrivateKey final {
 public:
  // A new random EC P-256 key with this kid.
  static absl::StatusOr<PrivateKey> Generate(const std::string& kid);
  // Parses a JWK with its private part ("d"); EC P-256 only, kid required.
  static absl::StatusOr<PrivateKey> FromJson(absl::string_view json);
  static absl::StatusOr<PrivateKey> FromFile(const std::string& path);

  const std::string& kid() const { return kid_; }
  // The JWK with its private part, for a key file (mode 600).
  std::string PrivateJson() const;
  // The public half as a JWKS document with this one key, for verifiers.
  std::string PublicJwks() const;
  // The public half as one JWK object.
  std::string PublicJwk() const;

  _cjose_jwk_int* jwk() const { return jwk_.get(); }

 private:
  std::string kid_;
  std::shared_ptr<_cjose_jwk_int> jwk_;
};

// A JWKS document holding these public JWK objects ({"keys":[a, b]}).
std::string JwksOf(const std::vector<std::string>& public_jwks);

}  // namespace dps::platform::auth

#endif  // DPS_PLATFORM_AUTH_KEYS_H_
