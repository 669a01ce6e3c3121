// Who is calling a gRPC service: the caller a verified bearer token proves.
//
// Every call carries `authorization: Bearer <JWT>` metadata: the user's own token, forwarded by
// the gateway, or a service token a DPS service signs for its timers, consumers and peer calls
// (platform/auth/authenticator.h). Request messages never name the caller, and no other
// metadata is believed. A handler reads the caller once with CallerOf() and checks the role with
// RequireRole() (platform/auth/identity.h) before touching any record:
//
//   absl::StatusOr<CallerIdentity> caller = CallerOf(context, authenticator);
//   if (!caller.ok()) return ToGrpcStatus(caller.status());          // UNAUTHENTICATED
//   if (auto s = RequireRole(*caller, {Role::ROLE_LEAD_AUTHORITY_ADMIN}); !s.ok()) ...
#ifndef DPS_PLATFORM_GRPC_CALLER_H_
#define DPS_PLATFORM_GRPC_CALLER_H_

#include <grpcpp/client_context.h>
#include <grpcpp/server_context.h>

#include <initializer_list>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dps/common/v1/common.pb.h"
#include "platform/auth/authenticator.h"
#include "platform/auth/identity.h"

namespace dps::platform {

inline constexpr char kAuthorizationKey[] = "authorization";

// UNAUTHENTICATED unless the call carries a bearer token the authenticator accepts.
absl::StatusOr<CallerIdentity> CallerOf(const grpc::ServerContextBase& context,
                                        const auth::Authenticator& authenticator);

// The server's call interceptor (server.h) watches each call it serves, and CallerOf keeps the
// caller it proves for a watched call, so that the line logging a failed call can name who made
// it (user, role, organisation; never the token). The interceptor forgets the call when it ends.
void WatchCaller(const grpc::ServerContextBase* context);
// The caller proved for a watched call, or nothing when no token was accepted; stops watching.
std::optional<CallerIdentity> ForgetCaller(const grpc::ServerContextBase* context);

// Adds `authorization: Bearer <token>` to an outgoing call.
void AddBearerToken(grpc::ClientContext& context, const std::string& token);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_GRPC_CALLER_H_
