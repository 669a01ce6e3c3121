#include "services/referral/app/callers.h"

namespace dps::referral {

using ApiRole = dps::common::v1::Role;

bool IsAuthor(const platform::CallerIdentity& caller) {
  return caller.role == ApiRole::ROLE_PLACING_OFFICER || caller.role == ApiRole::ROLE_COMMISSIONER;
}

bool IsPeerService(const platform::CallerIdentity& caller) {
  return caller.role == ApiRole::ROLE_SERVICE;
}

}  // namespace dps::referral
