// What happens to a referral's invitations and bids when it ends without an award.
#ifndef DPS_SERVICES_REFERRAL_APP_ENDINGS_H_
#define DPS_SERVICES_REFERRAL_APP_ENDINGS_H_

#include <pqxx/pqxx>
#include <string>

#include "absl/status/status.h"

namespace dps::referral {

// Every bid of the referral takes the domain's StateWithoutAward.
absl::Status EndBidsWithoutAward(pqxx::work& tx, const std::string& referral_id);

// At withdrawal: every invitation nobody answered becomes CANCELLED.
absl::Status CancelUnanswered(pqxx::work& tx, const std::string& referral_id);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_APP_ENDINGS_H_
