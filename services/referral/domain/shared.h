// Checks shared by referrals, direct awards and block contracts, so the same input gets the same
// rule and the same message wherever the API takes it. `field` is the path as the API spells it
// ("spec.incentive", "incentive").

#ifndef DPS_SERVICES_REFERRAL_DOMAIN_SHARED_H_
#define DPS_SERVICES_REFERRAL_DOMAIN_SHARED_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/referral/domain/referral.h"

namespace dps::referral {

// The largest money amount taken (£1 billion, as the scoring engine's): products of an amount
// with days, places or units then stay well inside int64.
inline constexpr int64_t kMaxPence = 100'000'000'000;
// The most units on an additional-service line, and lines on a bid or a direct award, as the
// scoring engine takes them.
inline constexpr int64_t kMaxServiceUnits = 100'000;
inline constexpr int kMaxAdditionalServices = 100;

// Text that must say something (not blank), at most kMaxTextLength characters.
absl::Status RequireReason(absl::string_view field, absl::string_view reason);

// Text a provider reads: at most kMaxTextLength characters, and nothing that identifies a child
// (platform/text/child_identity.h).
absl::Status ValidateText(absl::string_view field, absl::string_view text);

// An amount of money that must be charged: positive and at most kMaxPence.
absl::Status ValidatePence(absl::string_view field, int64_t pence);

// A description, a positive premium and the date to achieve by. Whether that date falls after
// the start date is checked by whoever knows the start date.
absl::Status ValidateIncentive(absl::string_view field, const Incentive& incentive);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_DOMAIN_SHARED_H_
