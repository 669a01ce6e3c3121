// The caller of a request, as a verified token proved it (platform/auth/authenticator.h).
#ifndef DPS_PLATFORM_AUTH_IDENTITY_H_
#define DPS_PLATFORM_AUTH_IDENTITY_H_

#include <string>

#include "dps/common/v1/common.pb.h"

namespace dps::platform {

struct CallerIdentity {
  std::string user_id;
  dps::common::v1::Role role = dps::common::v1::ROLE_UNSPECIFIED;
  std::string organisation_id;  // the authority or provider the user acts for
};

}  // namespace dps::platform

#endif  // DPS_PLATFORM_AUTH_IDENTITY_H_
