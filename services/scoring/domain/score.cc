#include "services/scoring/domain/score.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/scoring/domain/geo.h"
#include "services/scoring/domain/price.h"
#include "services/scoring/domain/validate.h"

namespace dps::scoring {

namespace {

// The marks of each entry of a referral list, and their sum, for summing a bid's bitset.
struct MarksTable {
  std::vector<int> marks;
  int total = 0;
};

MarksTable TableOf(const std::vector<MarkedCode>& codes) {
  MarksTable table;
  table.marks.reserve(codes.size());
  for (const MarkedCode& code : codes) {
    table.marks.push_back(code.marks);
    table.total += code.marks;
  }
  return table;
}

int MarksMet(const MarksTable& table, uint64_t mask) {
  int met = 0;
  for (; mask != 0; mask &= mask - 1) met += table.marks[__builtin_ctzll(mask)];
  return met;
}

// Bits 0..count-1 set; count may be 64.
uint64_t AllOf(size_t count) { return count >= 64 ? ~uint64_t{0} : (uint64_t{1} << count) - 1; }

void CheckCompliance(const Competition& competition, const Bid& bid, ScoredBid& scored) {
  // Reasons are strings, built only for bids that fail: compliant bids allocate nothing here.
  for (uint64_t missing = AllOf(competition.must_have_features.size()) & ~bid.must_have_met;
       missing != 0; missing &= missing - 1) {
    scored.exclusion_reasons.push_back(
        {ExclusionCode::kMissingMustHaveFeature,
         absl::StrCat("does not meet must-have feature ",
                      competition.must_have_features[__builtin_ctzll(missing)])});
  }
  // Compared as quoted (same basis, before discounts): exact, with no rounding to argue over.
  scored.fee_above_ceiling = bid.core_fee_pence > bid.ceiling_fee_pence;
  if (scored.fee_above_ceiling) {
    if (competition.ceiling_mode == CeilingMode::kHard) {
      scored.exclusion_reasons.push_back(
          {ExclusionCode::kAboveCeiling,
           absl::StrCat("core fee ", FormatPounds(bid.core_fee_pence), " is above the ceiling ",
                        FormatPounds(bid.ceiling_fee_pence))});
    } else if (absl::StripAsciiWhitespace(bid.fee_justification).empty()) {
      scored.exclusion_reasons.push_back(
          {ExclusionCode::kAboveIndicativeUnjustified,
           absl::StrCat("core fee ", FormatPounds(bid.core_fee_pence),
                        " is above the indicative fee ", FormatPounds(bid.ceiling_fee_pence),
                        " without a justification")});
    }
  }
  if (bid.ineligible_at_close) {
    scored.exclusion_reasons.push_back(
        {ExclusionCode::kNotEligibleAtClose,
         bid.ineligibility_reason.empty()
             ? std::string("establishment was not eligible at close")
             : absl::StrCat("establishment was not eligible at close: ",
                            bid.ineligibility_reason)});
  }
  scored.compliant = scored.exclusion_reasons.empty();
}

// Everything about a bid that does not depend on the other bids.
ScoredBid Assess(const Competition& competition, size_t index, ApplicableDiscounts discounts,
                 const MarksTable& needs, const MarksTable& desirable) {
  const Bid& bid = competition.bids[index];
  ScoredBid scored;
  scored.bid_index = index;
  CheckCompliance(competition, bid, scored);
  scored.price = EvaluatePrice(bid, competition.price_basis, discounts);
  scored.ceiling_weekly_pence = ToWeeklyPence(bid.ceiling_fee_pence, competition.price_basis);

  scored.miles = HaversineMiles(competition.child_location, bid.establishment_location);
  scored.miles_hundredths = RoundMilesToHundredths(scored.miles);
  scored.band = LocationBand(scored.miles);
  scored.needs_marks_met = MarksMet(needs, bid.needs_met);
  scored.desirable_marks_met = MarksMet(desirable, bid.desirable_met);
  scored.outcomes_pending = bid.outcome_scores.empty();
  if (!scored.outcomes_pending) {
    int sum = 0;
    for (int score : bid.outcome_scores) sum += score;
    scored.outcome_mean = static_cast<double>(sum) / bid.outcome_scores.size();
  }
  return scored;
}

// Criterion points of a compliant bid. Each is weight x a fraction in [0, 1]; the fraction is
// computed in one fixed order of operations so every run gives the same bits.
void ScorePoints(const Competition& competition, const MarksTable& needs,
                 const MarksTable& desirable, int64_t lowest_pence, ScoredBid& scored) {
  const Weights& w = competition.weights;
  const Bid& bid = competition.bids[scored.bid_index];
  CriterionPoints& points = scored.points;
  const int64_t price = scored.price.evaluated_weekly_pence;
  // A free bid is the lowest (lowest is then 0 too) and takes the full price weight.
  points.price = price == 0 ? w.price : static_cast<double>(w.price) * lowest_pence / price;
  points.outcomes = static_cast<double>(w.outcomes) * scored.outcome_mean / 5.0;
  if (needs.total > 0) {
    points.needs = static_cast<double>(w.needs) * scored.needs_marks_met / needs.total;
  }
  if (desirable.total > 0) {
    points.features =
        static_cast<double>(w.features) * scored.desirable_marks_met / desirable.total;
  }
  points.location = static_cast<double>(w.location) * scored.band / kTopLocationBand;
  points.core_competency = static_cast<double>(w.core_competency) * bid.qualification_score / 100.0;
  scored.total_quality =
      points.outcomes + points.needs + points.features + points.location + points.core_competency;
  scored.total = points.price + scored.total_quality;
}

// A bid's place in the ranking: its key and where its ScoredBid is.
struct Ranked {
  RankingKey key;
  size_t scored_index;
};

}  // namespace

int64_t PointsKey(double points) { return std::llround(points / kPointsPerKeyUnit); }

bool RanksAbove(const RankingKey& a, const RankingKey& b) {
  if (a.total_key != b.total_key) return a.total_key > b.total_key;
  if (a.evaluated_weekly_pence != b.evaluated_weekly_pence) {
    return a.evaluated_weekly_pence < b.evaluated_weekly_pence;
  }
  if (a.quality_key != b.quality_key) return a.quality_key > b.quality_key;
  if (a.submitted_at != b.submitted_at) return a.submitted_at < b.submitted_at;
  return a.bid_id < b.bid_id;
}

absl::StatusOr<Evaluation> Evaluate(const Competition& competition, const Limits& limits) {
  if (absl::Status valid = ValidateCompetition(competition, limits); !valid.ok()) return valid;

  const ApplicableDiscounts discounts = DiscountsFor(competition);
  const MarksTable needs = TableOf(competition.needs);
  const MarksTable desirable = TableOf(competition.desirable_features);

  std::vector<ScoredBid> scored;
  scored.reserve(competition.bids.size());
  for (size_t i = 0; i < competition.bids.size(); ++i) {
    scored.push_back(Assess(competition, i, discounts, needs, desirable));
  }

  Evaluation evaluation;
  evaluation.needs_marks_total = needs.total;
  evaluation.desirable_marks_total = desirable.total;
  for (const ScoredBid& bid : scored) {
    if (!bid.compliant) continue;
    const int64_t price = bid.price.evaluated_weekly_pence;
    if (!evaluation.has_lowest_price || price < evaluation.lowest_evaluated_weekly_pence) {
      evaluation.lowest_evaluated_weekly_pence = price;
      evaluation.has_lowest_price = true;
    }
  }

  std::vector<Ranked> ranked;
  std::vector<size_t> excluded;
  ranked.reserve(scored.size());
  for (size_t i = 0; i < scored.size(); ++i) {
    ScoredBid& bid = scored[i];
    if (!bid.compliant) {
      excluded.push_back(i);
      continue;
    }
    ScorePoints(competition, needs, desirable, evaluation.lowest_evaluated_weekly_pence, bid);
    // With no outcomes weight there is nothing for evaluators to add, so nothing is pending.
    if (bid.outcomes_pending && competition.weights.outcomes > 0) evaluation.ranking_final = false;
    const Bid& input = competition.bids[i];
    ranked.push_back({{PointsKey(bid.total), bid.price.evaluated_weekly_pence,
                       PointsKey(bid.total_quality), input.submitted_at, input.id},
                      i});
  }
  std::sort(ranked.begin(), ranked.end(),
            [](const Ranked& a, const Ranked& b) { return RanksAbove(a.key, b.key); });
  std::sort(excluded.begin(), excluded.end(),
            [&](size_t a, size_t b) { return competition.bids[a].id < competition.bids[b].id; });

  evaluation.bids.reserve(scored.size());
  for (size_t r = 0; r < ranked.size(); ++r) {
    ScoredBid& bid = scored[ranked[r].scored_index];
    bid.rank = static_cast<int>(r) + 1;
    evaluation.bids.push_back(std::move(bid));
  }
  evaluation.compliant_count = static_cast<int>(ranked.size());
  for (size_t i : excluded) evaluation.bids.push_back(std::move(scored[i]));

  const ParentalChoiceSettings& choice = competition.parental_choice;
  if (choice.enabled && !ranked.empty()) {
    const int64_t within = PointsKey(choice.within_points);
    // Inclusive: a bid exactly within_points below the top is in the set.
    for (size_t r = 0; r < ranked.size() && r < static_cast<size_t>(choice.max_bids); ++r) {
      if (ranked.front().key.total_key - ranked[r].key.total_key > within) break;
      evaluation.bids[r].in_parental_choice = true;
      evaluation.parental_choice.push_back(r);
    }
    evaluation.parental_choice_required = evaluation.parental_choice.size() >= 2;
  }
  return evaluation;
}

}  // namespace dps::scoring
