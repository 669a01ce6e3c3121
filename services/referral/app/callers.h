// Who a caller is, as the referral service's rules ask it: one of the authority's authors, or a
// DPS service acting as itself. Every use case and handler asks it the same way.
#ifndef DPS_SERVICES_REFERRAL_APP_CALLERS_H_
#define DPS_SERVICES_REFERRAL_APP_CALLERS_H_

#include <string>

#include "platform/auth/identity.h"

namespace dps::referral {

// A placing officer or commissioner: someone who writes referrals for their authority.
bool IsAuthor(const platform::CallerIdentity& caller);

// A DPS service acting as itself (ROLE_SERVICE: a token only a service's own key signs, never a
// user's): the contracts service reads an award to draw up its agreement (CreateIpa).
bool IsPeerService(const platform::CallerIdentity& caller);

// Who may read a placement made outside competition (a direct award, a block contract and its
// call-offs): the authority that made it (its placing officers and commissioners), the provider
// placed with, the lead authority of its system (its admins and auditors), and DPS services.
bool MayReadPlacement(const platform::CallerIdentity& caller,
                      const std::string& placing_authority_id, const std::string& provider_id,
                      const std::string& lead_authority_id);

// What a list of them reaches: an author their own authority's, anyone else those of the systems
// their authority leads. Sets the one filter field that applies.
void ScopeListToCaller(const platform::CallerIdentity& caller, std::string& placing_authority_id,
                       std::string& lead_authority_id);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_APP_CALLERS_H_
