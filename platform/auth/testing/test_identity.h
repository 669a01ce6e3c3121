// An identity provider for tests: fresh signing keys for users and for services, their JWKS files
// in a private temporary folder, an Authenticator trusting them, and tokens on demand. In-process
// services get authenticator() and service_tokens(); processes a test starts get settings()
// (the same files), so one token works against both.
//
//   const TestIdentityProvider& idp = TestIdentityProvider::Shared();
//   grpc::ClientContext context;
//   idp.Authorize(context, {.user_id = "po-1", .role = ROLE_PLACING_OFFICER,
//                           .organisation_id = "brighton"});
#ifndef DPS_PLATFORM_AUTH_TESTING_TEST_IDENTITY_H_
#define DPS_PLATFORM_AUTH_TESTING_TEST_IDENTITY_H_

#include <grpcpp/client_context.h>

#include <memory>
#include <string>
#include <vector>

#include "platform/auth/authenticator.h"
#include "platform/auth/identity.h"
#include "platform/clock/clock.h"

namespace dps::platform::auth::testing {

inline constexpr char kTestIssuer[] = "https://idp.test.dps";
inline constexpr char kTestAudience[] = "dps";

class TestIdentityProvider final {
 public:
  TestIdentityProvider();
  ~TestIdentityProvider();

  // One per test process, made on first use.
  static const TestIdentityProvider& Shared();

  const Authenticator& authenticator() const { return *authenticator_; }
  const ServiceTokens& service_tokens() const { return *service_tokens_; }

  // A token proving `caller`: a service token for ROLE_SERVICE, a user token otherwise.
  std::string TokenFor(const CallerIdentity& caller) const;
  // Adds `authorization: Bearer <TokenFor(caller)>` to the call.
  void Authorize(grpc::ClientContext& context, const CallerIdentity& caller) const;

  // The user signing key, for tests that forge or tamper with tokens.
  const PrivateKey& user_key() const { return user_key_; }
  const std::string& folder() const { return folder_; }
  // KEY=VALUE settings a service process needs to trust these keys and sign as a service:
  // DPS_AUTH_JWKS_FILE, DPS_AUTH_ISSUER, DPS_AUTH_AUDIENCE, DPS_SERVICE_JWKS_FILE,
  // DPS_SERVICE_KEY_FILE, and DPS_DEV_IDP_KEY_FILE for tools that act as users (TokenMinter).
  std::vector<std::string> Settings() const;

 private:
  std::string folder_;
  PrivateKey user_key_;
  PrivateKey service_key_;
  SystemClock clock_;
  std::unique_ptr<Authenticator> authenticator_;
  std::unique_ptr<ServiceTokens> service_tokens_;
};

}  // namespace dps::platform::auth::testing

#endif  // DPS_PLATFORM_AUTH_TESTING_TEST_IDENTITY_H_
