// What happens to a referral's invitations and bids when it ends without an award.
#ifndef DPS_SERVICES_REFERRAL_API_ENDINGS_H_
#define DPS_SERVICES_REFERRAL_API_ENDINGS_H_

#include <pqxx/pqxx>
#include <string>

#include "absl/status/status.h"

namespace dps::referral {

// Every bid still in the competition (submitted, or ranked compliant) becomes NOT_AWARDED; an
// excluded bid stays EXCLUDED with its reasons. A referral reopened after no suitable offer ranks
// them again at its next close.
absl::Status EndBidsWithoutAward(pqxx::work& tx, const std::string& referral_id);

// At withdrawal: every invitation nobody answered becomes CANCELLED.
absl::Status CancelUnanswered(pqxx::work& tx, const std::string& referral_id);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_API_ENDINGS_H_
