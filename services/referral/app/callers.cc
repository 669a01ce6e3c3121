#include "services/referral/app/callers.h"

namespace dps::referral {

using ApiRole = dps::common::v1::Role;

bool IsAuthor(const platform::CallerIdentity& caller) {
  return caller.role == ApiRole::ROLE_PLACING_OFFICER || caller.role == ApiRole::ROLE_COMMISSIONER;
}

bool IsPeerService(const platform::CallerIdentity& caller) {
  return caller.role == ApiRole::ROLE_SERVICE;
}

bool MayReadPlacement(const platform::CallerIdentity& caller,
                      const std::string& placing_authority_id, const std::string& provider_id,
                      const std::string& lead_authority_id) {
  if (IsPeerService(caller)) return true;
  if (IsAuthor(caller)) return caller.organisation_id == placing_authority_id;
  if (caller.role == ApiRole::ROLE_PROVIDER_USER) return caller.organisation_id == provider_id;
  return caller.organisation_id == lead_authority_id;
}

void ScopeListToCaller(const platform::CallerIdentity& caller, std::string& placing_authority_id,
                       std::string& lead_authority_id) {
  if (IsAuthor(caller)) {
    placing_authority_id = caller.organisation_id;
  } else {
    lead_authority_id = caller.organisation_id;
  }
}

}  // namespace dps::referral
