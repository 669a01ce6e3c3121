// The scoring engine's request for a referral's mini-competition: the referral's weights, place,
// needs, features and terms, and every standing bid with what the qualification register said of
// its establishment at close (position, ceiling or indicative fee, qualification score). A bid
// whose establishment was no longer eligible at close goes in marked so, and the engine excludes
// it with the reason.
#ifndef DPS_SERVICES_REFERRAL_APP_EVALUATION_REQUEST_H_
#define DPS_SERVICES_REFERRAL_APP_EVALUATION_REQUEST_H_

#include <map>
#include <string>
#include <vector>

#include "dps/qualification/v1/qualification.pb.h"
#include "dps/referral/v1/referral.pb.h"
#include "dps/scoring/v1/scoring.pb.h"

namespace dps::referral {

namespace v1 = ::dps::referral::v1;
namespace qv1 = ::dps::qualification::v1;

// `at_close`: the eligible establishments by id; `outcome_scores`: each bid's scores for the
// engine (absent or empty while any evaluator has still to score it).
dps::scoring::v1::EvaluateRequest BuildEvaluateRequest(
    const v1::Referral& referral, const std::vector<v1::Bid>& bids,
    const std::map<std::string, qv1::EligibleEstablishment>& at_close,
    const std::map<std::string, std::vector<int>>& outcome_scores);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_APP_EVALUATION_REQUEST_H_
