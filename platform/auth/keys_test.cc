#include "platform/auth/keys.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace dps::platform::auth {
namespace {

using Json = nlohmann::json;

std::string Message(const absl::StatusOr<KeySet>& set) {
  return std::string(set.status().message());
}

TEST_CASE("A generated key's public JWKS loads as a one-key set") {
  const PrivateKey key = *PrivateKey::Generate("2026-12");
  const absl::StatusOr<KeySet> set = KeySet::FromJson(key.PublicJwks());
  REQUIRE(set.ok());
  REQUIRE(set->Find("2026-12") != nullptr);
  CHECK(set->Find("2026-12")->algorithm == Algorithm::kEs256);
  CHECK(set->Find("other") == nullptr);
  // The public half has no private part.
  CHECK(!Json::parse(key.PublicJwk()).contains("d"));
  CHECK(Json::parse(key.PrivateJson()).contains("d"));
}

TEST_CASE("A private key round-trips through its JSON") {
  const PrivateKey key = *PrivateKey::Generate("k");
  const absl::StatusOr<PrivateKey> again = PrivateKey::FromJson(key.PrivateJson());
  REQUIRE(again.ok());
  CHECK(again->kid() == "k");
  CHECK(again->PublicJwk() == key.PublicJwk());
  CHECK(PrivateKey::FromJson(key.PublicJwk()).status().message() ==
        "private key: must be an EC P-256 JWK with its private part");
}

TEST_CASE("Key sets refuse keys that could be used unsafely") {
  Json ec = Json::parse(PrivateKey::Generate("ec")->PublicJwk());
  auto set_of = [](const Json& key) { return KeySet::FromJson(Json{{"keys", {key}}}.dump()); };

  CHECK(Message(KeySet::FromJson("{}")) ==
        "keys: a JWKS document is an object with a \"keys\" array");
  CHECK(Message(KeySet::FromJson("not json")) ==
        "keys: a JWKS document is an object with a \"keys\" array");
  CHECK(Message(set_of({{"kty", "oct"}, {"kid", "h"}, {"k", "c2VjcmV0"}})) ==
        "keys[0].kty: must be RSA or EC (symmetric keys are never accepted)");
  Json no_kid = ec;
  no_kid.erase("kid");
  CHECK(Message(set_of(no_kid)) == "keys[0].kid: required, at most 128 characters");
  Json p384 = ec;
  p384["crv"] = "P-384";
  CHECK(Message(set_of(p384)) == "keys[0].crv: only P-256 is accepted");
  Json wrong_alg = ec;
  wrong_alg["alg"] = "HS256";
  CHECK(Message(set_of(wrong_alg)) == "keys[0].alg: a EC key is used with ES256 only");
  Json encryption = ec;
  encryption["use"] = "enc";
  CHECK(Message(set_of(encryption)) == "keys[0].use: must be \"sig\" when given");
  CHECK(Message(set_of({{"kty", "RSA"}, {"kid", "small"}, {"n", "AQAB"}, {"e", "AQAB"}})) ==
        "keys[0].n: an RSA key must have at least 2048 bits");
  CHECK(Message(KeySet::FromJson(Json{{"keys", {ec, ec}}}.dump())) ==
        "keys[1].kid: \"ec\" is used by an earlier key");
}

TEST_CASE("A private key file readable by others is refused") {
  const std::string path = "/tmp/dps-keys-test-" + std::to_string(getpid()) + ".jwk";
  {
    FILE* f = fopen(path.c_str(), "w");
    const std::string text = PrivateKey::Generate("k")->PrivateJson();
    fwrite(text.data(), 1, text.size(), f);
    fclose(f);
  }
  chmod(path.c_str(), 0644);
  CHECK(PrivateKey::FromFile(path).status().code() == absl::StatusCode::kPermissionDenied);
  chmod(path.c_str(), 0600);
  CHECK(PrivateKey::FromFile(path).ok());
  unlink(path.c_str());
}

}  // namespace
}  // namespace dps::platform::auth
