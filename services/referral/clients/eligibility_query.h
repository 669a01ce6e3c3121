// The question put to the qualification register about a referral: its system and lot, the
// child's place and every child's age and gender, the radius and filters of a round, as at an
// instant (now for a new round, the close for a ranking, a round's start for an explanation).
#ifndef DPS_SERVICES_REFERRAL_CLIENTS_ELIGIBILITY_QUERY_H_
#define DPS_SERVICES_REFERRAL_CLIENTS_ELIGIBILITY_QUERY_H_

#include "absl/time/time.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "dps/referral/v1/referral.pb.h"

namespace dps::referral {

dps::qualification::v1::EligibilityQuery EligibilityQueryFor(
    const dps::referral::v1::Referral& referral, double radius_miles, absl::Time as_of);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_CLIENTS_ELIGIBILITY_QUERY_H_
