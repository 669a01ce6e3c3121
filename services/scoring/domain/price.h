// Price arithmetic of the scoring engine, in exact integer pence.
//
// ToWeeklyPence converts an amount quoted per month or per year to per week (x 12 / 52, / 52),
// rounding half up to whole pence; the same conversion applies to core fees, ceilings and
// additional services. EvaluatePrice applies the referral's discounts (which add up, and apply to
// the core fee only) and adds the additional services. Example:
//   ToWeeklyPence(100'000, PriceBasis::kMonthly) == 23'077  // £1,000 a month is £230.77 a week
#ifndef DPS_SERVICES_SCORING_DOMAIN_PRICE_H_
#define DPS_SERVICES_SCORING_DOMAIN_PRICE_H_

#include <cstdint>
#include <string>

#include "services/scoring/domain/competition.h"

namespace dps::scoring {

// The largest money amount, and the most units on a line, the engine accepts: they keep every
// intermediate product well inside int64.
inline constexpr int64_t kMaxPence = 100'000'000'000;  // £1 billion
inline constexpr int64_t kMaxUnits = 100'000;
inline constexpr int kMaxAdditionalServices = 100;

// `pence` (>= 0) quoted per `basis` period, as weekly pence rounded half up.
int64_t ToWeeklyPence(int64_t pence, PriceBasis basis);

// `pence` x `basis_points` / 10000, rounded half up (both >= 0).
int64_t ApplyBasisPoints(int64_t pence, int basis_points);

// `pence` (>= 0) as people write it: FormatPounds(420'000) == "£4,200.00". Used in exclusion
// reasons, which a provider reads.
std::string FormatPounds(int64_t pence);

// The discounts (basis points) a competition's terms grant, by the rules of section 6.
struct ApplicableDiscounts {
  int sibling_basis_points = 0;
  int permanence_basis_points = 0;
};
ApplicableDiscounts DiscountsFor(const Competition& competition);

// The bid's evaluated weekly price with every step shown. Inputs must have passed validation.
EvaluatedPrice EvaluatePrice(const Bid& bid, PriceBasis basis, ApplicableDiscounts discounts);

}  // namespace dps::scoring

#endif  // DPS_SERVICES_SCORING_DOMAIN_PRICE_H_
