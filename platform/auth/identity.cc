#include "platform/auth/identity.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace dps::platform {

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

dps::common::v1::Actor ActorOf(const CallerIdentity& caller) {
  dps::common::v1::Actor actor;
  actor.set_user_id(caller.user_id);
  actor.set_role(dps::common::v1::Role_Name(caller.role));
  actor.set_organisation_id(caller.organisation_id);
  return actor;
}

}  // namespace dps::platform
