#include "services/contracts/domain/costs.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "services/contracts/domain/ending.h"
#include "services/contracts/domain/fee_uplift.h"
#include "services/contracts/domain/fields.h"
#include "services/contracts/domain/test_fixtures.h"

namespace dps::contracts {
namespace {

using testing::Day;
using testing::FakeRenderer;
using testing::Utc;

// The fixture's terms: core £850.00 less 5% (£42.50) = £807.50, 1:1 support £300.00 a week to
// 30 June 2027, therapy £100.00 a week to 31 March 2029.

TEST_CASE("the weekly cost counts an additional service through its end date and not after") {
  const Ipa ipa = testing::Active();
  const absl::StatusOr<WeeklyCost> last_day = WeeklyCostOn(ipa, Day(2027, 6, 30));
  REQUIRE(last_day.ok());
  CHECK(last_day->version_number == 1);
  CHECK(last_day->core_weekly_fee_pence == 85'000);
  CHECK(last_day->discount_basis_points == 500);
  CHECK(last_day->discount_pence == 4'250);
  CHECK(last_day->additional_services_pence == 40'000);
  CHECK(last_day->additional_service_codes == std::vector<std::string>{"1to1-support", "therapy"});
  CHECK(last_day->total_pence == 120'750);

  const absl::StatusOr<WeeklyCost> expired = WeeklyCostOn(ipa, Day(2027, 7, 1));
  REQUIRE(expired.ok());
  CHECK(expired->additional_service_codes == std::vector<std::string>{"therapy"});
  CHECK(expired->total_pence == 90'750);  // 85,000 - 4,250 + 10,000
}

TEST_CASE("discounts add up and are rounded once, half up, on the core fee") {
  IpaTerms terms = testing::ValidTerms();
  terms.costs.core_weekly_fee_pence = 85'001;
  terms.costs.discounts = {{DiscountKind::kSibling, 500}, {DiscountKind::kPermanence, 500}};
  terms.costs.additional_services.clear();
  const WeeklyCost cost = WeeklyCostOfTerms(terms, Day(2027, 5, 1));
  CHECK(cost.discount_basis_points == 1'000);
  CHECK(cost.discount_pence == 8'500);  // 8,500.1 rounds to 8,500
  CHECK(cost.total_pence == 76'501);
}

TEST_CASE("no weekly cost before a signed version governs or after the placement ended") {
  const Ipa active = testing::Active();
  CHECK(WeeklyCostOn(active, Day(2027, 3, 31)).status().code() ==
        absl::StatusCode::kFailedPrecondition);
  CHECK(WeeklyCostOn(testing::Issued(), Day(2027, 4, 1)).status().code() ==
        absl::StatusCode::kFailedPrecondition);
  const Ipa ended = testing::Ended();
  CHECK(WeeklyCostOn(ended, Day(2027, 4, 2)).ok());
  CHECK(testing::Message(WeeklyCostOn(ended, Day(2027, 4, 3)).status()) ==
        "ipa: no cost on 2027-04-03: the placement ended on 2027-04-02");
}

TEST_CASE("spend to date, worked by hand across the end of an additional service") {
  const Ipa ipa = testing::Active();
  // 1 April to 30 June: 91 days at £1,207.50 a week = 10,988,250 weekly-pence-days;
  // 1 to 3 July: 3 days at £907.50 a week = 272,250; together 11,260,500.
  // / 7 = 1,608,642.857... pence, rounded once to £16,086.43.
  const absl::StatusOr<Spend> spend = SpendToDate(ipa, Day(2027, 7, 3));
  REQUIRE(spend.ok());
  CHECK(spend->days == 94);
  CHECK(spend->pence == 1'608'643);

  // One day at £907.50 a week costs 90,750 / 7 = 12,964.28..., not a whole penny: a day-by-day
  // sum of rounded days would drift; the once-rounded total does not.
  // Seven days at £1,207.50 a week cost exactly £1,207.50.
  CHECK(SpendToDate(ipa, Day(2027, 4, 7))->pence == 120'750);
  CHECK(SpendToDate(ipa, Day(2027, 4, 1))->pence == 17'250);  // 120,750 / 7 exactly
}

TEST_CASE("spend is zero before the start and for an IPA that never started") {
  CHECK(SpendToDate(testing::Active(), Day(2027, 3, 31))->pence == 0);
  CHECK(SpendToDate(testing::Signed(), Day(2027, 6, 1))->pence == 0);
  CHECK(SpendToDate(testing::Issued(), Day(2027, 6, 1))->days == 0);
}

TEST_CASE("spend stops on the day the placement ended") {
  const Ipa ended = testing::Ended();  // 1 and 2 April 2027
  const absl::StatusOr<Spend> spend = SpendToDate(ended, Day(2027, 12, 31));
  REQUIRE(spend.ok());
  CHECK(spend->days == 2);
  CHECK(spend->pence == 34'500);  // 2 x 120,750 / 7
}

TEST_CASE("spend follows each version from its effective date") {
  Ipa ipa = testing::Active();
  absl::StatusOr<FeeUplift> uplift =
      RequestFeeUplift(ipa, {}, "uplift-1", {90'000, Day(2027, 5, 1), "Carer fees rose in April"},
                       testing::ProviderUser(), testing::AfterStart());
  REQUIRE(uplift.ok());
  REQUIRE(DecideFeeUplift(*uplift, ipa, {UpliftState::kApproved, 0, "Evidence accepted"},
                          FakeRenderer(), testing::Commissioner(),
                          testing::AfterStart()) == absl::OkStatus());
  testing::SignBoth(ipa, Utc(2027, 4, 10));
  CHECK(WeeklyCostOn(ipa, Day(2027, 4, 30))->total_pence == 120'750);
  const absl::StatusOr<WeeklyCost> uplifted = WeeklyCostOn(ipa, Day(2027, 5, 1));
  CHECK(uplifted->version_number == 2);
  CHECK(uplifted->total_pence == 125'500);  // 90,000 - 4,500 + 30,000 + 10,000
  // 30 days x 120,750 + 2 days x 125,500 = 3,873,500; / 7 = 553,357.14... -> 553,357.
  CHECK(SpendToDate(ipa, Day(2027, 5, 2))->pence == 553'357);
}

TEST_CASE("spend counts from an actual start later than planned") {
  Ipa ipa = testing::Signed();  // planned 1 April 2027, 120,750 a week
  REQUIRE(ActivateOn(ipa, Day(2027, 4, 5), testing::Officer(), Utc(2027, 4, 6)) ==
          absl::OkStatus());
  CHECK(SpendToDate(ipa, Day(2027, 4, 4))->pence == 0);
  // 5 to 11 April: 7 days x 120,750 / 7.
  const absl::StatusOr<Spend> week = SpendToDate(ipa, Day(2027, 4, 11));
  CHECK(week->days == 7);
  CHECK(week->pence == 120'750);
}

TEST_CASE("an actual start earlier than planned is costed from that day at the agreed terms") {
  Ipa ipa = testing::Signed();
  REQUIRE(ActivateOn(ipa, Day(2027, 3, 25), testing::Officer(), Utc(2027, 3, 26)) ==
          absl::OkStatus());
  // The week before the planned start costs what the planned first day costs, 1:1 support
  // included (it runs from the placement's start).
  const absl::StatusOr<WeeklyCost> early = WeeklyCostOn(ipa, Day(2027, 3, 25));
  REQUIRE(early.ok());
  CHECK(early->version_number == 1);
  CHECK(early->total_pence == 120'750);
  CHECK(WeeklyCostOn(ipa, Day(2027, 3, 24)).status().code() ==
        absl::StatusCode::kFailedPrecondition);
  // 25 March to 1 April: 8 days x 120,750 = 966,000; / 7 = 138,000.
  const absl::StatusOr<Spend> spend = SpendToDate(ipa, Day(2027, 4, 1));
  CHECK(spend->days == 8);
  CHECK(spend->pence == 138'000);
}

TEST_CASE("spend at the largest weekly cost over the longest span stays exact") {
  Ipa ipa = testing::Draft();
  IpaTerms terms = testing::ValidTerms();
  terms.costs.core_weekly_fee_pence = kMaxPence;
  terms.costs.discounts.clear();
  terms.costs.additional_services.clear();
  ipa.draft = terms;  // the award's own fee, set as CreateIpa would
  REQUIRE(Issue(ipa, FakeRenderer(), testing::Officer(), testing::Now()) == absl::OkStatus());
  testing::SignBoth(ipa);
  REQUIRE(Activate(ipa, Utc(2027, 4, 1)) == absl::OkStatus());
  const Day last = Day(2027, 4, 1) + (kMaxSpendDays - 1);
  const absl::StatusOr<Spend> spend = SpendToDate(ipa, last);
  REQUIRE(spend.ok());
  CHECK(spend->days == kMaxSpendDays);
  CHECK(spend->pence == (kMaxPence * kMaxSpendDays * 2 + 7) / 14);
  CHECK(SpendToDate(ipa, last + 1).status().code() == absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace dps::contracts
