#include "platform/auth/keys.h"

#include <cjose/cjose.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "platform/config/secret_file.h"

namespace dps::platform::auth {
namespace {

using Json = nlohmann::json;

std::shared_ptr<cjose_jwk_t> Own(cjose_jwk_t* jwk) {
  return std::shared_ptr<cjose_jwk_t>(jwk, [](cjose_jwk_t* k) { cjose_jwk_release(k); });
}

std::string StringMember(const Json& object, const char* name) {
  const auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot be read"));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The bits of a base64url big-endian integer ("n" of an RSA key), ignoring leading zero bytes.
std::size_t BitLength(const std::string& base64url) {
  std::string bytes;
  if (!absl::WebSafeBase64Unescape(base64url, &bytes)) return 0;
  std::size_t first = bytes.find_first_not_of('\0');
  if (first == std::string::npos) return 0;
  std::size_t bits = (bytes.size() - first) * 8;
  for (unsigned char top = static_cast<unsigned char>(bytes[first]); (top & 0x80) == 0; top <<= 1) {
    --bits;
  }
  return bits;
}

absl::StatusOr<Key> KeyFromJson(const Json& jwk, const std::string& where) {
  if (!jwk.is_object())
    return absl::InvalidArgumentError(absl::StrCat(where, ": must be an object"));
  Key key;
  key.kid = StringMember(jwk, "kid");
  if (key.kid.empty() || key.kid.size() > 128) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ".kid: required, at most 128 characters"));
  }
  const std::string kty = StringMember(jwk, "kty");
  if (kty == "RSA") {
    key.algorithm = Algorithm::kRs256;
    if (BitLength(StringMember(jwk, "n")) < 2048) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".n: an RSA key must have at least 2048 bits"));
    }
  } else if (kty == "EC") {
    key.algorithm = Algorithm::kEs256;
    if (StringMember(jwk, "crv") != "P-256") {
      return absl::InvalidArgumentError(absl::StrCat(where, ".crv: only P-256 is accepted"));
    }
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ".kty: must be RSA or EC (symmetric keys are never accepted)"));
  }
  if (jwk.contains("use") && StringMember(jwk, "use") != "sig") {
    return absl::InvalidArgumentError(absl::StrCat(where, ".use: must be \"sig\" when given"));
  }
  if (jwk.contains("alg") && StringMember(jwk, "alg") != AlgorithmName(key.algorithm)) {
    return absl::InvalidArgumentError(absl::StrCat(where, ".alg: a ", kty, " key is used with ",
                                                   AlgorithmName(key.algorithm), " only"));
  }
  // Only the public members go to cjose, so a private part in a trust file is never loaded.
  Json public_part = {{"kty", kty}, {"kid", key.kid}};
  for (const char* member : {"n", "e", "crv", "x", "y"}) {
    if (jwk.contains(member)) public_part[member] = jwk[member];
  }
  const std::string text = public_part.dump();
  cjose_err err;
  cjose_jwk_t* imported = cjose_jwk_import(text.data(), text.size(), &err);
  if (imported == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": not a usable key: ", err.message != nullptr ? err.message : "?"));
  }
  key.jwk = Own(imported);
  return key;
}

}  // namespace

const char* AlgorithmName(Algorithm algorithm) {
  return algorithm == Algorithm::kRs256 ? "RS256" : "ES256";
}

absl::StatusOr<KeySet> KeySet::FromJson(absl::string_view json) {
  const Json document = Json::parse(json.begin(), json.end(), nullptr, false);
  if (document.is_discarded() || !document.is_object() || !document.contains("keys") ||
      !document["keys"].is_array()) {
    return absl::InvalidArgumentError("keys: a JWKS document is an object with a \"keys\" array");
  }
  KeySet set;
  for (std::size_t i = 0; i < document["keys"].size(); ++i) {
    absl::StatusOr<Key> key = KeyFromJson(document["keys"][i], absl::StrCat("keys[", i, "]"));
    if (!key.ok()) return key.status();
    if (set.keys_.contains(key->kid)) {
      return absl::InvalidArgumentError(
          absl::StrCat("keys[", i, "].kid: \"", key->kid, "\" is used by an earlier key"));
    }
    set.keys_.emplace(key->kid, *std::move(key));
  }
  return set;
}

absl::StatusOr<KeySet> KeySet::FromFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  absl::StatusOr<KeySet> set = FromJson(*text);
  if (!set.ok())
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", set.status().message()));
  return set;
}

const Key* KeySet::Find(absl::string_view kid) const {
  const auto it = keys_.find(kid);
  return it == keys_.end() ? nullptr : &it->second;
}

absl::StatusOr<PrivateKey> PrivateKey::Generate(const std::string& kid) {
  cjose_err err;
  cjose_jwk_t* jwk = cjose_jwk_create_EC_random(CJOSE_JWK_EC_P_256, &err);
  if (jwk == nullptr) return absl::InternalError(absl::StrCat("key generation: ", err.message));
  PrivateKey key;
  key.jwk_ = Own(jwk);
  if (!cjose_jwk_set_kid(jwk, kid.data(), kid.size(), &err)) {
    return absl::InternalError(absl::StrCat("key generation: ", err.message));
  }
  key.kid_ = kid;
  return key;
}

absl::StatusOr<PrivateKey> PrivateKey::FromJson(absl::string_view json) {
  const Json jwk = Json::parse(json.begin(), json.end(), nullptr, false);
  if (jwk.is_discarded() || !jwk.is_object()) {
    return absl::InvalidArgumentError("private key: must be a JWK object");
  }
  if (StringMember(jwk, "kty") != "EC" || StringMember(jwk, "crv") != "P-256" ||
      StringMember(jwk, "d").empty()) {
    return absl::InvalidArgumentError("private key: must be an EC P-256 JWK with its private part");
  }
  PrivateKey key;
  key.kid_ = StringMember(jwk, "kid");
  if (key.kid_.empty()) return absl::InvalidArgumentError("private key.kid: required");
  cjose_err err;
  cjose_jwk_t* imported = cjose_jwk_import(json.data(), json.size(), &err);
  if (imported == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("private key: not usable: ", err.message));
  }
  key.jwk_ = Own(imported);
  return key;
}

absl::StatusOr<PrivateKey> PrivateKey::FromFile(const std::string& path) {
  if (absl::Status owner_only = CheckOwnerOnly(path, "a private key"); !owner_only.ok()) {
    return owner_only;
  }
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  absl::StatusOr<PrivateKey> key = FromJson(*text);
  if (!key.ok())
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", key.status().message()));
  return key;
}

namespace {

std::string JwkJson(cjose_jwk_t* jwk, bool with_private_part) {
  cjose_err err;
  char* text = cjose_jwk_to_json(jwk, with_private_part, &err);
  if (text == nullptr) return "{}";
  Json object = Json::parse(text, nullptr, false);
  free(text);
  if (!object.is_object()) return "{}";
  object["use"] = "sig";
  object["alg"] = "ES256";
  return object.dump();
}

}  // namespace

std::string PrivateKey::PrivateJson() const { return JwkJson(jwk_.get(), true); }
std::string PrivateKey::PublicJwk() const { return JwkJson(jwk_.get(), false); }
std::string PrivateKey::PublicJwks() const { return JwksOf({PublicJwk()}); }

std::string JwksOf(const std::vector<std::string>& public_jwks) {
  Json keys = Json::array();
  for (const std::string& jwk : public_jwks) keys.push_back(Json::parse(jwk, nullptr, false));
  return Json{{"keys", keys}}.dump();
}

}  // namespace dps::platform::auth
