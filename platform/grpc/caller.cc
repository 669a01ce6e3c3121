#include "platform/grpc/caller.h"

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"

namespace dps::platform {
namespace {

// The callers of the calls being served, by call. Only calls the interceptor watches are kept,
// so a server without it (or a handler called outside a server) leaves nothing behind.
class WatchedCallers {
 public:
  void Watch(const void* call) {
    absl::MutexLock lock(&mutex_);
    callers_[call].reset();
  }
  void Keep(const void* call, const CallerIdentity& caller) {
    absl::MutexLock lock(&mutex_);
    const auto it = callers_.find(call);
    if (it != callers_.end()) it->second = caller;
  }
  std::optional<CallerIdentity> Forget(const void* call) {
    absl::MutexLock lock(&mutex_);
    const auto it = callers_.find(call);
    if (it == callers_.end()) return std::nullopt;
    std::optional<CallerIdentity> caller = std::move(it->second);
    callers_.erase(it);
    return caller;
  }

 private:
  absl::Mutex mutex_;
  absl::flat_hash_map<const void*, std::optional<CallerIdentity>> callers_ ABSL_GUARDED_BY(mutex_);
};

WatchedCallers& Watched() {
  static auto* watched = new WatchedCallers();
  return *watched;
}

}  // namespace

void WatchCaller(const grpc::ServerContextBase* context) { Watched().Watch(context); }

std::optional<CallerIdentity> ForgetCaller(const grpc::ServerContextBase* context) {
  return Watched().Forget(context);
}

absl::StatusOr<CallerIdentity> CallerOf(const grpc::ServerContextBase& context,
                                        const auth::Authenticator& authenticator) {
  const auto& metadata = context.client_metadata();
  const auto it = metadata.find(kAuthorizationKey);
  if (it == metadata.end()) {
    return absl::UnauthenticatedError("authorization: a bearer token is required");
  }
  const absl::string_view value(it->second.data(), it->second.size());
  constexpr absl::string_view kBearer = "Bearer ";
  if (!absl::StartsWithIgnoreCase(value, kBearer)) {
    return absl::UnauthenticatedError("authorization: must be \"Bearer <token>\"");
  }
  absl::StatusOr<CallerIdentity> caller = authenticator.Authenticate(value.substr(kBearer.size()));
  if (caller.ok()) Watched().Keep(&context, *caller);
  return caller;
}

void AddBearerToken(grpc::ClientContext& context, const std::string& token) {
  context.AddMetadata(kAuthorizationKey, absl::StrCat("Bearer ", token));
}

}  // namespace dps::platform
