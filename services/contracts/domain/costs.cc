#include "services/contracts/domain/costs.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "services/contracts/domain/fields.h"

namespace dps::contracts {
namespace {

using platform::Forbidden;
using platform::InvalidField;

// numerator / denominator rounded half up, for numerator >= 0 and denominator > 0.
int64_t DivideRoundHalfUp(int64_t numerator, int64_t denominator) {
  return (2 * numerator + denominator) / (2 * denominator);
}

bool Runs(const AdditionalService& service, const IpaTerms& terms, absl::CivilDay day) {
  const absl::CivilDay first = service.start_date.value_or(*terms.start_date);
  return first <= day && day <= *service.end_date;
}

// The day whose terms price `day`. A placement that started before its first signed version took
// effect (ActivateOn with an earlier day) is priced, from its actual start, as on that first
// effective day: the agreement it started under, brought forward, its services included.
absl::CivilDay PricedDay(const Ipa& ipa, absl::CivilDay day) {
  if (!ipa.actual_start_date || day < *ipa.actual_start_date) return day;
  std::optional<absl::CivilDay> first;
  for (const IpaVersion& version : ipa.versions) {
    if (!version.in_force_at) continue;
    if (!first || version.effective_from < *first) first = version.effective_from;
  }
  return first && day < *first ? *first : day;
}

}  // namespace

WeeklyCost WeeklyCostOfTerms(const IpaTerms& terms, absl::CivilDay day) {
  WeeklyCost cost;
  cost.core_weekly_fee_pence = terms.costs.core_weekly_fee_pence;
  for (const Discount& discount : terms.costs.discounts) {
    cost.discount_basis_points += discount.basis_points;
  }
  // At most kMaxPence x 10,000: inside int64.
  cost.discount_pence =
      DivideRoundHalfUp(cost.core_weekly_fee_pence * cost.discount_basis_points, 10'000);
  for (const AdditionalService& service : terms.costs.additional_services) {
    if (!Runs(service, terms, day)) continue;
    cost.additional_services_pence += service.weekly_pence;
    cost.additional_service_codes.push_back(service.code);
  }
  cost.total_pence =
      cost.core_weekly_fee_pence - cost.discount_pence + cost.additional_services_pence;
  return cost;
}

const IpaVersion* VersionInForceOn(const Ipa& ipa, absl::CivilDay day) {
  const IpaVersion* in_force = nullptr;
  for (const IpaVersion& version : ipa.versions) {
    if (version.in_force_at && version.effective_from <= day) in_force = &version;
  }
  return in_force;
}

absl::StatusOr<WeeklyCost> WeeklyCostOn(const Ipa& ipa, absl::CivilDay day) {
  if (ipa.ended_on && day > *ipa.ended_on) {
    return Forbidden("ipa", absl::StrCat("no cost on ", FormatDay(day), ": the placement ended on ",
                                         FormatDay(*ipa.ended_on)));
  }
  const absl::CivilDay priced = PricedDay(ipa, day);
  const IpaVersion* version = VersionInForceOn(ipa, priced);
  if (version == nullptr) {
    return Forbidden(
        "ipa", absl::StrCat("no version signed by both parties is in force on ", FormatDay(day)));
  }
  WeeklyCost cost = WeeklyCostOfTerms(version->terms, priced);
  cost.version_number = version->number;
  return cost;
}

absl::StatusOr<Spend> SpendToDate(const Ipa& ipa, absl::CivilDay through) {
  if (!ipa.actual_start_date) return Spend{};
  const absl::CivilDay first = *ipa.actual_start_date;
  const absl::CivilDay last = ipa.ended_on ? std::min(through, *ipa.ended_on) : through;
  if (last < first) return Spend{};
  const int64_t days = (last - first) + 1;
  if (days > kMaxSpendDays) {
    return InvalidField("through",
                        absl::StrCat("at most ", kMaxSpendDays,
                                     " days after the start date are counted, got ", days));
  }
  // The weekly cost changes only where a version takes effect or a service starts or stops, so
  // the days are counted in runs between those days rather than one by one.
  std::vector<absl::CivilDay> changes = {first, last + 1};
  for (const IpaVersion& version : ipa.versions) {
    if (!version.in_force_at) continue;
    changes.push_back(version.effective_from);
    for (const AdditionalService& service : version.terms.costs.additional_services) {
      changes.push_back(service.start_date.value_or(*version.terms.start_date));
      changes.push_back(*service.end_date + 1);
    }
  }
  std::sort(changes.begin(), changes.end());
  changes.erase(std::unique(changes.begin(), changes.end()), changes.end());

  int64_t weekly_cost_days = 0;  // the sum over the days of each day's weekly cost
  for (size_t i = 0; i + 1 < changes.size(); ++i) {
    const absl::CivilDay run_start = std::max(changes[i], first);
    const absl::CivilDay run_end = std::min(changes[i + 1] - 1, last);
    if (run_end < run_start) continue;
    absl::StatusOr<WeeklyCost> cost = WeeklyCostOn(ipa, run_start);
    if (!cost.ok()) return cost.status();
    weekly_cost_days += cost->total_pence * ((run_end - run_start) + 1);
  }
  return Spend{days, DivideRoundHalfUp(weekly_cost_days, 7)};
}

}  // namespace dps::contracts
