#include "platform/auth/jws.h"

#include <cjose/cjose.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace dps::platform::auth {
namespace {

using Json = nlohmann::json;
using JwsPtr = std::unique_ptr<cjose_jws_t, void (*)(cjose_jws_t*)>;

std::string StringMember(const Json& object, const char* name) {
  const auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

absl::StatusOr<std::string> SignJws(const PrivateKey& key, absl::string_view typ,
                                    absl::string_view payload) {
  cjose_err err;
  std::unique_ptr<cjose_header_t, void (*)(cjose_header_t*)> header(cjose_header_new(&err),
                                                                    cjose_header_release);
  const std::string typ_text(typ);
  if (header == nullptr || !cjose_header_set(header.get(), CJOSE_HDR_ALG, "ES256", &err) ||
      !cjose_header_set(header.get(), CJOSE_HDR_KID, key.kid().c_str(), &err) ||
      !cjose_header_set(header.get(), "typ", typ_text.c_str(), &err)) {
    return absl::InternalError("JWS: cannot build the header");
  }
  JwsPtr jws(cjose_jws_sign(key.jwk(), header.get(),
                            reinterpret_cast<const uint8_t*>(payload.data()), payload.size(), &err),
             cjose_jws_release);
  if (jws == nullptr) return absl::InternalError(absl::StrCat("JWS: cannot sign: ", err.message));
  const char* compact = nullptr;
  if (!cjose_jws_export(jws.get(), &compact, &err)) {
    return absl::InternalError("JWS: cannot serialise");
  }
  return std::string(compact);
}

absl::StatusOr<VerifiedJws> VerifyJws(absl::string_view compact, const KeySet& keys) {
  const auto refused = [](absl::string_view why) { return absl::UnauthenticatedError(why); };
  if (compact.size() > kMaxJwsBytes) {
    return refused(absl::StrCat("longer than ", kMaxJwsBytes, " bytes"));
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(compact, '.');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty() || parts[2].empty()) {
    return refused("not a signed JWT (header.payload.signature)");
  }
  std::string header_bytes;
  if (!absl::WebSafeBase64Unescape(parts[0], &header_bytes)) {
    return refused("the header is not base64url");
  }
  const Json header = Json::parse(header_bytes, nullptr, false);
  if (header.is_discarded() || !header.is_object()) {
    return refused("the header is not a JSON object");
  }
  for (const char* forbidden : {"jku", "x5u", "jwk", "x5c", "crit"}) {
    if (header.contains(forbidden)) {
      return refused(absl::StrCat("header \"", forbidden, "\" is not accepted"));
    }
  }
  const std::string alg = StringMember(header, "alg");
  if (alg != "RS256" && alg != "ES256") {
    return refused(absl::StrCat("algorithm \"", alg.substr(0, 16),
                                "\" is not accepted (RS256 and ES256 only)"));
  }
  VerifiedJws verified;
  verified.kid = StringMember(header, "kid");
  verified.typ = StringMember(header, "typ");
  const Key* key = keys.Find(verified.kid);
  // NotFound rather than Unauthenticated: a verifier may treat a key it no longer holds (an
  // old checkpoint after a rotation) differently from a signature that fails.
  if (key == nullptr) return absl::NotFoundError("unknown key id (kid)");
  if (alg != AlgorithmName(key->algorithm)) {
    return refused(absl::StrCat("algorithm ", alg, " does not match the key, which is ",
                                AlgorithmName(key->algorithm)));
  }
  cjose_err err;
  JwsPtr jws(cjose_jws_import(compact.data(), compact.size(), &err), cjose_jws_release);
  if (jws == nullptr) return refused("not a signed JWT");
  if (!cjose_jws_verify(jws.get(), key->jwk.get(), &err)) return refused("bad signature");
  uint8_t* plaintext = nullptr;
  std::size_t plaintext_length = 0;
  if (!cjose_jws_get_plaintext(jws.get(), &plaintext, &plaintext_length, &err)) {
    return refused("no payload");
  }
  verified.payload.assign(reinterpret_cast<const char*>(plaintext), plaintext_length);
  return verified;
}

}  // namespace dps::platform::auth
