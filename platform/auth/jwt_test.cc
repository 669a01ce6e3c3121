#include "platform/auth/jwt.h"

#include <cjose/cjose.h>
#include <openssl/hmac.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace dps::platform::auth {
namespace {

using Json = nlohmann::json;

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);
const TokenRules kRules{.issuer = "https://idp.example", .audience = "dps"};

PrivateKey Key(const std::string& kid) { return *PrivateKey::Generate(kid); }

KeySet SetOf(const PrivateKey& key) { return *KeySet::FromJson(key.PublicJwks()); }

TokenClaims Claims() {
  return {.issuer = "https://idp.example",
          .subject = "officer-1",
          .role = "ROLE_PLACING_OFFICER",
          .organisation = "brighton-and-hove"};
}

Json Payload() {
  return {{"iss", "https://idp.example"},
          {"aud", "dps"},
          {"sub", "officer-1"},
          {"dps_role", "ROLE_PLACING_OFFICER"},
          {"dps_org", "brighton-and-hove"},
          {"exp", absl::ToUnixSeconds(kNow) + 600},
          {"nbf", absl::ToUnixSeconds(kNow)}};
}

std::string B64(const std::string& text) { return absl::WebSafeBase64Escape(text); }

// A token with this header and payload, signed by `key` through cjose with the header as given
// (so a test can name any algorithm or add any header member).
std::string SignedWith(const PrivateKey& key, const Json& header, const Json& payload) {
  cjose_err err;
  // cjose signs with the header it is given; members beyond alg/kid are set one by one.
  cjose_header_t* protected_header = cjose_header_new(&err);
  for (const auto& [name, value] : header.items()) {
    if (value.is_string()) {
      cjose_header_set(protected_header, name.c_str(), value.get<std::string>().c_str(), &err);
    }
  }
  const std::string payload_text = payload.dump();
  cjose_jws_t* jws = cjose_jws_sign(key.jwk(), protected_header,
                                    reinterpret_cast<const uint8_t*>(payload_text.data()),
                                    payload_text.size(), &err);
  cjose_header_release(protected_header);
  REQUIRE(jws != nullptr);
  const char* compact = nullptr;
  REQUIRE(cjose_jws_export(jws, &compact, &err));
  std::string token(compact);
  cjose_jws_release(jws);
  return token;
}

std::string Good(const PrivateKey& key) {
  return SignedWith(key, {{"alg", "ES256"}, {"kid", key.kid()}, {"typ", "JWT"}}, Payload());
}

// A token assembled by hand: base64url(header).base64url(payload).signature.
std::string Assembled(const Json& header, const Json& payload, const std::string& signature) {
  return absl::StrCat(B64(header.dump()), ".", B64(payload.dump()), ".", B64(signature));
}

std::string Message(const absl::StatusOr<TokenClaims>& result) {
  return std::string(result.status().message());
}

TEST_CASE("A token signed by a trusted key with the expected claims is accepted") {
  const PrivateKey key = Key("k1");
  absl::StatusOr<TokenClaims> claims = VerifyToken(Good(key), SetOf(key), kRules, kNow);
  REQUIRE(claims.ok());
  CHECK(claims->subject == "officer-1");
  CHECK(claims->role == "ROLE_PLACING_OFFICER");
  CHECK(claims->organisation == "brighton-and-hove");
  CHECK(claims->expires == kNow + absl::Seconds(600));
}

TEST_CASE("SignToken makes tokens VerifyToken accepts") {
  const PrivateKey key = Key("k1");
  absl::StatusOr<std::string> token = SignToken(key, Claims(), "dps", kNow, absl::Minutes(5));
  REQUIRE(token.ok());
  absl::StatusOr<TokenClaims> claims = VerifyToken(*token, SetOf(key), kRules, kNow);
  REQUIRE(claims.ok());
  CHECK(claims->subject == "officer-1");
}

TEST_CASE("Algorithm none is refused") {
  const PrivateKey key = Key("k1");
  const std::string token = Assembled({{"alg", "none"}, {"kid", "k1"}}, Payload(), "");
  const std::string unsigned_token = absl::StrCat(token.substr(0, token.rfind('.')), ".");
  absl::StatusOr<TokenClaims> claims = VerifyToken(unsigned_token, SetOf(key), kRules, kNow);
  CHECK(claims.status().code() == absl::StatusCode::kUnauthenticated);
  absl::StatusOr<TokenClaims> with_junk = VerifyToken(token + "x", SetOf(key), kRules, kNow);
  CHECK(Message(with_junk) == "token: algorithm \"none\" is not accepted (RS256 and ES256 only)");
}

TEST_CASE("HS256 signed with the public key as the secret is refused (key confusion)") {
  const PrivateKey key = Key("k1");
  const Json header = {{"alg", "HS256"}, {"kid", "k1"}};
  const std::string signing_input = absl::StrCat(B64(header.dump()), ".", B64(Payload().dump()));
  const std::string secret = key.PublicJwk();
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac,
       &mac_length);
  const std::string token =
      absl::StrCat(signing_input, ".", B64(std::string(reinterpret_cast<char*>(mac), mac_length)));
  CHECK(Message(VerifyToken(token, SetOf(key), kRules, kNow)) ==
        "token: algorithm \"HS256\" is not accepted (RS256 and ES256 only)");
}

TEST_CASE("An algorithm that does not match the key is refused") {
  const PrivateKey key = Key("k1");
  // The header claims RS256 for an EC key: the key decides, not the token.
  const std::string token = Good(key);
  const std::vector<std::string> parts = absl::StrSplit(token, '.');
  const std::string swapped = absl::StrCat(B64(Json({{"alg", "RS256"}, {"kid", "k1"}}).dump()), ".",
                                           parts[1], ".", parts[2]);
  CHECK(Message(VerifyToken(swapped, SetOf(key), kRules, kNow)) ==
        "token: algorithm RS256 does not match the key, which is ES256");
}

TEST_CASE("An RS256 token is verified with an RSA key from the set") {
  cjose_err err;
  cjose_jwk_t* rsa = cjose_jwk_create_RSA_random(2048, nullptr, 0, &err);
  REQUIRE(rsa != nullptr);
  REQUIRE(cjose_jwk_set_kid(rsa, "rsa-1", 5, &err));
  char* public_json = cjose_jwk_to_json(rsa, false, &err);
  const KeySet set = *KeySet::FromJson(absl::StrCat("{\"keys\":[", public_json, "]}"));
  free(public_json);
  cjose_header_t* header = cjose_header_new(&err);
  cjose_header_set(header, CJOSE_HDR_ALG, "RS256", &err);
  cjose_header_set(header, CJOSE_HDR_KID, "rsa-1", &err);
  const std::string payload = Payload().dump();
  cjose_jws_t* jws = cjose_jws_sign(rsa, header, reinterpret_cast<const uint8_t*>(payload.data()),
                                    payload.size(), &err);
  const char* compact = nullptr;
  REQUIRE(cjose_jws_export(jws, &compact, &err));
  const std::string token(compact);
  cjose_jws_release(jws);
  cjose_header_release(header);
  cjose_jwk_release(rsa);
  CHECK(VerifyToken(token, set, kRules, kNow).ok());
}

TEST_CASE("An unknown kid is refused") {
  const PrivateKey trusted = Key("k1");
  const PrivateKey other = Key("k2");
  CHECK(Message(VerifyToken(Good(other), SetOf(trusted), kRules, kNow)) ==
        "token: unknown key id (kid)");
}

TEST_CASE("A token signed by another key under a trusted kid is refused") {
  const PrivateKey trusted = Key("k1");
  const PrivateKey impostor = Key("k1");
  CHECK(Message(VerifyToken(Good(impostor), SetOf(trusted), kRules, kNow)) ==
        "token: bad signature");
}

TEST_CASE("A payload changed after signing is refused") {
  const PrivateKey key = Key("k1");
  const std::vector<std::string> parts = absl::StrSplit(Good(key), '.');
  Json payload = Payload();
  payload["dps_role"] = "ROLE_LEAD_AUTHORITY_ADMIN";
  const std::string tampered = absl::StrCat(parts[0], ".", B64(payload.dump()), ".", parts[2]);
  CHECK(Message(VerifyToken(tampered, SetOf(key), kRules, kNow)) == "token: bad signature");
}

TEST_CASE("Headers that point at other keys are refused") {
  const PrivateKey key = Key("k1");
  for (const char* member : {"jku", "x5u", "jwk", "x5c", "crit"}) {
    const std::string token = SignedWith(
        key, {{"alg", "ES256"}, {"kid", "k1"}, {member, "https://evil.example/keys"}}, Payload());
    CHECK(Message(VerifyToken(token, SetOf(key), kRules, kNow)) ==
          absl::StrCat("token: header \"", member, "\" is not accepted"));
  }
}

TEST_CASE("Issuer, audience, expiry and not-before are checked, with a small leeway") {
  const PrivateKey key = Key("k1");
  const KeySet set = SetOf(key);
  const Json header = {{"alg", "ES256"}, {"kid", "k1"}};
  auto with = [&](const char* name, Json value) {
    Json payload = Payload();
    if (value.is_null()) {
      payload.erase(name);
    } else {
      payload[name] = value;
    }
    return SignedWith(key, header, payload);
  };
  const int64_t now = absl::ToUnixSeconds(kNow);
  CHECK(Message(VerifyToken(with("iss", "https://other"), set, kRules, kNow)) ==
        "token: issuer (iss) not accepted");
  CHECK(Message(VerifyToken(with("aud", "someone-else"), set, kRules, kNow)) ==
        "token: audience (aud) not accepted");
  CHECK(VerifyToken(with("aud", Json::array({"x", "dps"})), set, kRules, kNow).ok());
  CHECK(Message(VerifyToken(with("aud", nullptr), set, kRules, kNow)) ==
        "token: audience (aud) not accepted");
  CHECK(Message(VerifyToken(with("exp", nullptr), set, kRules, kNow)) ==
        "token: expiry (exp) required");
  CHECK(Message(VerifyToken(with("exp", now - 31), set, kRules, kNow)) == "token: expired");
  CHECK(VerifyToken(with("exp", now - 29), set, kRules, kNow).ok());  // within the leeway
  CHECK(Message(VerifyToken(with("nbf", now + 31), set, kRules, kNow)) ==
        "token: not valid yet (nbf)");
  CHECK(VerifyToken(with("nbf", now + 29), set, kRules, kNow).ok());
  CHECK(Message(VerifyToken(with("sub", nullptr), set, kRules, kNow)) ==
        "token: subject (sub) required, printable");
  CHECK(Message(VerifyToken(with("dps_role", nullptr), set, kRules, kNow)) ==
        "token: role (dps_role) required");
  CHECK(Message(VerifyToken(with("dps_org", "a\nb"), set, kRules, kNow)) ==
        "token: organisation (dps_org) required, printable");
}

TEST_CASE("Malformed tokens are refused without crashing") {
  const PrivateKey key = Key("k1");
  const KeySet set = SetOf(key);
  for (const std::string& token :
       {std::string(""), std::string("abc"), std::string("a.b"), std::string("a.b.c.d"),
        std::string("..."), std::string("!!!.@@@.###"), B64("[]") + ".e30.e30",
        std::string(kMaxTokenBytes + 1, 'a')}) {
    CHECK(VerifyToken(token, set, kRules, kNow).status().code() ==
          absl::StatusCode::kUnauthenticated);
  }
}

}  // namespace
}  // namespace dps::platform::auth
