#include "services/scoring/domain/score.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "services/scoring/domain/geo.h"
#include "services/scoring/domain/testing.h"

namespace dps::scoring {
namespace {

using testing::At;
using testing::WorkedExample;

Evaluation EvaluateOrFail(const Competition& competition) {
  absl::StatusOr<Evaluation> evaluation = Evaluate(competition);
  INFO(evaluation.status().ToString());
  REQUIRE(evaluation.ok());
  return *std::move(evaluation);
}

const std::string& IdOf(const Competition& competition, const ScoredBid& bid) {
  return competition.bids[bid.bid_index].id;
}

std::vector<std::string> RankedIds(const Competition& competition, const Evaluation& evaluation) {
  std::vector<std::string> ids;
  for (const ScoredBid& bid : evaluation.bids) {
    if (bid.compliant) ids.push_back(IdOf(competition, bid));
  }
  return ids;
}

const ScoredBid& Find(const Competition& competition, const Evaluation& evaluation,
                      const std::string& id) {
  for (const ScoredBid& bid : evaluation.bids) {
    if (IdOf(competition, bid) == id) return bid;
  }
  FAIL("no bid " << id);
  return evaluation.bids.front();
}

std::string TwoDp(double value) { return absl::StrFormat("%.2f", value); }

TEST_CASE("the worked example of docs/rules.md section 6 scores exactly", "[score]") {
  const Competition competition = WorkedExample();
  const Evaluation evaluation = EvaluateOrFail(competition);

  REQUIRE(evaluation.bids.size() == 4);
  CHECK(evaluation.compliant_count == 2);
  CHECK(evaluation.ranking_final);
  CHECK(evaluation.has_lowest_price);
  CHECK(evaluation.lowest_evaluated_weekly_pence == 380'000);

  const ScoredBid& a = evaluation.bids[0];
  REQUIRE(IdOf(competition, a) == "A");
  CHECK(a.rank == 1);
  CHECK(a.miles_hundredths == 682);
  CHECK(a.band == 5);
  CHECK(a.price.evaluated_weekly_pence == 430'000);
  CHECK(a.points.price == Approx(50.0 * 3800 / 4300).epsilon(1e-12));
  CHECK(TwoDp(a.points.price) == "44.19");
  CHECK(a.points.outcomes == 8.0);
  CHECK(a.points.needs == 7.5);
  CHECK(a.points.features == 2.5);
  CHECK(a.points.location == 5.0);
  CHECK(a.points.core_competency == 16.0);
  CHECK(a.total == Approx(50.0 * 3800 / 4300 + 39.0).epsilon(1e-12));
  CHECK(TwoDp(a.total) == "83.19");
  CHECK(a.needs_marks_met == 3);
  CHECK(a.desirable_marks_met == 1);

  const ScoredBid& b = evaluation.bids[1];
  REQUIRE(IdOf(competition, b) == "B");
  CHECK(b.rank == 2);
  CHECK(b.miles_hundredths == 1993);
  CHECK(b.band == 4);
  CHECK(b.points.price == 50.0);
  CHECK(b.points.outcomes == 6.0);
  CHECK(b.points.needs == 10.0);
  CHECK(b.points.features == 0.0);
  CHECK(b.points.location == 4.0);
  CHECK(b.points.core_competency == 13.0);
  CHECK(b.total == 83.0);
  CHECK(TwoDp(b.total) == "83.00");

  // Excluded bids follow, by id, each with its reason.
  const ScoredBid& c = evaluation.bids[2];
  REQUIRE(IdOf(competition, c) == "C");
  CHECK_FALSE(c.compliant);
  CHECK(c.rank == 0);
  CHECK(c.miles_hundredths == 2763);
  REQUIRE(c.exclusion_reasons.size() == 1);
  CHECK(c.exclusion_reasons[0].code == ExclusionCode::kAboveCeiling);
  CHECK(c.exclusion_reasons[0].detail == "core fee £4,200.00 is above the ceiling £4,100.00");

  const ScoredBid& d = evaluation.bids[3];
  REQUIRE(IdOf(competition, d) == "D");
  CHECK_FALSE(d.compliant);
  CHECK(d.miles_hundredths == 1878);
  REQUIRE(d.exclusion_reasons.size() == 1);
  CHECK(d.exclusion_reasons[0].code == ExclusionCode::kMissingMustHaveFeature);
  CHECK(d.exclusion_reasons[0].detail == "does not meet must-have feature wheelchair-access");
  // D's £3,500 would have been the lowest price; an excluded bid never sets the lowest.
  CHECK(d.price.evaluated_weekly_pence == 350'000);

  REQUIRE(evaluation.parental_choice.size() == 2);
  CHECK(evaluation.parental_choice[0] == 0);
  CHECK(evaluation.parental_choice[1] == 1);
  CHECK(a.in_parental_choice);
  CHECK(b.in_parental_choice);
  CHECK(evaluation.parental_choice_required);
}

TEST_CASE("an excluded bid lists every reason", "[score]") {
  Competition competition = WorkedExample();
  Bid& c = competition.bids[2];
  c.must_have_met = 0;  // drops wheelchair access, already over its ceiling
  c.ineligible_at_close = true;
  c.ineligibility_reason = "suspended on 2025-01-01";
  const Evaluation evaluation = EvaluateOrFail(competition);
  const ScoredBid& scored = evaluation.bids[2];
  REQUIRE(IdOf(competition, scored) == "C");
  REQUIRE(scored.exclusion_reasons.size() == 3);
  CHECK(scored.exclusion_reasons[0].code == ExclusionCode::kMissingMustHaveFeature);
  CHECK(scored.exclusion_reasons[1].code == ExclusionCode::kAboveCeiling);
  CHECK(scored.exclusion_reasons[2].code == ExclusionCode::kNotEligibleAtClose);
  CHECK(scored.exclusion_reasons[2].detail ==
        "establishment was not eligible at close: suspended on 2025-01-01");
}

TEST_CASE("a fee equal to the hard ceiling is compliant", "[score]") {
  Competition competition = WorkedExample();
  competition.bids[2].core_fee_pence = 410'000;
  const Evaluation evaluation = EvaluateOrFail(competition);
  CHECK(evaluation.compliant_count == 3);
}

TEST_CASE("a justification does not excuse a fee above a hard ceiling", "[score]") {
  Competition competition = WorkedExample();
  competition.bids[2].fee_justification = "specialist staffing";
  const Evaluation evaluation = EvaluateOrFail(competition);
  CHECK(evaluation.compliant_count == 2);
}

TEST_CASE("indicative mode: a fee above the indicative price needs a justification", "[score]") {
  Competition competition = WorkedExample();
  competition.ceiling_mode = CeilingMode::kIndicative;
  competition.bids[3].must_have_met = 0b1;  // only C's fee is at issue now

  SECTION("without a justification the bid is excluded") {
    const Evaluation evaluation = EvaluateOrFail(competition);
    CHECK(evaluation.compliant_count == 3);
    const ScoredBid& c = evaluation.bids.back();
    REQUIRE(IdOf(competition, c) == "C");
    CHECK(c.fee_above_ceiling);
    REQUIRE(c.exclusion_reasons.size() == 1);
    CHECK(c.exclusion_reasons[0].code == ExclusionCode::kAboveIndicativeUnjustified);
    CHECK(c.exclusion_reasons[0].detail ==
          "core fee £4,200.00 is above the indicative fee £4,100.00 without a justification");
  }
  SECTION("a blank justification is no justification") {
    competition.bids[2].fee_justification = " \t\n";
    CHECK(EvaluateOrFail(competition).compliant_count == 3);
  }
  SECTION("with a justification the bid is compliant and scored") {
    competition.bids[2].fee_justification = "two-to-one staffing for the first month";
    const Evaluation evaluation = EvaluateOrFail(competition);
    CHECK(evaluation.compliant_count == 4);
    const ScoredBid& c = Find(competition, evaluation, "C");
    CHECK(c.compliant);
    CHECK(c.fee_above_ceiling);
    CHECK(c.rank > 0);
  }
}

TEST_CASE("location bands at the edges, through the whole engine", "[score]") {
  Competition competition = WorkedExample();
  competition.bids.resize(1);
  const GeoPoint child = competition.child_location;
  const double kDegreesPerMile = 180.0 / (3.14159265358979323846 * kEarthRadiusMiles);
  const struct {
    double miles;
    int band;
  } cases[] = {{9.99, 5}, {10.0, 4}, {49.99, 1}, {50.0, 0}};
  for (const auto& edge : cases) {
    // Due north, so the great-circle distance is exactly the latitude difference.
    competition.bids[0].establishment_location = {child.latitude + edge.miles * kDegreesPerMile,
                                                  child.longitude};
    const Evaluation evaluation = EvaluateOrFail(competition);
    INFO("miles " << edge.miles << " computed " << evaluation.bids[0].miles);
    CHECK(evaluation.bids[0].miles_hundredths == std::llround(edge.miles * 100));
    CHECK(evaluation.bids[0].band == edge.band);
    CHECK(evaluation.bids[0].points.location == 5.0 * edge.band / 5);
  }
}

TEST_CASE("the band follows the distance, not the figure shown, at every edge", "[score]") {
  Competition competition = WorkedExample();
  competition.bids.resize(1);
  const GeoPoint child = competition.child_location;
  const double kDegreesPerMile = 180.0 / (3.14159265358979323846 * kEarthRadiusMiles);
  for (int k = 1; k <= 5; ++k) {
    const double edge = 10.0 * k;
    // Both distances are shown as the edge (e.g. 10.00): only the one under it keeps the band.
    const struct {
      double miles;
      int band;
    } sides[] = {{edge - 0.004, kTopLocationBand - k + 1}, {edge + 0.004, kTopLocationBand - k}};
    for (const auto& side : sides) {
      competition.bids[0].establishment_location = {child.latitude + side.miles * kDegreesPerMile,
                                                    child.longitude};
      const Evaluation evaluation = EvaluateOrFail(competition);
      INFO("miles " << side.miles << " computed " << evaluation.bids[0].miles);
      CHECK(evaluation.bids[0].miles_hundredths == std::llround(edge * 100));
      CHECK(evaluation.bids[0].band == side.band);
      CHECK(evaluation.bids[0].points.location == 5.0 * side.band / 5);
    }
  }
}

TEST_CASE("discounts change the evaluated price and so the price score", "[score]") {
  Competition competition = WorkedExample();
  competition.discount_rates = {500, 500, 9};
  competition.sibling_group_size = 2;
  competition.planned_duration_months = 12;
  const Evaluation evaluation = EvaluateOrFail(competition);
  const ScoredBid& a = Find(competition, evaluation, "A");
  const ScoredBid& b = Find(competition, evaluation, "B");
  // A: 4000 - 10% + 300 = 3900; B: 3800 - 10% = 3420.
  CHECK(a.price.discount_pence == 40'000);
  CHECK(a.price.evaluated_weekly_pence == 390'000);
  CHECK(b.price.evaluated_weekly_pence == 342'000);
  CHECK(evaluation.lowest_evaluated_weekly_pence == 342'000);
  CHECK(a.points.price == Approx(50.0 * 3420 / 3900).epsilon(1e-12));
  // A's lead was its quality; B's larger price advantage now puts B first.
  CHECK(b.rank == 1);
  CHECK(a.rank == 2);
}

TEST_CASE("price bases: the same prices quoted weekly, monthly or annually rank alike", "[score]") {
  const Competition weekly = WorkedExample();
  const Evaluation expected = EvaluateOrFail(weekly);

  Competition monthly = weekly;
  monthly.price_basis = PriceBasis::kMonthly;
  Competition annual = weekly;
  annual.price_basis = PriceBasis::kAnnual;
  for (size_t i = 0; i < weekly.bids.size(); ++i) {
    // Whole weeks: a weekly £4,000 is £17,333.33 a month (rounded) and £208,000 a year.
    Bid& m = monthly.bids[i];
    Bid& y = annual.bids[i];
    m.core_fee_pence = weekly.bids[i].core_fee_pence * 52 / 12;
    m.ceiling_fee_pence = weekly.bids[i].ceiling_fee_pence * 52 / 12;
    y.core_fee_pence = weekly.bids[i].core_fee_pence * 52;
    y.ceiling_fee_pence = weekly.bids[i].ceiling_fee_pence * 52;
    for (AdditionalService& service : y.additional_services) service.units *= 52;
    // 10 hours a week is 43.33 hours a month; quote 520 hours a year / 12 months at the rate.
    for (AdditionalService& service : m.additional_services) service.units = 43;
  }
  const Evaluation by_year = EvaluateOrFail(annual);
  const Evaluation by_month = EvaluateOrFail(monthly);
  CHECK(RankedIds(annual, by_year) == RankedIds(weekly, expected));
  CHECK(RankedIds(monthly, by_month) == RankedIds(weekly, expected));
  // Annual figures divide by 52 exactly.
  CHECK(by_year.bids[0].price.core_weekly_pence == 400'000);
  CHECK(by_year.bids[0].price.evaluated_weekly_pence == 430'000);
  CHECK(by_year.bids[0].total == expected.bids[0].total);
  // £17,333.33 x 12 / 52 = £3,999.999 -> £4,000.00; 43 h x £30 x 12 / 52 = £297.69.
  CHECK(by_month.bids[0].price.core_weekly_pence == 400'000);
  CHECK(by_month.bids[0].price.additional_services_weekly_pence == 29'769);
  CHECK(by_month.bids[0].price.evaluated_weekly_pence == 429'769);
  CHECK(by_month.bids[0].ceiling_weekly_pence == 450'000);
}

// Two bids identical but for what each test varies; both compliant.
Competition TwoEqualBids() {
  Competition competition = WorkedExample();
  competition.bids.resize(2);
  Bid& b = competition.bids[1];
  b = competition.bids[0];
  b.id = "B";
  return competition;
}

TEST_CASE("tie-break 1: the higher total ranks first", "[score][tie]") {
  Competition competition = TwoEqualBids();
  competition.bids[1].qualification_score = 81;  // B one fifth of a point higher
  CHECK(RankedIds(competition, EvaluateOrFail(competition)) == std::vector<std::string>{"B", "A"});
}

TEST_CASE("tie-break 2: on equal totals the lower evaluated price ranks first", "[score][tie]") {
  Competition competition = TwoEqualBids();
  Bid& a = competition.bids[0];
  Bid& b = competition.bids[1];
  // A: lowest price 400,000 (50 points), qualification 50 (10 points).
  // B: 500,000 (40 points), qualification 100 (20 points): the same total, more quality.
  a.additional_services.clear();
  b.additional_services.clear();
  a.ceiling_fee_pence = b.ceiling_fee_pence = 600'000;
  a.core_fee_pence = 400'000;
  b.core_fee_pence = 500'000;
  a.qualification_score = 50;
  b.qualification_score = 100;
  b.submitted_at = At(0);  // B is also earlier, and price must still win
  const Evaluation evaluation = EvaluateOrFail(competition);
  REQUIRE(PointsKey(evaluation.bids[0].total) == PointsKey(evaluation.bids[1].total));
  CHECK(RankedIds(competition, evaluation) == std::vector<std::string>{"A", "B"});
}

TEST_CASE("tie-break 4: on equal total and price the earlier submission ranks first",
          "[score][tie]") {
  Competition competition = TwoEqualBids();
  competition.bids[0].submitted_at = At(10);
  competition.bids[1].submitted_at = At(9);
  CHECK(RankedIds(competition, EvaluateOrFail(competition)) == std::vector<std::string>{"B", "A"});
}

TEST_CASE("tie-break 5: otherwise the bid id decides", "[score][tie]") {
  Competition competition = TwoEqualBids();
  competition.bids[0].id = "Z";
  competition.bids[1].id = "M";
  CHECK(RankedIds(competition, EvaluateOrFail(competition)) == std::vector<std::string>{"M", "Z"});
}

TEST_CASE("the ranking order compares each tie-break in turn", "[score][tie]") {
  const RankingKey base{PointsKey(80.0), 400'000, PointsKey(30.0), At(5), "B"};
  RankingKey other = base;

  other.total_key = PointsKey(80.5);  // higher total wins whatever follows
  other.evaluated_weekly_pence = 900'000;
  CHECK(RanksAbove(other, base));
  CHECK_FALSE(RanksAbove(base, other));

  other = base;
  other.evaluated_weekly_pence = 399'999;  // lower price wins on equal totals
  other.quality_key = PointsKey(1.0);
  CHECK(RanksAbove(other, base));

  other = base;
  other.quality_key = PointsKey(30.5);  // higher quality wins on equal total and price
  other.submitted_at = At(50);
  CHECK(RanksAbove(other, base));
  CHECK_FALSE(RanksAbove(base, other));

  other = base;
  other.submitted_at = At(4);  // earlier wins next
  other.bid_id = "Z";
  CHECK(RanksAbove(other, base));

  other = base;
  other.bid_id = "A";  // then the id
  CHECK(RanksAbove(other, base));
  CHECK_FALSE(RanksAbove(base, other));
  CHECK_FALSE(RanksAbove(base, base));
}

TEST_CASE("equal totals reached by different sums tie", "[score][tie]") {
  // 0.1 + 0.2 != 0.3 in doubles; the ranking must not tell such totals apart.
  CHECK(0.1 + 0.2 != 0.3);
  CHECK(PointsKey(0.1 + 0.2) == PointsKey(0.3));
}

// Three bids A, B, C whose totals differ only through the qualification score.
Competition ChoiceOf(std::vector<double> qualification_scores) {
  Competition competition = WorkedExample();
  const Bid a = competition.bids[0];
  competition.bids.clear();
  for (size_t i = 0; i < qualification_scores.size(); ++i) {
    Bid bid = a;
    bid.id = std::string(1, static_cast<char>('A' + i));
    bid.qualification_score = qualification_scores[i];
    competition.bids.push_back(bid);
  }
  return competition;
}

TEST_CASE("parental choice includes a bid exactly 5.0 points below the top", "[score][choice]") {
  // 20 x 81.3 / 100 - 20 x 56.3 / 100 = 5 exactly, but in doubles the totals differ by
  // 5.000000000000014: a naive comparison would wrongly leave B out.
  const Competition competition = ChoiceOf({81.3, 56.3});
  const Evaluation evaluation = EvaluateOrFail(competition);
  REQUIRE(evaluation.bids[0].total - evaluation.bids[1].total > 5.0);
  CHECK(evaluation.parental_choice.size() == 2);
  CHECK(evaluation.bids[1].in_parental_choice);
  CHECK(evaluation.parental_choice_required);
}

TEST_CASE("parental choice leaves out a bid more than 5.0 points below", "[score][choice]") {
  const Competition competition = ChoiceOf({81.3, 56.25});  // 5.01 points below
  const Evaluation evaluation = EvaluateOrFail(competition);
  CHECK(evaluation.parental_choice.size() == 1);
  CHECK_FALSE(evaluation.bids[1].in_parental_choice);
  CHECK_FALSE(evaluation.parental_choice_required);
}

TEST_CASE("parental choice takes at most 3 of four bids within 5 points", "[score][choice]") {
  const Competition competition = ChoiceOf({80, 79, 78, 77});
  const Evaluation evaluation = EvaluateOrFail(competition);
  REQUIRE(evaluation.parental_choice == std::vector<size_t>{0, 1, 2});
  CHECK(IdOf(competition, evaluation.bids[2]) == "C");
  CHECK_FALSE(evaluation.bids[3].in_parental_choice);
}

TEST_CASE("parental choice settings are honoured", "[score][choice]") {
  Competition competition = ChoiceOf({80, 79, 78, 77});
  competition.parental_choice = {true, 4, 0.4};  // 0.2 points apart: B and C within 0.4
  CHECK(EvaluateOrFail(competition).parental_choice.size() == 3);
  competition.parental_choice = {true, 4, 5.0};
  CHECK(EvaluateOrFail(competition).parental_choice.size() == 4);
  competition.parental_choice.enabled = false;
  const Evaluation off = EvaluateOrFail(competition);
  CHECK(off.parental_choice.empty());
  CHECK_FALSE(off.parental_choice_required);
}

TEST_CASE("without outcome scores the ranking is provisional", "[score]") {
  Competition competition = WorkedExample();
  competition.bids[1].outcome_scores.clear();
  Evaluation evaluation = EvaluateOrFail(competition);
  CHECK_FALSE(evaluation.ranking_final);
  const ScoredBid& b = evaluation.bids[1];
  REQUIRE(IdOf(competition, b) == "B");
  CHECK(b.outcomes_pending);
  CHECK(b.points.outcomes == 0.0);
  CHECK(b.total == 77.0);

  // An excluded bid awaiting scores does not hold the ranking up.
  competition = WorkedExample();
  competition.bids[2].outcome_scores.clear();
  CHECK(EvaluateOrFail(competition).ranking_final);

  // With no outcomes weight there is nothing to wait for.
  competition = WorkedExample();
  competition.weights = {50, 0, 10, 5, 15, 20};
  competition.bids[0].outcome_scores.clear();
  CHECK(EvaluateOrFail(competition).ranking_final);
}

TEST_CASE("the outcomes score is the evaluators' mean", "[score]") {
  Competition competition = WorkedExample();
  competition.bids[0].outcome_scores = {3, 4, 4};
  const Evaluation evaluation = EvaluateOrFail(competition);
  const ScoredBid& a = Find(competition, evaluation, "A");
  CHECK(a.outcome_mean == Approx(11.0 / 3));
  CHECK(a.points.outcomes == Approx(10.0 * 11 / 15).epsilon(1e-12));
}

TEST_CASE("no compliant bid: no ranking, no lowest price, no choice", "[score]") {
  Competition competition = WorkedExample();
  for (Bid& bid : competition.bids) bid.must_have_met = 0;
  const Evaluation evaluation = EvaluateOrFail(competition);
  CHECK(evaluation.compliant_count == 0);
  CHECK_FALSE(evaluation.has_lowest_price);
  CHECK(evaluation.parental_choice.empty());
  CHECK(RankedIds(competition, evaluation).empty());
}

TEST_CASE("a free bid takes the full price weight", "[score]") {
  Competition competition = WorkedExample();
  competition.bids[1].core_fee_pence = 0;
  const Evaluation evaluation = EvaluateOrFail(competition);
  CHECK(Find(competition, evaluation, "B").points.price == 50.0);
  CHECK(Find(competition, evaluation, "A").points.price == 0.0);
}

TEST_CASE("the same input gives the same output", "[score]") {
  const Competition competition = WorkedExample();
  const Evaluation first = EvaluateOrFail(competition);
  const Evaluation second = EvaluateOrFail(competition);
  REQUIRE(first.bids.size() == second.bids.size());
  for (size_t i = 0; i < first.bids.size(); ++i) {
    CHECK(first.bids[i].bid_index == second.bids[i].bid_index);
    CHECK(first.bids[i].total == second.bids[i].total);  // bit for bit
  }
}

}  // namespace
}  // namespace dps::scoring
