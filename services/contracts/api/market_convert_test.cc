// The market intelligence messages both ways: bad input named by field, money withheld where a
// row withholds it, keys and counts as the API spells them.
#include "services/contracts/api/market_convert.h"

#include <catch2/catch.hpp>

namespace dps::contracts {
namespace {

namespace common = ::dps::common::v1;

void SetDay(common::Date* date, int y, int m, int d) {
  date->set_year(y);
  date->set_month(m);
  date->set_day(d);
}

std::string QueryError(const mv1::MiScope& scope, std::vector<int> group_by = {}) {
  google::protobuf::RepeatedField<int> dims(group_by.begin(), group_by.end());
  absl::StatusOr<MarketQuery> query = MarketQueryFromProto(scope, dims);
  REQUIRE(query.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(query.status().message());
}

TEST_CASE("a report's scope and grouping") {
  mv1::MiScope scope;
  scope.set_system_id("sys-1");
  scope.add_lot_ids("lot-res");
  scope.add_authority_ids("la-wsx");
  scope.add_need_codes("asd");
  scope.add_regions("RH");
  SetDay(scope.mutable_period()->mutable_start(), 2027, 1, 1);
  SetDay(scope.mutable_period()->mutable_end(), 2027, 3, 31);
  google::protobuf::RepeatedField<int> dims;
  dims.Add(mv1::DIMENSION_NEED);
  dims.Add(mv1::DIMENSION_QUARTER);
  absl::StatusOr<MarketQuery> query = MarketQueryFromProto(scope, dims);
  REQUIRE(query.ok());
  CHECK(query->system_id == "sys-1");
  CHECK(query->filter.lot_ids == std::vector<std::string>{"lot-res"});
  CHECK(query->filter.authority_ids == std::vector<std::string>{"la-wsx"});
  CHECK(query->filter.need_codes == std::vector<std::string>{"asd"});
  CHECK(query->filter.regions == std::vector<std::string>{"RH"});
  CHECK(query->filter.period == DateRange{absl::CivilDay(2027, 1, 1), absl::CivilDay(2027, 3, 31)});
  CHECK(query->group_by == MarketDimensions{MarketDimension::kNeed, MarketDimension::kQuarter});

  CHECK(QueryError(scope, {mv1::DIMENSION_LOT, 0}) == "group_by[1]: required");
  CHECK(QueryError(scope, {99}) == "group_by[0]: unknown value 99");
  mv1::MiScope reversed = scope;
  SetDay(reversed.mutable_period()->mutable_end(), 2026, 12, 31);
  CHECK(QueryError(reversed) == "scope.period.end: must not be before its start");
  mv1::MiScope half = scope;
  half.mutable_period()->clear_end();
  CHECK(QueryError(half) == "scope.period.end: required");
  mv1::MiScope impossible = scope;
  SetDay(impossible.mutable_period()->mutable_start(), 2027, 13, 1);
  CHECK(QueryError(impossible).rfind("scope.period.start: ", 0) == 0);
  mv1::MiScope open;
  absl::StatusOr<MarketQuery> none = MarketQueryFromProto(open, {});
  REQUIRE(none.ok());
  CHECK_FALSE(none->filter.period);
}

TEST_CASE("off-system counts") {
  mv1::ReportOffSystemPlacementsRequest request;
  mv1::OffSystemPlacementCount* c = request.add_counts();
  c->set_lot_id("lot-res");
  SetDay(c->mutable_period()->mutable_start(), 2027, 1, 1);
  SetDay(c->mutable_period()->mutable_end(), 2027, 3, 31);
  c->set_placements(3);
  c->mutable_total_weekly()->set_pence(250000);
  request.add_counts()->set_lot_id("lot-ifa");
  absl::StatusOr<std::vector<OffSystemFact>> counts = OffSystemCountsFromProto(request);
  CHECK(counts.status().message() == "counts[1].period: required");
  request.mutable_counts()->RemoveLast();
  counts = OffSystemCountsFromProto(request);
  REQUIRE(counts.ok());
  REQUIRE(counts->size() == 1);
  CHECK((*counts)[0].lot_id == "lot-res");
  CHECK((*counts)[0].placements == 3);
  CHECK((*counts)[0].total_weekly_pence == 250000);
  request.mutable_counts(0)->clear_total_weekly();
  CHECK_FALSE((*OffSystemCountsFromProto(request))[0].total_weekly_pence);
}

TEST_CASE("rows as the API answers them") {
  CostBenchmarkRow withheld;
  withheld.key.region = "BN";
  withheld.key.provision_type = ProvisionType::kResidentialHome;
  withheld.key.quarter_start = absl::CivilDay(2027, 1, 1);
  withheld.placements = 2;
  withheld.suppressed = true;
  mv1::CostBenchmark cost;
  MarketRowToProto(withheld, &cost);
  CHECK(cost.key().region() == "BN");
  CHECK(cost.key().provision_type() == common::PROVISION_TYPE_RESIDENTIAL_HOME);
  CHECK(cost.key().quarter_start().month() == 1);
  CHECK(cost.suppressed());
  CHECK_FALSE(cost.has_median_weekly());
  CHECK_FALSE(cost.has_mean_ceiling_weekly());

  SpendRow spend;
  spend.committed_weekly_pence = 460000;
  spend.savings_against_ceiling_weekly_pence = -500;
  spend.block_void_cost_in_period_pence = 674286;
  mv1::SpendAndSavings spent;
  MarketRowToProto(spend, &spent);
  CHECK(spent.committed_weekly().pence() == 460000);
  CHECK(spent.block_void_cost_in_period().pence() == 674286);
  CHECK(spent.savings_against_ceiling_weekly().pence() == -500);
  CHECK_FALSE(spent.has_spend_in_period());
  CHECK(spent.key().provision_type() == common::PROVISION_TYPE_UNSPECIFIED);
  CHECK_FALSE(spent.key().has_quarter_start());

  UnmetDemandRow unmet;
  unmet.declines = {{"DECLINE_REASON_PRICE", 2}};
  mv1::UnmetDemand demand;
  MarketRowToProto(unmet, &demand);
  REQUIRE(demand.declines_size() == 1);
  CHECK(demand.declines(0).reason() == "DECLINE_REASON_PRICE");
  CHECK(demand.declines(0).count() == 2);

  WeightProfileRow weights;
  weights.most_common = {30, 30, 20, 10, 5, 5};
  mv1::WeightProfile profile;
  MarketRowToProto(weights, &profile);
  CHECK(profile.most_common().outcomes() == 30);
  CHECK(profile.most_common().core_competency() == 5);
}

}  // namespace
}  // namespace dps::contracts
