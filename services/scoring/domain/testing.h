// Competitions for tests and benchmarks: the worked example of docs/rules.md section 6 and builders
// for random valid competitions. Not for production code: the engine itself never builds inputs.
#ifndef DPS_SERVICES_SCORING_DOMAIN_TESTING_H_
#define DPS_SERVICES_SCORING_DOMAIN_TESTING_H_

#include <random>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/scoring/domain/competition.h"

namespace dps::scoring::testing {

inline absl::Time At(int minute) {
  return absl::FromUnixSeconds(1'735'689'600) + absl::Minutes(minute);  // 2025-01-01T00:00Z
}

// Spec section 6's worked example: weights 50/10/10/5/5/20, child at 51.1092, -0.1872, needs
// N1 = 2, N2 = 1, N3 = 1, must-have wheelchair-access, desirable halal-diet = 1, eal-support = 1,
// hard ceilings, parental choice of 3 within 5 points. A = 83.19, B = 83.00, C and D excluded.
inline Competition WorkedExample() {
  Competition c;
  c.child_location = {51.1092, -0.1872};
  c.needs = {{"N1", 2}, {"N2", 1}, {"N3", 1}};
  c.must_have_features = {"wheelchair-access"};
  c.desirable_features = {{"halal-diet", 1}, {"eal-support", 1}};
  c.ceiling_mode = CeilingMode::kHard;
  c.parental_choice = {true, 3, 5.0};

  Bid a;
  a.id = "A";
  a.establishment_location = {51.0629, -0.3259};
  a.core_fee_pence = 400'000;
  a.additional_services = {{10, 3'000}};  // one-to-one hours
  a.ceiling_fee_pence = 450'000;
  a.needs_met = 0b011;     // N1 N2
  a.must_have_met = 0b1;   // wheelchair-access
  a.desirable_met = 0b01;  // halal-diet
  a.qualification_score = 80;
  a.outcome_scores = {4};
  a.submitted_at = At(1);

  Bid b;
  b.id = "B";
  b.establishment_location = {50.8225, -0.1372};
  b.core_fee_pence = 380'000;
  b.ceiling_fee_pence = 400'000;
  b.needs_met = 0b111;
  b.must_have_met = 0b1;
  b.qualification_score = 65;
  b.outcome_scores = {3};
  b.submitted_at = At(2);

  Bid c_bid;
  c_bid.id = "C";
  c_bid.establishment_location = {51.5074, -0.1278};
  c_bid.core_fee_pence = 420'000;
  c_bid.ceiling_fee_pence = 410'000;
  c_bid.needs_met = 0b111;
  c_bid.must_have_met = 0b1;
  c_bid.desirable_met = 0b11;
  c_bid.qualification_score = 90;
  c_bid.outcome_scores = {5};
  c_bid.submitted_at = At(3);

  Bid d;
  d.id = "D";
  d.establishment_location = {51.2362, -0.5704};
  d.core_fee_pence = 350'000;
  d.ceiling_fee_pence = 500'000;
  d.needs_met = 0b001;  // and no wheelchair access
  d.qualification_score = 70;
  d.outcome_scores = {4};
  d.submitted_at = At(4);

  c.bids = {a, b, c_bid, d};
  return c;
}

// A valid competition with `bid_count` random bids around the worked example's child, drawn from
// `rng`: random weights within the bounds, needs and features lists, terms, price basis, ceiling
// mode, fees (some above their ceilings), claims, scores and submission times.
inline Competition RandomCompetition(std::mt19937& rng, int bid_count) {
  auto uniform = [&rng](int low, int high) {
    return std::uniform_int_distribution<int>(low, high)(rng);
  };
  Competition c;
  c.child_location = {51.1092 + uniform(-100, 100) / 100.0, -0.1872 + uniform(-100, 100) / 100.0};
  const int need_count = uniform(0, 8);
  const int must_count = uniform(0, 3);
  const int desirable_count = uniform(0, 6);
  for (int i = 0; i < need_count; ++i) c.needs.push_back({absl::StrCat("N", i), uniform(1, 5)});
  for (int i = 0; i < must_count; ++i) c.must_have_features.push_back(absl::StrCat("M", i));
  for (int i = 0; i < desirable_count; ++i) {
    c.desirable_features.push_back({absl::StrCat("F", i), uniform(1, 3)});
  }
  // Weights: price 30-70 and core competency 0-20, the rest spread over the criteria that can
  // be earned, so the sum is exactly 100.
  Weights& w = c.weights;
  w.price = uniform(30, 70);
  w.core_competency = uniform(0, 20);
  int rest = 100 - w.price - w.core_competency;
  w.needs = need_count > 0 ? uniform(0, rest) : 0;
  rest -= w.needs;
  w.features = desirable_count > 0 ? uniform(0, rest) : 0;
  rest -= w.features;
  w.location = uniform(0, rest);
  w.outcomes = rest - w.location;

  c.discount_rates = {uniform(0, 1) * 500, uniform(0, 2) * 300, 9};
  c.sibling_group_size = uniform(1, 3);
  c.planned_duration_months = uniform(0, 24);
  c.ceiling_mode = uniform(0, 1) == 0 ? CeilingMode::kHard : CeilingMode::kIndicative;
  c.price_basis = static_cast<PriceBasis>(uniform(0, 2));
  c.parental_choice = {uniform(0, 3) > 0, uniform(1, 4), uniform(0, 10) * 1.0};

  for (int b = 0; b < bid_count; ++b) {
    Bid bid;
    bid.id = absl::StrCat("bid-", b);
    bid.establishment_location = {c.child_location.latitude + uniform(-1000, 1000) / 1000.0,
                                  c.child_location.longitude + uniform(-1000, 1000) / 1000.0};
    bid.ceiling_fee_pence = uniform(200'000, 600'000);
    bid.core_fee_pence = bid.ceiling_fee_pence + uniform(-150'000, 20'000);
    const int service_count = uniform(0, 2);
    for (int s = 0; s < service_count; ++s) {
      bid.additional_services.push_back({uniform(0, 20), uniform(0, 6'000)});
    }
    for (int i = 0; i < need_count; ++i) {
      if (uniform(0, 1) == 1) bid.needs_met |= uint64_t{1} << i;
    }
    for (int i = 0; i < must_count; ++i) {
      if (uniform(0, 9) > 0) bid.must_have_met |= uint64_t{1} << i;
    }
    for (int i = 0; i < desirable_count; ++i) {
      if (uniform(0, 1) == 1) bid.desirable_met |= uint64_t{1} << i;
    }
    bid.qualification_score = uniform(0, 1000) / 10.0;
    const int evaluators = uniform(0, 3);
    for (int e = 0; e < evaluators; ++e) bid.outcome_scores.push_back(uniform(0, 5));
    bid.submitted_at = At(uniform(0, 50));
    if (uniform(0, 1) == 1) bid.fee_justification = "specialist staffing";
    bid.ineligible_at_close = uniform(0, 19) == 0;
    c.bids.push_back(std::move(bid));
  }
  return c;
}

}  // namespace dps::scoring::testing

#endif  // DPS_SERVICES_SCORING_DOMAIN_TESTING_H_
