// The caller of a request, as a verified token proved it (platform/auth/authenticator.h), and the
// two things every layer asks of it: may this role do this, and how it is recorded. Plain C++ and
// the API's messages, no transport, so use cases, storage and consumers link no gRPC for it.
#ifndef DPS_PLATFORM_AUTH_IDENTITY_H_
#define DPS_PLATFORM_AUTH_IDENTITY_H_

#include <initializer_list>
#include <string>

#include "absl/status/status.h"
#include "dps/common/v1/common.pb.h"

namespace dps::platform {

struct CallerIdentity {
  std::string user_id;
  dps::common::v1::Role role = dps::common::v1::ROLE_UNSPECIFIED;
  std::string organisation_id;  // the authority or provider the user acts for
};

// PERMISSION_DENIED naming the role unless it is one of `allowed`.
absl::Status RequireRole(const CallerIdentity& caller,
                         std::initializer_list<dps::common::v1::Role> allowed);

// The Actor recorded in history and events.
dps::common::v1::Actor ActorOf(const CallerIdentity& caller);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_AUTH_IDENTITY_H_
