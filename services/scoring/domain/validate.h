// Validation of a Competition before it is scored.
//
// Every rule of docs/rules.md section 6 that a request can break is checked here, in field order,
// and the first broken rule is returned as INVALID_ARGUMENT naming the field and the rule, e.g.
//   weights.price: must be between 30 and 70, got 80
// Field paths use the dps.scoring.v1 proto's snake_case names, so an API caller can find them.
// The weights are checked by the product's one weights rule (platform/weights/weights.h), the
// same one a referral passed at draft and publication, so a published referral is not refused here.
//
// A bid claims needs and features as bit sets over the referral's lists; validation checks that
// no bit lies beyond its list.
#ifndef DPS_SERVICES_SCORING_DOMAIN_VALIDATE_H_
#define DPS_SERVICES_SCORING_DOMAIN_VALIDATE_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "services/scoring/domain/competition.h"

namespace dps::scoring {

// Each list a referral gives (needs, must-have, desirable) holds at most this many codes, so a
// bid's claims fit a 64-bit set.
inline constexpr int kMaxListedCodes = 64;
// Marks of a single need or feature; bounded so sums stay small integers.
inline constexpr int kMaxMarks = 1000;

// OK, or INVALID_ARGUMENT for the first broken rule.
absl::Status ValidateCompetition(const Competition& competition, const Limits& limits);

}  // namespace dps::scoring

#endif  // DPS_SERVICES_SCORING_DOMAIN_VALIDATE_H_
