#include "platform/grpc/caller.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace dps::platform {
namespace {

std::string MetadataValue(const grpc::ServerContext& context, const char* key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(key);
  return it == metadata.end() ? "" : std::string(it->second.data(), it->second.size());
}

}  // namespace

absl::StatusOr<CallerIdentity> CallerOf(const grpc::ServerContext& context) {
  CallerIdentity caller;
  caller.user_id = MetadataValue(context, kUserKey);
  caller.organisation_id = MetadataValue(context, kOrganisationKey);
  const std::string role = MetadataValue(context, kRoleKey);
  if (caller.user_id.empty()) {
    return absl::UnauthenticatedError(absl::StrCat(kUserKey, ": required"));
  }
  if (!dps::common::v1::Role_Parse(role, &caller.role) ||
      caller.role == dps::common::v1::ROLE_UNSPECIFIED) {
    return absl::UnauthenticatedError(
        absl::StrCat(kRoleKey, ": not a known role, got \"", role, "\""));
  }
  if (caller.organisation_id.empty()) {
    return absl::UnauthenticatedError(absl::StrCat(kOrganisationKey, ": required"));
  }
  return caller;
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

void AddCallerMetadata(grpc::ClientContext& context, const CallerIdentity& caller) {
  context.AddMetadata(kUserKey, caller.user_id);
  context.AddMetadata(kRoleKey, dps::common::v1::Role_Name(caller.role));
  context.AddMetadata(kOrganisationKey, caller.organisation_id);
}

dps::common::v1::Actor ActorOf(const CallerIdentity& caller) {
  dps::common::v1::Actor actor;
  actor.set_user_id(caller.user_id);
  actor.set_role(dps::common::v1::Role_Name(caller.role));
  actor.set_organisation_id(caller.organisation_id);
  return actor;
}

}  // namespace dps::platform
