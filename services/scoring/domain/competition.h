// The scoring engine's input and output, as plain C++ values (docs/rules.md section 6).
//
// A Competition is everything one mini-competition needs: weights, the child's location, the
// referral's needs and features, the lot's terms and the bids. An Evaluation is the engine's
// answer: every bid's compliance, criterion scores with the inputs each used, the rank, whether the
// ranking is final, and the parental-choice set. Money is integer pence throughout.
//
// These types carry no transport: api/proto_convert.h maps them to and from dps.scoring.v1.
#ifndef DPS_SERVICES_SCORING_DOMAIN_COMPETITION_H_
#define DPS_SERVICES_SCORING_DOMAIN_COMPETITION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/time/time.h"
#include "platform/weights/weights.h"

namespace dps::scoring {

// Percentage points, the default weights of docs/rules.md section 6 unless set; the product's one
// weights rule (platform/weights/weights.h) says which are valid, and ValidateCompetition applies
// it.
using Weights = platform::Weights;

enum class CeilingMode { kHard, kIndicative };

// The period every money amount of a competition is quoted for.
enum class PriceBasis { kWeekly, kMonthly, kAnnual };

struct GeoPoint {
  double latitude = 0;
  double longitude = 0;
};

// A need or desirable feature listed by the referral, with its marks (at least 1).
struct MarkedCode {
  std::string code;
  int marks = 1;
};

// The lot's discounts on the core fee, in basis points (500 = 5%). They add up.
struct DiscountRates {
  int sibling_basis_points = 0;
  int permanence_basis_points = 0;
  int permanence_min_months = 9;
};

struct ParentalChoiceSettings {
  bool enabled = false;
  int max_bids = 3;
  double within_points = 5.0;
};

// `units` units per price-basis period at `rate_pence` per unit.
struct AdditionalService {
  int64_t units = 0;
  int64_t rate_pence = 0;
};

struct Bid {
  std::string id;
  GeoPoint establishment_location;
  int64_t ceiling_fee_pence = 0;  // ceiling (HARD) or indicative fee (INDICATIVE)
  int64_t core_fee_pence = 0;
  absl::InlinedVector<AdditionalService, 2> additional_services;
  // What the bid meets, each a set of positions in one of the referral's lists: bit i stands for
  // entry i of Competition::needs, must_have_features or desirable_features (at most 64 each).
  uint64_t needs_met = 0;
  uint64_t must_have_met = 0;
  uint64_t desirable_met = 0;
  double qualification_score = 0;              // 0-100
  absl::InlinedVector<int, 4> outcome_scores;  // each 0-5; empty until evaluated
  absl::Time submitted_at;
  std::string fee_justification;
  bool ineligible_at_close = false;
  std::string ineligibility_reason;
};

struct Competition {
  Weights weights;
  GeoPoint child_location;
  std::vector<MarkedCode> needs;
  std::vector<std::string> must_have_features;
  std::vector<MarkedCode> desirable_features;
  DiscountRates discount_rates;
  int sibling_group_size = 1;
  int planned_duration_months = 0;
  CeilingMode ceiling_mode = CeilingMode::kHard;
  PriceBasis price_basis = PriceBasis::kWeekly;
  ParentalChoiceSettings parental_choice;
  std::vector<Bid> bids;
};

// Limits on one request, set by whoever runs the engine (the service, the CLI).
struct Limits {
  int max_bids = 10'000;
};

enum class ExclusionCode {
  kMissingMustHaveFeature,
  kAboveCeiling,
  kAboveIndicativeUnjustified,
  kNotEligibleAtClose,
};

struct ExclusionReason {
  ExclusionCode code;
  std::string detail;
};

// One additional-service line converted to weekly pence.
struct AdditionalServiceCost {
  int64_t period_cost_pence = 0;
  int64_t weekly_cost_pence = 0;
};

// How the evaluated weekly price was reached; every figure is whole pence and they add up:
// evaluated = core_weekly - discount + additional_services_weekly.
struct EvaluatedPrice {
  int64_t core_weekly_pence = 0;
  int sibling_basis_points = 0;     // 0 when not applicable
  int permanence_basis_points = 0;  // 0 when not applicable
  int64_t discount_pence = 0;
  absl::InlinedVector<AdditionalServiceCost, 2> additional_services;  // in the bid's order
  int64_t additional_services_weekly_pence = 0;
  int64_t evaluated_weekly_pence = 0;
};

// A criterion's unrounded points; the ranking and total use these, never rounded figures.
struct CriterionPoints {
  double price = 0;
  double outcomes = 0;
  double needs = 0;
  double features = 0;
  double location = 0;
  double core_competency = 0;
};

struct ScoredBid {
  size_t bid_index = 0;  // into Competition::bids, for the inputs echoed back
  bool compliant = true;
  std::vector<ExclusionReason> exclusion_reasons;
  EvaluatedPrice price;
  int64_t ceiling_weekly_pence = 0;
  bool fee_above_ceiling = false;

  // Inputs of the quality criteria, for the breakdown.
  double miles = 0;
  int64_t miles_hundredths = 0;  // miles rounded half up to 2 dp, as shown; the band uses miles
  int band = 0;
  int needs_marks_met = 0;
  int desirable_marks_met = 0;
  bool outcomes_pending = false;
  double outcome_mean = 0;

  // Scores: set for compliant bids only.
  CriterionPoints points;
  double total_quality = 0;  // every criterion but price
  double total = 0;
  int rank = 0;  // 1 is best; 0 when excluded
  bool in_parental_choice = false;
};

struct Evaluation {
  // Compliant bids in rank order, then excluded bids in bid-id order.
  std::vector<ScoredBid> bids;
  int compliant_count = 0;
  bool ranking_final = true;
  bool has_lowest_price = false;  // false when no bid is compliant
  int64_t lowest_evaluated_weekly_pence = 0;
  int needs_marks_total = 0;
  int desirable_marks_total = 0;
  std::vector<size_t> parental_choice;  // indices into `bids`, in rank order
  bool parental_choice_required = false;
};

}  // namespace dps::scoring

#endif  // DPS_SERVICES_SCORING_DOMAIN_COMPETITION_H_
