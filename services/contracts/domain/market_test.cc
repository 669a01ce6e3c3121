// Market intelligence over a small world whose every figure is worked out by hand in the
// comments beside it.
#include "services/contracts/domain/market.h"

#include <catch2/catch.hpp>

namespace dps::contracts {
namespace {

absl::Time At(int y, int m, int d) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, 10, 0, 0), absl::UTCTimeZone());
}

PlacementFact Competed(std::string authority, int64_t price, int64_t ceiling, bool good) {
  PlacementFact p;
  p.source_key = "award/" + std::to_string(price);
  p.kind = PlacementKind::kCompeted;
  p.lot_id = "lot-res";
  p.authority_id = std::move(authority);
  p.region = "RH";
  p.need_codes = {"asd"};
  p.provision_type = ProvisionType::kResidentialHome;
  p.awarded_at = At(2026, 2, 10);
  p.weekly_price_pence = price;
  p.ceiling_weekly_pence = ceiling;
  p.good_or_outstanding = good;
  return p;
}

// Six competed awards in RH (five for West Sussex, one for Brighton), a direct award and a block
// call-off in BN (both Brighton's).
std::vector<PlacementFact> Placements() {
  std::vector<PlacementFact> p = {
      Competed("la-wsx", 90000, 100000, true),   Competed("la-wsx", 100000, 110000, true),
      Competed("la-wsx", 120002, 130000, true),  Competed("la-wsx", 130000, 140000, false),
      Competed("la-wsx", 150000, 160000, false), Competed("la-bh", 200000, 210000, true)};
  // West Sussex's: the first three are active; days run in the period 7, 14, 0, 3, 1.
  const int64_t days[] = {7, 14, 0, 3, 1};
  const int64_t spend[] = {90000, 200000, 0, 55714, 21429};
  for (int i = 0; i < 5; ++i) {
    p[i].active = i < 3;
    p[i].committed_weekly_pence = i < 3 ? p[i].weekly_price_pence : 0;
    p[i].days_in_period = days[i];
    p[i].spend_in_period_pence = spend[i];
  }
  p[0].uplifts_approved_weekly_pence = 5000;
  PlacementFact direct;
  direct.source_key = "direct/1";
  direct.kind = PlacementKind::kDirectAward;
  direct.lot_id = "lot-res";
  direct.authority_id = "la-bh";
  direct.region = "BN";
  direct.awarded_at = At(2026, 3, 1);
  direct.weekly_price_pence = 80000;
  PlacementFact block = direct;
  block.source_key = "block/1";
  block.kind = PlacementKind::kBlockCallOff;
  block.weekly_price_pence = 95000;
  p.push_back(direct);
  p.push_back(block);
  return p;
}

ReferralFact Referral(std::string id, std::string region, std::vector<std::string> needs,
                      ReferralOutcome outcome, absl::Time published) {
  ReferralFact r;
  r.referral_id = std::move(id);
  r.lot_id = "lot-res";
  r.authority_id = "la-wsx";
  r.region = std::move(region);
  r.need_codes = std::move(needs);
  r.outcome = outcome;
  r.published_at = published;
  return r;
}

constexpr MarketWeights kProfileA{40, 20, 20, 10, 5, 5};
constexpr MarketWeights kProfileB{30, 30, 20, 10, 5, 5};

std::vector<ReferralFact> Referrals() {
  ReferralFact r1 =
      Referral("r1", "RH", {"asd", "semh"}, ReferralOutcome::kAwarded, At(2026, 1, 5));
  r1.invitations = 5;
  r1.bids = 3;
  r1.declines = {{"DECLINE_REASON_NO_CAPACITY", 1}};
  r1.placement_started_on = absl::CivilDay(2026, 1, 19);  // 14 days
  r1.weights = kProfileA;
  ReferralFact r2 =
      Referral("r2", "RH", {"asd"}, ReferralOutcome::kNoSuitableOffer, At(2026, 1, 10));
  r2.invitations = 4;
  r2.declines = {{"DECLINE_REASON_NO_CAPACITY", 2}, {"DECLINE_REASON_PRICE", 1}};
  r2.final_invited = 4;
  r2.final_radius_miles = 20;
  r2.reopened = 1;
  r2.weights = kProfileA;
  ReferralFact r3 =
      Referral("r3", "BN", {"semh"}, ReferralOutcome::kNoSuitableOffer, At(2026, 1, 20));
  r3.final_invited = 0;
  r3.final_radius_miles = 30;
  r3.weights = kProfileB;
  ReferralFact r4 = Referral("r4", "BN", {"asd"}, ReferralOutcome::kWithdrawn, At(2026, 2, 3));
  r4.invitations = 2;
  r4.bids = 1;
  r4.weights = kProfileB;
  ReferralFact r5 = Referral("r5", "RH", {"asd"}, ReferralOutcome::kOpen, At(2026, 4, 2));
  r5.invitations = 3;
  r5.bids = 2;
  r5.weights = kProfileA;
  ReferralFact r6 = Referral("r6", "RH", {"semh"}, ReferralOutcome::kAwarded, At(2026, 2, 1));
  r6.invitations = 4;
  r6.bids = 2;
  r6.placement_started_on = absl::CivilDay(2026, 2, 22);  // 21 days
  r6.weights = kProfileB;
  return {r1, r2, r3, r4, r5, r6};
}

TEST_CASE("postcode areas and quarters") {
  CHECK(PostcodeArea("RH12") == "RH");
  CHECK(PostcodeArea("e1") == "E");
  CHECK(PostcodeArea("12AB").empty());
  CHECK(QuarterStart(absl::CivilDay(2026, 3, 31)) == absl::CivilDay(2026, 1, 1));
  CHECK(QuarterStart(absl::CivilDay(2026, 11, 2)) == absl::CivilDay(2026, 10, 1));
}

TEST_CASE("halves round up, below zero too") {
  CHECK(DivideHalfUp(5, 2) == 3);
  CHECK(DivideHalfUp(-5, 2) == -2);
  CHECK(DivideHalfUp(-7, 2) == -3);
  CHECK(DivideHalfUp(250000, 7) == 35714);
}

TEST_CASE("quartiles interpolate between ranks (type 7)") {
  // n = 6: the lower quartile sits at rank 1.25, the median at 2.5, the upper at 3.75.
  const std::vector<int64_t> prices = {90000, 100000, 120002, 130000, 150000, 200000};
  CHECK(QuartilePence(prices, 1) == 105001);  // 100000 + 20002 / 4 = 105000.5, half up
  CHECK(QuartilePence(prices, 2) == 125001);  // (120002 + 130000) / 2
  CHECK(QuartilePence(prices, 3) == 145000);  // 130000 + 3/4 x 20000
  CHECK(QuartilePence({42}, 1) == 42);
}

TEST_CASE("cost benchmarks by region: money withheld below five placements") {
  const std::vector<CostBenchmarkRow> rows =
      CostBenchmarks(Placements(), {MarketDimension::kRegion}, {});
  REQUIRE(rows.size() == 2);
  const CostBenchmarkRow& bn = rows[0];
  CHECK(bn.key.region == "BN");
  CHECK(bn.key.lot_id.empty());
  CHECK(bn.placements == 2);
  CHECK(bn.suppressed);
  CHECK_FALSE(bn.median_weekly_pence);
  CHECK_FALSE(bn.mean_weekly_pence);
  CHECK_FALSE(bn.mean_ceiling_weekly_pence);
  const CostBenchmarkRow& rh = rows[1];
  CHECK(rh.key.region == "RH");
  CHECK(rh.placements == 6);
  CHECK_FALSE(rh.suppressed);
  CHECK(*rh.lower_quartile_weekly_pence == 105001);
  CHECK(*rh.median_weekly_pence == 125001);
  CHECK(*rh.upper_quartile_weekly_pence == 145000);
  CHECK(*rh.mean_weekly_pence == 131667);          // 790002 / 6
  CHECK(*rh.mean_ceiling_weekly_pence == 141667);  // 850000 / 6 = 141666.67
}

TEST_CASE("cost benchmarks by need and provision type count each need once") {
  const std::vector<CostBenchmarkRow> rows =
      CostBenchmarks(Placements(), {MarketDimension::kNeed, MarketDimension::kProvisionType}, {});
  // The direct award and call-off list no need: only the six competed awards, all "asd".
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].key.need_code == "asd");
  CHECK(rows[0].key.provision_type == ProvisionType::kResidentialHome);
  CHECK(rows[0].placements == 6);
}

TEST_CASE("a filter keeps what matches each list, and the period goes by award day") {
  MarketFilter filter;
  filter.authority_ids = {"la-bh"};
  std::vector<CostBenchmarkRow> rows = CostBenchmarks(Placements(), {}, filter);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].placements == 3);
  filter.period = DateRange{absl::CivilDay(2026, 3, 1), absl::CivilDay(2026, 3, 31)};
  rows = CostBenchmarks(Placements(), {MarketDimension::kQuarter}, filter);
  REQUIRE(rows.size() == 1);  // the direct award and the call-off, awarded on 1 March
  CHECK(rows[0].placements == 2);
  CHECK(*rows[0].key.quarter_start == absl::CivilDay(2026, 1, 1));
  filter = {};
  filter.need_codes = {"semh"};
  CHECK(CostBenchmarks(Placements(), {}, filter).empty());
}

TEST_CASE("competition metrics of the whole world") {
  const std::vector<CompetitionRow> rows = CompetitionMetrics(Referrals(), Placements(), {}, {});
  REQUIRE(rows.size() == 1);
  const CompetitionRow& row = rows[0];
  CHECK(row.referrals_published == 6);
  CHECK(row.invitations == 18);  // 5 + 4 + 0 + 2 + 3 + 4
  CHECK(row.bids == 8);          // 3 + 0 + 0 + 1 + 2 + 2
  CHECK(row.bids_per_referral == Approx(8.0 / 6));
  CHECK(row.declines ==
        std::map<std::string, int>{{"DECLINE_REASON_NO_CAPACITY", 3}, {"DECLINE_REASON_PRICE", 1}});
  CHECK(row.awarded == 2);
  CHECK(row.no_suitable_offer == 2);
  CHECK(row.no_offer_rate == Approx(0.4));  // 2 of the 5 that ended (r5 is still open)
  CHECK(row.reopened == 1);
  CHECK(row.median_days_referral_to_placement == Approx(17.5));  // 14 and 21
  CHECK(row.direct_awards == 1);
  CHECK(row.block_call_offs == 1);
}

TEST_CASE("competition metrics by region and quarter") {
  const std::vector<CompetitionRow> rows = CompetitionMetrics(
      Referrals(), Placements(), {MarketDimension::kRegion, MarketDimension::kQuarter}, {});
  // BN Q1 (r3, r4, the direct award and call-off), RH Q1 (r1, r2, r6 and the competed awards,
  // counted through their referrals), RH Q2 (r5).
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].key.region == "BN");
  CHECK(rows[0].referrals_published == 2);
  CHECK(rows[0].no_offer_rate == Approx(0.5));
  CHECK(rows[0].direct_awards == 1);
  CHECK(rows[0].median_days_referral_to_placement == 0);
  CHECK(rows[1].key.region == "RH");
  CHECK(rows[1].referrals_published == 3);
  CHECK(rows[1].median_days_referral_to_placement == Approx(17.5));
  CHECK(rows[1].direct_awards == 0);
  CHECK(*rows[2].key.quarter_start == absl::CivilDay(2026, 4, 1));
  CHECK(rows[2].no_offer_rate == 0);  // nothing ended: no rate
}

TEST_CASE("unmet demand by need: which needs, where") {
  const std::vector<UnmetDemandRow> rows = UnmetDemand(Referrals(), {MarketDimension::kNeed}, {});
  REQUIRE(rows.size() == 2);
  const UnmetDemandRow& asd = rows[0];  // r1, r2, r4, r5
  CHECK(asd.key.need_code == "asd");
  CHECK(asd.referrals == 4);
  CHECK(asd.no_suitable_offer == 1);
  CHECK(asd.with_no_invitee == 0);
  CHECK(asd.mean_final_radius_miles == Approx(20));
  CHECK(asd.declines.at("DECLINE_REASON_NO_CAPACITY") == 3);
  const UnmetDemandRow& semh = rows[1];  // r1, r3, r6
  CHECK(semh.referrals == 3);
  CHECK(semh.no_suitable_offer == 1);
  CHECK(semh.with_no_invitee == 1);
  CHECK(semh.mean_final_radius_miles == Approx(30));

  MarketFilter filter;
  filter.need_codes = {"semh"};
  filter.period = DateRange{absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 1, 31)};
  const std::vector<UnmetDemandRow> january =
      UnmetDemand(Referrals(), {MarketDimension::kNeed, MarketDimension::kRegion}, filter);
  REQUIRE(january.size() == 2);  // r3 in BN, r1 in RH; r6 was published in February
  CHECK(january[0].key.region == "BN");
  CHECK(january[0].no_suitable_offer == 1);
  CHECK(january[1].key.region == "RH");
  CHECK(january[1].no_suitable_offer == 0);
}

TEST_CASE("placement quality: on-system share and Good or Outstanding share") {
  const std::vector<OffSystemFact> off = {
      {"lot-res", "la-wsx", {absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 3, 31)}, 2, {}},
      {"lot-res", "la-wsx", {absl::CivilDay(2025, 1, 1), absl::CivilDay(2025, 3, 31)}, 9, {}}};
  MarketFilter filter;
  filter.period = DateRange{absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 12, 31)};
  std::vector<PlacementQualityRow> rows = PlacementQuality(Placements(), off, {}, filter);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].placements_on_system == 8);
  CHECK(rows[0].placements_off_system == 2);  // 2025's nine are outside the period
  CHECK(rows[0].share_on_system == Approx(0.8));
  CHECK(rows[0].placements_good_or_outstanding == 4);
  CHECK(rows[0].share_good_or_outstanding == Approx(0.5));

  rows = PlacementQuality(Placements(), off, {MarketDimension::kAuthority}, filter);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].key.authority_id == "la-bh");
  CHECK(rows[0].placements_off_system == 0);
  CHECK(rows[0].share_on_system == Approx(1));
  CHECK(rows[1].key.authority_id == "la-wsx");
  CHECK(rows[1].placements_on_system == 5);
  CHECK(rows[1].share_on_system == Approx(5.0 / 7));
  CHECK(rows[1].share_good_or_outstanding == Approx(0.6));

  filter.regions = {"RH"};  // off-system counts know no region
  rows = PlacementQuality(Placements(), off, {}, filter);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].placements_off_system == 0);
}

TEST_CASE("spend and savings per authority") {
  const std::vector<SpendRow> rows =
      SpendAndSavings(Placements(), {MarketDimension::kAuthority}, {});
  REQUIRE(rows.size() == 2);
  const SpendRow& bh = rows[0];
  CHECK(bh.key.authority_id == "la-bh");
  CHECK(bh.placements == 3);
  CHECK(bh.suppressed);
  CHECK_FALSE(bh.committed_weekly_pence);
  CHECK_FALSE(bh.savings_against_ceiling_weekly_pence);
  const SpendRow& wsx = rows[1];
  CHECK(wsx.placements == 5);
  CHECK_FALSE(wsx.suppressed);
  CHECK(wsx.active_placements == 3);
  CHECK(*wsx.committed_weekly_pence == 310002);               // 90000 + 100000 + 120002
  CHECK(*wsx.spend_in_period_pence == 367143);                // 90000 + 200000 + 0 + 55714 + 21429
  CHECK(*wsx.savings_against_ceiling_weekly_pence == 49998);  // 4 x 10000 + 9998
  // (10000 x 7 + 10000 x 14 + 9998 x 0 + 10000 x 3 + 10000 x 1) / 7 = 35714.29
  CHECK(*wsx.savings_against_ceiling_in_period_pence == 35714);
  CHECK(*wsx.uplifts_approved_weekly_pence == 5000);
}

TEST_CASE("spend counts every placement whatever the period") {
  MarketFilter filter;
  filter.period = DateRange{absl::CivilDay(2030, 1, 1), absl::CivilDay(2030, 12, 31)};
  const std::vector<SpendRow> rows = SpendAndSavings(Placements(), {}, filter);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].placements == 8);
}

// Brighton's two blocks in the residential lot. A: 3 places at 100,000 a place-week, reserved
// 1 January to 31 December 2026 but ended early on 31 March; one child called off 1 January and
// ended 31 January, two children from 15 February (planned to 30 June, still placed).
// B: 1 place at 70,001, 1 March 2026 to 28 February 2027, never filled.
std::vector<BlockFact> Blocks() {
  BlockFact a;
  a.block_contract_id = "block-a";
  a.lot_id = "lot-res";
  a.authority_id = "la-bh";
  a.places = 3;
  a.weekly_fee_per_place_pence = 100000;
  a.first_day = absl::CivilDay(2026, 1, 1);
  a.last_day = absl::CivilDay(2026, 3, 31);
  a.call_offs = {
      {"call-1", 1, absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 6, 30),
       absl::CivilDay(2026, 1, 31)},
      {"call-2", 2, absl::CivilDay(2026, 2, 15), absl::CivilDay(2026, 6, 30), std::nullopt}};
  BlockFact b;
  b.block_contract_id = "block-b";
  b.lot_id = "lot-res";
  b.authority_id = "la-bh";
  b.places = 1;
  b.weekly_fee_per_place_pence = 70001;
  b.first_day = absl::CivilDay(2026, 3, 1);
  b.last_day = absl::CivilDay(2027, 2, 28);
  std::vector<BlockFact> blocks = {a, b};
  // The first quarter of 2026.
  for (BlockFact& block : blocks) {
    block.void_place_days_in_period =
        BlockVoidPlaceDays(block, absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 3, 31));
  }
  return blocks;
}

TEST_CASE("void place-days of a block over a period") {
  const std::vector<BlockFact> blocks = Blocks();
  // A, 1 January to 31 March: 90 days x 3 places = 270 reserved; filled 31 x 1 (call-1, January)
  // + 45 x 2 (call-2, 15 February to 31 March) = 121; void 149.
  CHECK(blocks[0].void_place_days_in_period == 149);
  // B: only its March days fall in the quarter, 31 x 1 place, none filled.
  CHECK(blocks[1].void_place_days_in_period == 31);
  // A from 1 March to 30 June: its places end on 31 March, so 31 x 3 = 93 reserved, 31 x 2 filled.
  CHECK(BlockVoidPlaceDays(blocks[0], absl::CivilDay(2026, 3, 1), absl::CivilDay(2026, 6, 30)) ==
        31);
  CHECK(BlockVoidPlaceDays(blocks[0], absl::CivilDay(2027, 1, 1), absl::CivilDay(2027, 3, 31)) ==
        0);
}

TEST_CASE("block void cost in the period, summed in sevenths and rounded once") {
  // 149 x 100,000 + 31 x 70,001 = 14,900,000 + 2,170,031 = 17,070,031 sevenths of a penny;
  // / 7 = 2,438,575.86 -> 2,438,576 (rounded block by block it would be 2,128,571 + 310,004).
  const std::vector<SpendRow> all = SpendAndSavings(Placements(), {}, {}, Blocks());
  REQUIRE(all.size() == 1);
  CHECK(all[0].placements == 8);
  CHECK(*all[0].block_void_cost_in_period_pence == 2438576);
  // By authority: the blocks are Brighton's, whose three placements are too few to show money.
  const std::vector<SpendRow> by_authority =
      SpendAndSavings(Placements(), {MarketDimension::kAuthority}, {}, Blocks());
  REQUIRE(by_authority.size() == 2);
  CHECK(by_authority[0].key.authority_id == "la-bh");
  CHECK_FALSE(by_authority[0].block_void_cost_in_period_pence);
  CHECK(*by_authority[1].block_void_cost_in_period_pence == 0);  // West Sussex has no block
  // A block has no region: a region list leaves it out.
  MarketFilter rh;
  rh.regions = {"RH"};
  CHECK(*SpendAndSavings(Placements(), {}, rh, Blocks())[0].block_void_cost_in_period_pence == 0);
  // Another authority's block alone makes a row of its own, withheld: it has no placements.
  std::vector<BlockFact> blocks = Blocks();
  blocks[1].authority_id = "la-esx";
  const std::vector<SpendRow> with_esx =
      SpendAndSavings(Placements(), {MarketDimension::kAuthority}, {}, blocks);
  REQUIRE(with_esx.size() == 3);
  CHECK(with_esx[1].key.authority_id == "la-esx");
  CHECK(with_esx[1].placements == 0);
  CHECK(with_esx[1].suppressed);
}

TEST_CASE("weight profiles: means and the commonest profile") {
  const std::vector<WeightProfileRow> rows = WeightProfiles(Referrals(), {}, {});
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].referrals == 6);
  CHECK(rows[0].mean_price == Approx(35));     // (3 x 40 + 3 x 30) / 6
  CHECK(rows[0].mean_outcomes == Approx(25));  // (3 x 20 + 3 x 30) / 6
  CHECK(rows[0].mean_core_competency == Approx(5));
  CHECK(rows[0].most_common == kProfileB);  // three each: the smaller profile
}

TEST_CASE("off-system counts are checked field by field") {
  const DateRange q1{absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 3, 31)};
  const OffSystemFact good{"lot-res", "la-wsx", q1, 3, 250000};
  CHECK(ValidateOffSystemCounts({good}).ok());
  CHECK(ValidateOffSystemCounts({}).ok());
  auto message = [](OffSystemFact c, std::vector<OffSystemFact> before = {}) {
    before.push_back(std::move(c));
    const absl::Status s = ValidateOffSystemCounts(before);
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    return std::string(s.message());
  };
  OffSystemFact c = good;
  c.lot_id = "";
  CHECK(message(c) == "counts[0].lot_id: required");
  c = good;
  c.authority_id = "";
  CHECK(message(c) == "authority_id: required");
  c = good;
  c.period = {q1.end, q1.start};
  CHECK(message(c) == "counts[0].period.end: must not be before its start");
  c = good;
  c.placements = -1;
  CHECK(message(c) == "counts[0].placements: must not be negative");
  c = good;
  c.total_weekly_pence = -5;
  CHECK(message(c) == "counts[0].total_weekly.pence: must be 0 to 100000000000");
  CHECK(message(good, {good}) == "counts[1]: repeats the lot and period of an earlier count");
}

TEST_CASE("no facts, no rows") {
  CHECK(CostBenchmarks({}, {MarketDimension::kLot}, {}).empty());
  CHECK(CompetitionMetrics({}, {}, {}, {}).empty());
  CHECK(UnmetDemand({}, {}, {}).empty());
  CHECK(PlacementQuality({}, {}, {}, {}).empty());
  CHECK(SpendAndSavings({}, {}, {}).empty());
  CHECK(WeightProfiles({}, {}, {}).empty());
}

}  // namespace
}  // namespace dps::contracts
