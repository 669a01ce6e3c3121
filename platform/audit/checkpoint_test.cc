#include "platform/audit/checkpoint.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "platform/auth/jws.h"

namespace dps::platform::audit {
namespace {

auth::PrivateKey Key(const std::string& kid) {
  absl::StatusOr<auth::PrivateKey> key = auth::PrivateKey::Generate(kid);
  REQUIRE(key.ok());
  return *key;
}

auth::KeySet SetOf(const auth::PrivateKey& key) {
  absl::StatusOr<auth::KeySet> keys = auth::KeySet::FromJson(key.PublicJwks());
  REQUIRE(keys.ok());
  return *keys;
}

Checkpoint AtSize(int64_t size) {
  return {.size = size,
          .head_hash = std::string(64, 'a'),
          .at = absl::FromUnixSeconds(1'796'000'000) + absl::Nanoseconds(7)};
}

std::string Message(const absl::Status& status) { return std::string(status.message()); }

TEST_CASE("a signed checkpoint verifies and says what it was signed over") {
  const auth::PrivateKey key = Key("referral-1");
  absl::StatusOr<SignedCheckpoint> signed_checkpoint = SignCheckpoint(key, "referral", AtSize(42));
  REQUIRE(signed_checkpoint.ok());
  absl::StatusOr<SignedCheckpoint> checked =
      VerifyCheckpoint(signed_checkpoint->jws, SetOf(key), "referral");
  REQUIRE(checked.ok());
  CHECK(checked->service == "referral");
  CHECK(checked->checkpoint.size == 42);
  CHECK(checked->checkpoint.head_hash == std::string(64, 'a'));
  CHECK(checked->checkpoint.at == AtSize(42).at);  // to the nanosecond
}

TEST_CASE("a checkpoint is refused when anything about it is not ours") {
  const auth::PrivateKey key = Key("referral-1");
  const auth::KeySet keys = SetOf(key);
  absl::StatusOr<SignedCheckpoint> made = SignCheckpoint(key, "referral", AtSize(42));
  REQUIRE(made.ok());

  SECTION("another chain's checkpoint") {
    CHECK(Message(VerifyCheckpoint(made->jws, keys, "contracts").status()) ==
          "checkpoint: of the referral chain, not contracts");
  }
  SECTION("signed by a key we do not trust") {
    CHECK(Message(VerifyCheckpoint(made->jws, SetOf(Key("other")), "referral").status()) ==
          "checkpoint: unknown key id (kid)");
    // Told apart from a bad signature: a key retired since cannot judge it, nor condemn it.
    CHECK(absl::IsNotFound(VerifyCheckpoint(made->jws, SetOf(Key("other")), "referral").status()));
  }
  SECTION("its payload changed: another size over the same signature") {
    std::vector<std::string> parts = absl::StrSplit(made->jws, '.');
    std::string payload;
    REQUIRE(absl::WebSafeBase64Unescape(parts[1], &payload));
    const size_t at = payload.find("42");
    REQUIRE(at != std::string::npos);
    payload.replace(at, 2, "41");
    parts[1] = absl::WebSafeBase64Escape(payload);
    CHECK(Message(VerifyCheckpoint(absl::StrJoin(parts, "."), keys, "referral").status()) ==
          "checkpoint: bad signature");
  }
  SECTION("a token is not a checkpoint") {
    absl::StatusOr<std::string> token = auth::SignJws(key, "JWT", R"({"sub":"x"})");
    REQUIRE(token.ok());
    CHECK(Message(VerifyCheckpoint(*token, keys, "referral").status()) ==
          "checkpoint: typ must be \"dps-audit-checkpoint\"");
  }
  SECTION("a payload that is not a checkpoint") {
    for (const char* payload :
         {R"({"service":"referral","size":0,"head_hash":"","at":""})",
          R"({"service":"referral","size":3,"head_hash":"AB","at":"2026-01-01T00:00:00Z"})",
          R"({"service":"referral","size":3,"at":"yesterday","head_hash":")"
          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}",
          "[1]"}) {
      absl::StatusOr<std::string> jws = auth::SignJws(key, kCheckpointType, payload);
      REQUIRE(jws.ok());
      INFO(payload);
      CHECK_FALSE(VerifyCheckpoint(*jws, keys, "referral").ok());
    }
  }
}

TEST_CASE("a checkpoint file is read line by line and names the line that fails") {
  const auth::PrivateKey key = Key("referral-1");
  absl::StatusOr<SignedCheckpoint> first = SignCheckpoint(key, "referral", AtSize(10));
  absl::StatusOr<SignedCheckpoint> second = SignCheckpoint(key, "referral", AtSize(20));
  REQUIRE((first.ok() && second.ok()));
  std::istringstream good(first->jws + "\n\n" + second->jws + "\n");
  absl::StatusOr<std::vector<SignedCheckpoint>> read =
      ReadCheckpoints(good, SetOf(key), "referral");
  REQUIRE(read.ok());
  REQUIRE(read->size() == 2);
  CHECK((*read)[1].checkpoint.size == 20);

  std::istringstream bad(first->jws + "\nnot a jws\n");
  CHECK(Message(ReadCheckpoints(bad, SetOf(key), "referral").status()) ==
        "line 2: checkpoint: not a signed JWT (header.payload.signature)");
}

}  // namespace
}  // namespace dps::platform::audit
