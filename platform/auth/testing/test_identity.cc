#include "platform/auth/testing/test_identity.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "platform/auth/jwt.h"
#include "platform/grpc/caller.h"

namespace dps::platform::auth::testing {
namespace {

void WriteFile(const std::string& path, const std::string& text, mode_t mode) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  chmod(path.c_str(), mode);
}

PrivateKey MustGenerate(const std::string& kid) {
  absl::StatusOr<PrivateKey> key = PrivateKey::Generate(kid);
  if (!key.ok()) throw std::runtime_error(std::string(key.status().message()));
  return *std::move(key);
}

}  // namespace

TestIdentityProvider::TestIdentityProvider()
    : user_key_(MustGenerate("test-user-key")), service_key_(MustGenerate("test-service-key")) {
  std::string pattern = (std::filesystem::temp_directory_path() / "dps-idp.XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  folder_ = pattern;
  WriteFile(folder_ + "/users.jwks", user_key_.PublicJwks(), 0644);
  WriteFile(folder_ + "/services.jwks", service_key_.PublicJwks(), 0644);
  WriteFile(folder_ + "/service-key.jwk", service_key_.PrivateJson(), 0600);
  WriteFile(folder_ + "/user-key.jwk", user_key_.PrivateJson(), 0600);
  absl::StatusOr<std::unique_ptr<Authenticator>> authenticator =
      Authenticator::Create({.user_jwks_file = folder_ + "/users.jwks",
                             .user_issuer = kTestIssuer,
                             .user_audience = kTestAudience,
                             .service_jwks_file = folder_ + "/services.jwks"},
                            clock_);
  if (!authenticator.ok()) throw std::runtime_error(std::string(authenticator.status().message()));
  authenticator_ = *std::move(authenticator);
  service_tokens_ = std::make_unique<ServiceTokens>("test-service", service_key_, clock_);
}

TestIdentityProvider::~TestIdentityProvider() {
  std::error_code ignored;
  std::filesystem::remove_all(folder_, ignored);
}

const TestIdentityProvider& TestIdentityProvider::Shared() {
  static const TestIdentityProvider* shared = new TestIdentityProvider();
  return *shared;
}

std::string TestIdentityProvider::TokenFor(const CallerIdentity& caller) const {
  const bool service = caller.role == dps::common::v1::ROLE_SERVICE;
  absl::StatusOr<std::string> token =
      SignToken(service ? service_key_ : user_key_,
                {.issuer = service ? kServiceIssuer : kTestIssuer,
                 .subject = caller.user_id,
                 .role = dps::common::v1::Role_Name(caller.role),
                 .organisation = caller.organisation_id},
                service ? kServiceAudience : kTestAudience, absl::Now(), absl::Hours(1));
  if (!token.ok()) throw std::runtime_error(std::string(token.status().message()));
  return *token;
}

void TestIdentityProvider::Authorize(grpc::ClientContext& context,
                                     const CallerIdentity& caller) const {
  AddBearerToken(context, TokenFor(caller));
}

std::vector<std::string> TestIdentityProvider::Settings() const {
  return {absl::StrCat("DPS_AUTH_JWKS_FILE=", folder_, "/users.jwks"),
          absl::StrCat("DPS_AUTH_ISSUER=", kTestIssuer),
          absl::StrCat("DPS_AUTH_AUDIENCE=", kTestAudience),
          absl::StrCat("DPS_SERVICE_JWKS_FILE=", folder_, "/services.jwks"),
          absl::StrCat("DPS_SERVICE_KEY_FILE=", folder_, "/service-key.jwk"),
          absl::StrCat("DPS_DEV_IDP_KEY_FILE=", folder_, "/user-key.jwk")};
}

}  // namespace dps::platform::auth::testing
