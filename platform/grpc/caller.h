// Who is calling a gRPC service: the identity the gateway (or a peer service) puts in metadata.
//
// The gateway authenticates the user and sends x-dps-user, x-dps-role and x-dps-organisation on
// every call (proto/README.md); request messages never name the caller. A handler reads them
// once with CallerOf() and checks the role with RequireRole() before touching any record:
//
//   absl::StatusOr<CallerIdentity> caller = CallerOf(context);
//   if (!caller.ok()) return ToGrpcStatus(caller.status());          // UNAUTHENTICATED
//   if (auto s = RequireRole(*caller, {Role::ROLE_LEAD_AUTHORITY_ADMIN}); !s.ok()) ...
#ifndef DPS_PLATFORM_GRPC_CALLER_H_
#define DPS_PLATFORM_GRPC_CALLER_H_

#include <grpcpp/client_context.h>
#include <grpcpp/server_context.h>

#include <initializer_list>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dps/common/v1/common.pb.h"

namespace dps::platform {

inline constexpr char kUserKey[] = "x-dps-user";
inline constexpr char kRoleKey[] = "x-dps-role";
inline constexpr char kOrganisationKey[] = "x-dps-organisation";

struct CallerIdentity {
  std::string user_id;
  dps::common::v1::Role role = dps::common::v1::ROLE_UNSPECIFIED;
  std::string organisation_id;  // the authority or provider the user acts for
};

// UNAUTHENTICATED when the user or organisation is missing or the role is not a known role name.
absl::StatusOr<CallerIdentity> CallerOf(const grpc::ServerContext& context);

// PERMISSION_DENIED naming the role unless it is one of `allowed`.
absl::Status RequireRole(const CallerIdentity& caller,
                         std::initializer_list<dps::common::v1::Role> allowed);

// Adds the caller's identity to an outgoing call (peer services, tests).
void AddCallerMetadata(grpc::ClientContext& context, const CallerIdentity& caller);

// The Actor recorded in history and events.
dps::common::v1::Actor ActorOf(const CallerIdentity& caller);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_GRPC_CALLER_H_
