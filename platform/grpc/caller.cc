#include "platform/grpc/caller.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace dps::platform {

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
  return authenticator.Authenticate(value.substr(kBearer.size()));
}

absl::Status RequireRole(const CallerIdentity& caller,
                         std::initializer_list<dps::common::v1::Role> allowed) {
  for (dps::common::v1::Role role : allowed) {
    if (caller.role == role) return absl::OkStatus();
  }
  std::vector<std::string> names;
  for (dps::common::v1::Role role : allowed) names.push_back(dps::common::v1::Role_Name(role));
  return absl::PermissionDeniedError(
      absl::StrCat("role ", dps::common::v1::Role_Name(caller.role),
                   " may not do this; allowed: ", absl::StrJoin(names, ", ")));
}

void AddBearerToken(grpc::ClientContext& context, const std::string& token) {
  context.AddMetadata(kAuthorizationKey, absl::StrCat("Bearer ", token));
}

dps::common::v1::Actor ActorOf(const CallerIdentity& caller) {
  dps::common::v1::Actor actor;
  actor.set_user_id(caller.user_id);
  actor.set_role(dps::common::v1::Role_Name(caller.role));
  actor.set_organisation_id(caller.organisation_id);
  return actor;
}

}  // namespace dps::platform
