#include "services/scoring/domain/price.h"

#include <catch2/catch.hpp>

namespace dps::scoring {
namespace {

TEST_CASE("weekly prices are taken as they are", "[price]") {
  CHECK(ToWeeklyPence(400'000, PriceBasis::kWeekly) == 400'000);
}

TEST_CASE("monthly prices convert x 12 / 52, rounded half up", "[price]") {
  CHECK(ToWeeklyPence(100'000, PriceBasis::kMonthly) == 23'077);     // 23076.92
  CHECK(ToWeeklyPence(1'733'333, PriceBasis::kMonthly) == 400'000);  // 399999.92
  CHECK(ToWeeklyPence(13, PriceBasis::kMonthly) == 3);               // exactly 3
  CHECK(ToWeeklyPence(15, PriceBasis::kMonthly) == 3);               // 3.46 rounds down
  CHECK(ToWeeklyPence(0, PriceBasis::kMonthly) == 0);
  // No monthly amount lands exactly on a half penny (3m / 13 = k + 1/2 has no whole m).
}

TEST_CASE("annual prices convert / 52, rounded half up", "[price]") {
  CHECK(ToWeeklyPence(20'800'000, PriceBasis::kAnnual) == 400'000);
  CHECK(ToWeeklyPence(20'800'025, PriceBasis::kAnnual) == 400'000);  // 400000.48
  CHECK(ToWeeklyPence(20'800'026, PriceBasis::kAnnual) == 400'001);  // 400000.5 rounds up
  CHECK(ToWeeklyPence(20'800'027, PriceBasis::kAnnual) == 400'001);
}

TEST_CASE("basis points round half up to whole pence", "[price]") {
  CHECK(ApplyBasisPoints(400'000, 500) == 20'000);
  CHECK(ApplyBasisPoints(100'005, 500) == 5'000);  // 5000.25
  CHECK(ApplyBasisPoints(100'010, 500) == 5'001);  // 5000.5
  CHECK(ApplyBasisPoints(123, 0) == 0);
}

TEST_CASE("money is formatted as pounds for people", "[price]") {
  CHECK(FormatPounds(0) == "£0.00");
  CHECK(FormatPounds(5) == "£0.05");
  CHECK(FormatPounds(420'000) == "£4,200.00");
  CHECK(FormatPounds(123'456'789) == "£1,234,567.89");
  CHECK(FormatPounds(99'999) == "£999.99");
}

Competition WithTerms(int sibling_group_size, int planned_duration_months) {
  Competition competition;
  competition.discount_rates = {500, 500, 9};
  competition.sibling_group_size = sibling_group_size;
  competition.planned_duration_months = planned_duration_months;
  return competition;
}

Bid FeeOf(int64_t core_fee_pence) {
  Bid bid;
  bid.core_fee_pence = core_fee_pence;
  bid.additional_services = {{10, 3'000}};
  return bid;
}

TEST_CASE("no discount for one child on a short placement", "[price]") {
  const ApplicableDiscounts d = DiscountsFor(WithTerms(1, 8));
  CHECK(d.sibling_basis_points == 0);
  CHECK(d.permanence_basis_points == 0);
  const EvaluatedPrice price = EvaluatePrice(FeeOf(400'000), PriceBasis::kWeekly, d);
  CHECK(price.discount_pence == 0);
  CHECK(price.evaluated_weekly_pence == 430'000);
}

TEST_CASE("sibling discount only", "[price]") {
  const ApplicableDiscounts d = DiscountsFor(WithTerms(2, 8));
  CHECK(d.sibling_basis_points == 500);
  CHECK(d.permanence_basis_points == 0);
  const EvaluatedPrice price = EvaluatePrice(FeeOf(400'000), PriceBasis::kWeekly, d);
  CHECK(price.discount_pence == 20'000);
  // The discount is off the core fee only, not the additional services.
  CHECK(price.evaluated_weekly_pence == 400'000 - 20'000 + 30'000);
}

TEST_CASE("permanence discount only, from 9 months", "[price]") {
  const ApplicableDiscounts d = DiscountsFor(WithTerms(1, 9));
  CHECK(d.sibling_basis_points == 0);
  CHECK(d.permanence_basis_points == 500);
  const EvaluatedPrice price = EvaluatePrice(FeeOf(400'000), PriceBasis::kWeekly, d);
  CHECK(price.evaluated_weekly_pence == 410'000);
}

TEST_CASE("sibling and permanence discounts add up: 5% + 5% = 10%", "[price]") {
  const ApplicableDiscounts d = DiscountsFor(WithTerms(3, 12));
  const EvaluatedPrice price = EvaluatePrice(FeeOf(400'000), PriceBasis::kWeekly, d);
  CHECK(price.sibling_basis_points == 500);
  CHECK(price.permanence_basis_points == 500);
  CHECK(price.discount_pence == 40'000);  // 10%, not 9.75% (39,000)
  CHECK(price.evaluated_weekly_pence == 400'000 - 40'000 + 30'000);
}

TEST_CASE("the lot's permanence threshold and residential rate are honoured", "[price]") {
  Competition competition = WithTerms(1, 6);
  competition.discount_rates = {0, 300, 6};  // 3% permanence, as for residential lots
  const EvaluatedPrice price =
      EvaluatePrice(FeeOf(400'000), PriceBasis::kWeekly, DiscountsFor(competition));
  CHECK(price.discount_pence == 12'000);
}

TEST_CASE("monthly bids convert core fee and each additional service line", "[price]") {
  Bid bid;
  bid.core_fee_pence = 1'733'333;           // £17,333.33 a month
  bid.additional_services = {{4, 13'000}};  // 4 x £130 = £520 a month
  const EvaluatedPrice price = EvaluatePrice(bid, PriceBasis::kMonthly, {});
  CHECK(price.core_weekly_pence == 400'000);
  REQUIRE(price.additional_services.size() == 1);
  CHECK(price.additional_services[0].period_cost_pence == 52'000);
  CHECK(price.additional_services[0].weekly_cost_pence == 12'000);
  CHECK(price.evaluated_weekly_pence == 412'000);
}

TEST_CASE("annual bids convert core fee and additional services", "[price]") {
  Bid bid;
  bid.core_fee_pence = 20'800'000;
  bid.additional_services = {{2, 52'000}};
  const EvaluatedPrice price = EvaluatePrice(bid, PriceBasis::kAnnual, {});
  CHECK(price.core_weekly_pence == 400'000);
  CHECK(price.additional_services_weekly_pence == 2'000);
  CHECK(price.evaluated_weekly_pence == 402'000);
}

}  // namespace
}  // namespace dps::scoring
