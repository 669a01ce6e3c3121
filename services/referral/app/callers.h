// Who a caller is, as the referral service's rules ask it: one of the authority's authors, or a
// DPS service acting as itself. Every use case and handler asks it the same way.
#ifndef DPS_SERVICES_REFERRAL_APP_CALLERS_H_
#define DPS_SERVICES_REFERRAL_APP_CALLERS_H_

#include "platform/auth/identity.h"

namespace dps::referral {

// A placing officer or commissioner: someone who writes referrals for their authority.
bool IsAuthor(const platform::CallerIdentity& caller);

// A DPS service acting as itself (ROLE_SERVICE: a token only a service's own key signs, never a
// user's): the contracts service reads an award to draw up its agreement (CreateIpa).
bool IsPeerService(const platform::CallerIdentity& caller);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_APP_CALLERS_H_
