#include "services/scoring/domain/price.h"

#include "absl/strings/str_cat.h"

namespace dps::scoring {

namespace {

// numerator / denominator rounded half up, for numerator >= 0 and denominator > 0.
int64_t DivideRoundHalfUp(int64_t numerator, int64_t denominator) {
  return (2 * numerator + denominator) / (2 * denominator);
}

}  // namespace

int64_t ToWeeklyPence(int64_t pence, PriceBasis basis) {
  switch (basis) {
    case PriceBasis::kWeekly:
      return pence;
    case PriceBasis::kMonthly:
      return DivideRoundHalfUp(pence * 12, 52);
    case PriceBasis::kAnnual:
      return DivideRoundHalfUp(pence, 52);
  }
  return pence;
}

std::string FormatPounds(int64_t pence) {
  const std::string digits = absl::StrCat(pence / 100);
  std::string pounds;
  for (size_t i = 0; i < digits.size(); ++i) {
    // A thousands separator before every group of three digits counted from the right.
    if (i > 0 && (digits.size() - i) % 3 == 0) pounds.push_back(',');
    pounds.push_back(digits[i]);
  }
  return absl::StrCat("£", pounds, ".", absl::Dec(pence % 100, absl::kZeroPad2));
}

int64_t ApplyBasisPoints(int64_t pence, int basis_points) {
  return DivideRoundHalfUp(pence * basis_points, 10'000);
}

ApplicableDiscounts DiscountsFor(const Competition& competition) {
  ApplicableDiscounts discounts;
  if (competition.sibling_group_size >= 2) {
    discounts.sibling_basis_points = competition.discount_rates.sibling_basis_points;
  }
  if (competition.planned_duration_months >= competition.discount_rates.permanence_min_months) {
    discounts.permanence_basis_points = competition.discount_rates.permanence_basis_points;
  }
  return discounts;
}

EvaluatedPrice EvaluatePrice(const Bid& bid, PriceBasis basis, ApplicableDiscounts discounts) {
  EvaluatedPrice price;
  price.core_weekly_pence = ToWeeklyPence(bid.core_fee_pence, basis);
  price.sibling_basis_points = discounts.sibling_basis_points;
  price.permanence_basis_points = discounts.permanence_basis_points;
  // The discounts add up (5% + 5% = 10%, not 9.75%) and are rounded once, on the total.
  price.discount_pence = ApplyBasisPoints(
      price.core_weekly_pence, discounts.sibling_basis_points + discounts.permanence_basis_points);
  price.additional_services.reserve(bid.additional_services.size());
  for (const AdditionalService& service : bid.additional_services) {
    AdditionalServiceCost cost;
    cost.period_cost_pence = service.units * service.rate_pence;
    // Each line is converted on its own so the breakdown shows a weekly figure per line.
    cost.weekly_cost_pence = ToWeeklyPence(cost.period_cost_pence, basis);
    price.additional_services_weekly_pence += cost.weekly_cost_pence;
    price.additional_services.push_back(cost);
  }
  price.evaluated_weekly_pence =
      price.core_weekly_pence - price.discount_pence + price.additional_services_weekly_pence;
  return price;
}

}  // namespace dps::scoring
