// What an IPA costs, in integer pence (docs/rules.md section 7).
//
// Weekly cost on a day, from the version in force that day (the highest-numbered version both
// parties signed whose effective date has come):
//   core weekly fee - discounts + every additional service running that day
// Discounts add up in basis points and are rounded once, half up, on the core fee (as the
// scoring engine prices a bid); an additional service runs from its start date (or the
// placement's) to its end date, both included, so it costs nothing from the day after it ends.
//
// Spend to date, from the placement's actual start to a day (both included, and never past the
// day it ended): each day costs its weekly cost / 7. The sevenths are added exactly and the total
// is rounded once, half up, to whole pence: spend = round(sum of weekly costs over the days / 7).
// A sum of whole pence divided by 7 is never exactly half a penny, so "half up" never decides.
// Worked example in README.md.

#ifndef DPS_SERVICES_CONTRACTS_DOMAIN_COSTS_H_
#define DPS_SERVICES_CONTRACTS_DOMAIN_COSTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "services/contracts/domain/ipa.h"
#include "services/contracts/domain/terms.h"

namespace dps::contracts {

// Spend is counted over at most this many days (a century), so the sum of weekly costs of at
// most kMaxPence stays far inside int64 (10^11 x 36,525 < 4 x 10^15).
inline constexpr int64_t kMaxSpendDays = 36'525;

struct WeeklyCost {
  int version_number = 0;  // the version in force (0 when computed from terms alone)
  int64_t core_weekly_fee_pence = 0;
  int discount_basis_points = 0;
  int64_t discount_pence = 0;
  int64_t additional_services_pence = 0;
  std::vector<std::string> additional_service_codes;  // the services running that day
  int64_t total_pence = 0;
};

// The weekly cost `terms` charge on `day`. The terms must have passed ValidateTerms.
WeeklyCost WeeklyCostOfTerms(const IpaTerms& terms, absl::CivilDay day);

// The version in force on `day`: the highest-numbered version both parties signed whose
// effective date is on or before `day`; nullptr when there is none.
const IpaVersion* VersionInForceOn(const Ipa& ipa, absl::CivilDay day);

// The weekly cost on `day` from the version in force. A day from an early actual start (before
// the first signed version's effective date) costs what that first effective day costs.
// FailedPrecondition when no signed version
// governs that day (before the start, or before both parties signed) or the IPA ended before it.
absl::StatusOr<WeeklyCost> WeeklyCostOn(const Ipa& ipa, absl::CivilDay day);

struct Spend {
  int64_t days = 0;   // the days counted
  int64_t pence = 0;  // rounded once, half up
};

// The spend from the actual start date (set when the IPA became ACTIVE) to `through`, both
// included, stopping at the day it ended. Zero for an IPA that never started, or a day before its
// start. InvalidArgument when more than kMaxSpendDays would be counted.
absl::StatusOr<Spend> SpendToDate(const Ipa& ipa, absl::CivilDay through);

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_DOMAIN_COSTS_H_
