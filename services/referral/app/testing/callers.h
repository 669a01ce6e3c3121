// Callers for the use cases' pure tests: user "user-1" in `role` for `organisation`.
#ifndef DPS_SERVICES_REFERRAL_APP_TESTING_CALLERS_H_
#define DPS_SERVICES_REFERRAL_APP_TESTING_CALLERS_H_

#include <string>

#include "platform/auth/identity.h"

namespace dps::referral::testing {

inline platform::CallerIdentity CallerAs(dps::common::v1::Role role,
                                         const std::string& organisation) {
  return {.user_id = "user-1", .role = role, .organisation_id = organisation};
}

}  // namespace dps::referral::testing

#endif  // DPS_SERVICES_REFERRAL_APP_TESTING_CALLERS_H_
