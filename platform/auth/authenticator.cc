#include "platform/auth/authenticator.h"

#include <sys/stat.h>

#include "absl/strings/str_cat.h"
#include "platform/log/log.h"

namespace dps::platform::auth {
namespace {

constexpr absl::Duration kReloadCheckEvery = absl::Seconds(1);
constexpr std::size_t kRememberAtMost = 4096;
constexpr absl::Duration kServiceTokenLifetime = absl::Minutes(10);
constexpr absl::Duration kServiceTokenRenewBefore = absl::Minutes(1);

// The file's modification time and size, or empty when it cannot be stat'ed.
std::string StampOf(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) return "";
  return absl::StrCat(info.st_mtim.tv_sec, ".", info.st_mtim.tv_nsec, "/", info.st_size);
}

}  // namespace

absl::StatusOr<std::unique_ptr<ReloadingKeySet>> ReloadingKeySet::Open(std::string path,
                                                                       const Clock& clock) {
  std::unique_ptr<ReloadingKeySet> set(new ReloadingKeySet(std::move(path), clock));
  const std::string stamp = StampOf(set->path_);
  absl::StatusOr<KeySet> keys = KeySet::FromFile(set->path_);
  if (!keys.ok()) return keys.status();
  absl::MutexLock lock(&set->mutex_);
  set->keys_ = std::make_shared<const KeySet>(*std::move(keys));
  set->stamp_ = stamp;
  set->last_check_ = clock.Now();
  return set;
}

std::shared_ptr<const KeySet> ReloadingKeySet::Current(bool* changed) const {
  if (changed != nullptr) *changed = false;
  absl::MutexLock lock(&mutex_);
  const absl::Time now = clock_.Now();
  if (now - last_check_ < kReloadCheckEvery) return keys_;
  last_check_ = now;
  const std::string stamp = StampOf(path_);
  if (stamp.empty() || stamp == stamp_) return keys_;
  absl::StatusOr<KeySet> keys = KeySet::FromFile(path_);
  stamp_ = stamp;  // a bad file is reported once, not on every check
  if (!keys.ok()) {
    Log(LogLevel::kWarning, "key set not reloaded; keeping the keys in force",
        {{"path", path_}, {"error", std::string(keys.status().message())}});
    return keys_;
  }
  keys_ = std::make_shared<const KeySet>(*std::move(keys));
  Log(LogLevel::kInfo, "key set reloaded",
      {{"path", path_}, {"keys", std::to_string(keys_->size())}});
  if (changed != nullptr) *changed = true;
  return keys_;
}

absl::StatusOr<std::unique_ptr<Authenticator>> Authenticator::Create(const AuthSettings& settings,
                                                                     const Clock& clock) {
  if (settings.user_issuer.empty()) return absl::InvalidArgumentError("auth-issuer: required");
  if (settings.user_issuer == kServiceIssuer) {
    return absl::InvalidArgumentError(
        absl::StrCat("auth-issuer: \"", kServiceIssuer, "\" is reserved for the services' tokens"));
  }
  if (settings.user_audience.empty()) return absl::InvalidArgumentError("auth-audience: required");
  std::unique_ptr<Authenticator> authenticator(new Authenticator(settings, clock));
  absl::StatusOr<std::unique_ptr<ReloadingKeySet>> users =
      ReloadingKeySet::Open(settings.user_jwks_file, clock);
  if (!users.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("auth-jwks-file: ", users.status().message()));
  }
  authenticator->user_keys_ = *std::move(users);
  absl::StatusOr<std::unique_ptr<ReloadingKeySet>> services =
      ReloadingKeySet::Open(settings.service_jwks_file, clock);
  if (!services.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("service-jwks-file: ", services.status().message()));
  }
  authenticator->service_keys_ = *std::move(services);
  return authenticator;
}

absl::StatusOr<CallerIdentity> Authenticator::Authenticate(absl::string_view token) const {
  const absl::Time now = clock_.Now();
  bool users_changed = false;
  bool services_changed = false;
  user_keys_->Current(&users_changed);
  service_keys_->Current(&services_changed);
  {
    absl::MutexLock lock(&mutex_);
    // A key taken out of a set must stop working at once, so what was proved under the old
    // keys is forgotten.
    if (users_changed || services_changed) remembered_.clear();
    const auto it = remembered_.find(std::string(token));
    if (it != remembered_.end()) {
      if (it->second.expires > now) return it->second.caller;
      remembered_.erase(it);
    }
  }
  return Verify(token);
}

absl::StatusOr<CallerIdentity> Authenticator::Verify(absl::string_view token) const {
  const absl::Time now = clock_.Now();
  // The issuer picks the key set and the rules; it is read unverified only for that, and
  // VerifyToken checks it again against the chosen rules.
  const bool service = UnverifiedIssuer(token) == kServiceIssuer;
  absl::StatusOr<TokenClaims> claims =
      service ? VerifyToken(token, *service_keys_->Current(),
                            {.issuer = kServiceIssuer, .audience = kServiceAudience}, now)
              : VerifyToken(token, *user_keys_->Current(),
                            {.issuer = settings_.user_issuer, .audience = settings_.user_audience},
                            now);
  if (!claims.ok()) return claims.status();
  CallerIdentity caller;
  caller.user_id = claims->subject;
  caller.organisation_id = claims->organisation;
  if (!dps::common::v1::Role_Parse(claims->role, &caller.role) ||
      caller.role == dps::common::v1::ROLE_UNSPECIFIED) {
    return absl::UnauthenticatedError("token: role (dps_role) is not a DPS role");
  }
  if (service != (caller.role == dps::common::v1::ROLE_SERVICE)) {
    return absl::UnauthenticatedError(service
                                          ? "token: a service token must carry ROLE_SERVICE"
                                          : "token: ROLE_SERVICE is for the services' own tokens");
  }
  absl::MutexLock lock(&mutex_);
  if (remembered_.size() >= kRememberAtMost) remembered_.clear();
  remembered_[std::string(token)] = {caller, claims->expires};
  return caller;
}

absl::StatusOr<std::string> ServiceTokens::Token() const {
  absl::MutexLock lock(&mutex_);
  const absl::Time now = clock_.Now();
  if (now + kServiceTokenRenewBefore < expires_) return token_;
  absl::StatusOr<std::string> token =
      SignToken(key_,
                {.issuer = kServiceIssuer,
                 .subject = name_,
                 .role = dps::common::v1::Role_Name(dps::common::v1::ROLE_SERVICE),
                 .organisation = "dps"},
                kServiceAudience, now, kServiceTokenLifetime);
  if (!token.ok()) return token.status();
  token_ = *token;
  expires_ = now + kServiceTokenLifetime;
  return token_;
}

}  // namespace dps::platform::auth
