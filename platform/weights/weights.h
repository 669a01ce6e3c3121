// The one weights rule of the product (docs/rules.md section 6), used wherever a competition's
// weights are written or read: a lot's default weights (qualification), a referral's own weights
// when it is drafted and when it is published (referral), and the engine's check before it scores
// (scoring). One rule in one place, so no referral can be published with weights the engine
// refuses at close.
//
// Weights are percentage points: price P, outcomes O, needs N, features F, location L and core
// competency C. CheckWeights holds for any weights, wherever they stand:
//   - every weight is 0 to 100 and the six sum to exactly 100;
//   - price and quality share the points 50/50, varied at most 20 either way: 30 <= P <= 70;
//   - core competency (the qualification score carried into a referral) is at most 20.
// CheckWeightsEarnable adds what depends on the competition they are spent on: a weight on
// something no bid can earn (needs when none are listed, desirable features when none are
// listed, outcomes when none are sought, core competency when qualification is pass/fail only and
// so scores nobody) is a mistake in the configuration, refused rather than scored.
//
// Errors are InvalidArgument naming the field under the caller's path and the rule:
//   CheckWeights("spec.weights", {75, 5, 5, 5, 5, 5})
//     -> "spec.weights.price: must be between 30 and 70, got 75"
#ifndef DPS_PLATFORM_WEIGHTS_WEIGHTS_H_
#define DPS_PLATFORM_WEIGHTS_WEIGHTS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace dps::platform {

inline constexpr int kTotalWeight = 100;
inline constexpr int kMinPriceWeight = 30;
inline constexpr int kMaxPriceWeight = 70;
inline constexpr int kMaxCoreCompetencyWeight = 20;

// Percentage points; a default-constructed Weights holds the default weights of docs/rules.md
// section 6, 50/10/10/5/5/20.
struct Weights {
  int price = 50;
  int outcomes = 10;
  int needs = 10;
  int features = 5;
  int location = 5;
  int core_competency = 20;
};

// OK, or InvalidArgument for the first broken rule, checked in this order: each weight 0 to 100
// (in field order), price, core competency, the sum. `path` names the weights ("spec.weights",
// "lots[0].default_weights"); a field's error names "PATH.FIELD", the sum's names PATH.
absl::Status CheckWeights(absl::string_view path, const Weights& weights);

// What the competition the weights are spent on offers a bid to earn.
struct Earnable {
  bool needs = true;                // needs are listed
  bool desirable_features = true;   // desirable features are listed
  bool outcomes = true;             // outcomes are sought
  bool qualification_score = true;  // qualification is scored, not pass/fail only
};

// CheckWeights, then a weight on something `earnable` says is absent, in field order. `holder`
// says what lists the needs, features and outcomes, for the message: "the referral" gives
//   "spec.weights.outcomes: must be 0 when the referral lists no outcomes sought, got 10"
absl::Status CheckWeightsEarnable(absl::string_view path, const Weights& weights,
                                  const Earnable& earnable, absl::string_view holder);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_WEIGHTS_WEIGHTS_H_
