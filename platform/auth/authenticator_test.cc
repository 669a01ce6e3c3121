#include "platform/auth/authenticator.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"

namespace dps::platform::auth {
namespace {

using dps::common::v1::ROLE_PLACING_OFFICER;
using dps::common::v1::ROLE_SERVICE;

constexpr char kIssuer[] = "https://idp.example";

struct World {
  World() : clock(absl::Now()) {
    folder = std::filesystem::temp_directory_path() /
             absl::StrCat("dps-auth-test-", getpid(), "-", counter++);
    std::filesystem::create_directories(folder);
    Write("users.jwks", user_key.PublicJwks());
    Write("services.jwks", service_key.PublicJwks());
    authenticator = *Authenticator::Create({.user_jwks_file = folder / "users.jwks",
                                            .user_issuer = kIssuer,
                                            .user_audience = "dps",
                                            .service_jwks_file = folder / "services.jwks"},
                                           clock);
  }
  ~World() { std::filesystem::remove_all(folder); }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(folder / name, std::ios::trunc) << text;
  }
  std::string UserToken(const PrivateKey& key, const std::string& role) {
    return *SignToken(key,
                      {.issuer = kIssuer, .subject = "u1", .role = role, .organisation = "org-1"},
                      "dps", clock.Now(), absl::Minutes(10));
  }

  static inline int counter = 0;
  FakeClock clock;
  std::filesystem::path folder;
  PrivateKey user_key = *PrivateKey::Generate("user-1");
  PrivateKey service_key = *PrivateKey::Generate("service-1");
  std::unique_ptr<Authenticator> authenticator;
};

TEST_CASE("A user's token gives the caller it names") {
  World world;
  absl::StatusOr<CallerIdentity> caller =
      world.authenticator->Authenticate(world.UserToken(world.user_key, "ROLE_PLACING_OFFICER"));
  REQUIRE(caller.ok());
  CHECK(caller->user_id == "u1");
  CHECK(caller->role == ROLE_PLACING_OFFICER);
  CHECK(caller->organisation_id == "org-1");
}

TEST_CASE("A service's own token gives ROLE_SERVICE") {
  World world;
  ServiceTokens tokens("referral", world.service_key, world.clock);
  absl::StatusOr<CallerIdentity> caller = world.authenticator->Authenticate(*tokens.Token());
  REQUIRE(caller.ok());
  CHECK(caller->user_id == "referral");
  CHECK(caller->role == ROLE_SERVICE);
}

TEST_CASE("ROLE_SERVICE is refused in a user's token, and user roles in a service token") {
  World world;
  CHECK(world.authenticator->Authenticate(world.UserToken(world.user_key, "ROLE_SERVICE"))
            .status()
            .message() == "token: ROLE_SERVICE is for the services' own tokens");
  const std::string service_token_with_user_role =
      *SignToken(world.service_key,
                 {.issuer = kServiceIssuer,
                  .subject = "x",
                  .role = "ROLE_LEAD_AUTHORITY_ADMIN",
                  .organisation = "dps"},
                 kServiceAudience, world.clock.Now(), absl::Minutes(5));
  CHECK(world.authenticator->Authenticate(service_token_with_user_role).status().message() ==
        "token: a service token must carry ROLE_SERVICE");
  CHECK(world.authenticator->Authenticate(world.UserToken(world.user_key, "ROLE_KING"))
            .status()
            .message() == "token: role (dps_role) is not a DPS role");
}

TEST_CASE("A token signed by the services' key cannot pass as a user's, nor the reverse") {
  World world;
  // A user token signed with the service key: the user set does not know the kid.
  CHECK(world.authenticator->Authenticate(world.UserToken(world.service_key, "ROLE_AUDITOR"))
            .status()
            .message() == "token: unknown key id (kid)");
  ServiceTokens forged("referral", world.user_key, world.clock);
  CHECK(world.authenticator->Authenticate(*forged.Token()).status().message() ==
        "token: unknown key id (kid)");
}

TEST_CASE("A token stops working when it expires, even when remembered") {
  World world;
  const std::string token = world.UserToken(world.user_key, "ROLE_AUDITOR");
  REQUIRE(world.authenticator->Authenticate(token).ok());
  world.clock.Advance(absl::Minutes(11));
  CHECK(world.authenticator->Authenticate(token).status().message() == "token: expired");
}

TEST_CASE("Keys rotate without a restart: a new key works, a removed key stops working") {
  World world;
  const std::string old_token = world.UserToken(world.user_key, "ROLE_AUDITOR");
  REQUIRE(world.authenticator->Authenticate(old_token).ok());
  const PrivateKey next = *PrivateKey::Generate("user-2");
  world.Write("users.jwks", next.PublicJwks());
  world.clock.Advance(absl::Seconds(2));
  CHECK(world.authenticator->Authenticate(world.UserToken(next, "ROLE_AUDITOR")).ok());
  CHECK(world.authenticator->Authenticate(old_token).status().message() ==
        "token: unknown key id (kid)");
}

TEST_CASE("A broken JWKS file keeps the keys in force") {
  World world;
  const std::string token = world.UserToken(world.user_key, "ROLE_AUDITOR");
  world.Write("users.jwks", "{\"keys\": [ broken");
  world.clock.Advance(absl::Seconds(2));
  CHECK(world.authenticator->Authenticate(token).ok());
}

TEST_CASE("Start-up refuses unusable settings, naming them") {
  World world;
  CHECK(Authenticator::Create({.user_jwks_file = world.folder / "missing.jwks",
                               .user_issuer = kIssuer,
                               .user_audience = "dps",
                               .service_jwks_file = world.folder / "services.jwks"},
                              world.clock)
            .status()
            .message()
            .substr(0, 16) == "auth-jwks-file: ");
  CHECK(Authenticator::Create({.user_jwks_file = world.folder / "users.jwks",
                               .user_issuer = kServiceIssuer,
                               .user_audience = "dps",
                               .service_jwks_file = world.folder / "services.jwks"},
                              world.clock)
            .status()
            .message() == "auth-issuer: \"dps-service\" is reserved for the services' tokens");
}

}  // namespace
}  // namespace dps::platform::auth
