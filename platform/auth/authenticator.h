// Who is calling, from a bearer token: the one place every DPS process turns a token into a
// caller. The gateway uses it on each HTTP request and forwards the token; each service uses it
// again on each gRPC call (platform/grpc/caller.h), so metadata that merely claims an identity is
// worth nothing.
//
// Two kinds of token are accepted, each from its own issuer and keys:
//   users     - issued by the councils' identity provider (in development, `./dps token`):
//               issuer and audience are settings, keys come from a JWKS file; any role but
//               ROLE_SERVICE.
//   services  - signed by a DPS service with its own key (ServiceTokens below) for its timers,
//               consumers and peer calls: issuer "dps-service", audience "dps-service", role
//               ROLE_SERVICE only, keys from the services' JWKS file.
// JWKS files are re-read when they change (checked at most once a second), so keys rotate
// without a restart. Verified tokens are remembered until they expire or the keys change, so a
// token costs one signature check per process, not one per call.
#ifndef DPS_PLATFORM_AUTH_AUTHENTICATOR_H_
#define DPS_PLATFORM_AUTH_AUTHENTICATOR_H_

#include <memory>
#include <string>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "platform/auth/identity.h"
#include "platform/auth/jwt.h"
#include "platform/auth/keys.h"
#include "platform/clock/clock.h"

namespace dps::platform::auth {

inline constexpr char kServiceIssuer[] = "dps-service";
inline constexpr char kServiceAudience[] = "dps-service";

// A JWKS file, re-read when its modification time or size changes. A file that stops parsing
// keeps the last good keys (and the failure is logged), so a bad edit cannot lock everyone out.
class ReloadingKeySet final {
 public:
  // Loads the file once; an unreadable or invalid file is an error naming the path.
  static absl::StatusOr<std::unique_ptr<ReloadingKeySet>> Open(std::string path,
                                                               const Clock& clock);
  // The keys now in force; `changed` (when given) tells whether they were just reloaded.
  std::shared_ptr<const KeySet> Current(bool* changed = nullptr) const;

 private:
  ReloadingKeySet(std::string path, const Clock& clock) : path_(std::move(path)), clock_(clock) {}
  std::string path_;
  const Clock& clock_;
  mutable absl::Mutex mutex_;
  mutable std::shared_ptr<const KeySet> keys_ ABSL_GUARDED_BY(mutex_);
  mutable absl::Time last_check_ ABSL_GUARDED_BY(mutex_) = absl::InfinitePast();
  mutable std::string stamp_ ABSL_GUARDED_BY(mutex_);  // mtime and size of the loaded file
};

struct AuthSettings {
  std::string user_jwks_file;     // DPS_AUTH_JWKS_FILE
  std::string user_issuer;        // DPS_AUTH_ISSUER
  std::string user_audience;      // DPS_AUTH_AUDIENCE
  std::string service_jwks_file;  // DPS_SERVICE_JWKS_FILE
};

class Authenticator final {
 public:
  static absl::StatusOr<std::unique_ptr<Authenticator>> Create(const AuthSettings& settings,
                                                               const Clock& clock);

  // The caller a bearer token proves, or UNAUTHENTICATED naming the first rule it breaks.
  absl::StatusOr<CallerIdentity> Authenticate(absl::string_view token) const;

 private:
  Authenticator(AuthSettings settings, const Clock& clock)
      : settings_(std::move(settings)), clock_(clock) {}
  absl::StatusOr<CallerIdentity> Verify(absl::string_view token) const;

  struct Remembered {
    CallerIdentity caller;
    absl::Time expires;
  };

  AuthSettings settings_;
  const Clock& clock_;
  std::unique_ptr<ReloadingKeySet> user_keys_;
  std::unique_ptr<ReloadingKeySet> service_keys_;
  mutable absl::Mutex mutex_;
  mutable std::unordered_map<std::string, Remembered> remembered_ ABSL_GUARDED_BY(mutex_);
};

// Tokens for this service's own calls (timers, consumers, peer calls): minted with its private
// key and reused until a minute before they expire.
class ServiceTokens final {
 public:
  ServiceTokens(std::string service_name, PrivateKey key, const Clock& clock)
      : name_(std::move(service_name)), key_(std::move(key)), clock_(clock) {}

  // A valid token for ROLE_SERVICE as this service; INTERNAL only if signing fails.
  absl::StatusOr<std::string> Token() const;

 private:
  std::string name_;
  PrivateKey key_;
  const Clock& clock_;
  mutable absl::Mutex mutex_;
  mutable std::string token_ ABSL_GUARDED_BY(mutex_);
  mutable absl::Time expires_ ABSL_GUARDED_BY(mutex_) = absl::InfinitePast();
};

}  // namespace dps::platform::auth

#endif  // DPS_PLATFORM_AUTH_AUTHENTICATOR_H_
