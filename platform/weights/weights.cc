#include "platform/weights/weights.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"

namespace dps::platform {
namespace {

std::string FieldOf(absl::string_view path, absl::string_view field) {
  return absl::StrCat(path, ".", field);
}

absl::Status OutOfRange(absl::string_view path, absl::string_view field, int value, int low,
                        int high) {
  if (value >= low && value <= high) return absl::OkStatus();
  return InvalidField(FieldOf(path, field),
                      absl::StrCat("must be between ", low, " and ", high, ", got ", value));
}

}  // namespace

absl::Status CheckWeights(absl::string_view path, const Weights& w) {
  const std::pair<absl::string_view, int> all[] = {
      {"price", w.price},       {"outcomes", w.outcomes}, {"needs", w.needs},
      {"features", w.features}, {"location", w.location}, {"core_competency", w.core_competency}};
  int sum = 0;
  for (const auto& [field, value] : all) {
    if (absl::Status s = OutOfRange(path, field, value, 0, kTotalWeight); !s.ok()) return s;
    sum += value;
  }
  // The bounds before the sum: "price must be 30 to 70" says more than "must sum to 100" when
  // both are broken.
  if (absl::Status s = OutOfRange(path, "price", w.price, kMinPriceWeight, kMaxPriceWeight);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          OutOfRange(path, "core_competency", w.core_competency, 0, kMaxCoreCompetencyWeight);
      !s.ok()) {
    return s;
  }
  if (sum != kTotalWeight) {
    return InvalidField(path, absl::StrCat("must sum to ", kTotalWeight, ", got ", sum));
  }
  return absl::OkStatus();
}

absl::Status CheckWeightsEarnable(absl::string_view path, const Weights& w,
                                  const Earnable& earnable, absl::string_view holder) {
  if (absl::Status s = CheckWeights(path, w); !s.ok()) return s;
  // The message is built only when a rule is broken: the engine checks every request it scores.
  const struct {
    bool listed;
    absl::string_view field;
    int value;
    absl::string_view list;
  } lists[] = {
      {earnable.outcomes, "outcomes", w.outcomes, "outcomes sought"},
      {earnable.needs, "needs", w.needs, "needs"},
      {earnable.desirable_features, "features", w.features, "desirable features"},
  };
  for (const auto& part : lists) {
    if (part.listed || part.value == 0) continue;
    return InvalidField(
        FieldOf(path, part.field),
        absl::StrCat("must be 0 when ", holder, " lists no ", part.list, ", got ", part.value));
  }
  if (!earnable.qualification_score && w.core_competency != 0) {
    return InvalidField(FieldOf(path, "core_competency"),
                        absl::StrCat("must be 0 when qualification is pass/fail only (no weighted "
                                     "criteria), got ",
                                     w.core_competency));
  }
  return absl::OkStatus();
}

}  // namespace dps::platform
