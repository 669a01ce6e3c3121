#include "services/qualification/domain/inspection_rating.h"

#include "absl/strings/str_cat.h"

namespace dps::qualification {

bool IsOlderInspection(std::optional<absl::CivilDay> inspected_on,
                       std::optional<absl::CivilDay> current_inspected_on) {
  if (!current_inspected_on.has_value()) return false;
  return !inspected_on.has_value() || *inspected_on < *current_inspected_on;
}

RatingDecision DecideRating(const std::optional<InspectionRating>& current,
                            const InspectionOutcome& outcome) {
  RatingDecision decision;
  if (current.has_value()) {
    const InspectionOutcome& held = current->outcome;
    decision.before = held.judgement;
    if (held.judgement == outcome.judgement && held.grade_text == outcome.grade_text &&
        held.inspected_on == outcome.inspected_on) {
      decision.kind = RatingDecision::Kind::kSame;
      return decision;
    }
    if (held.inspected_on.has_value() &&
        IsOlderInspection(outcome.inspected_on, held.inspected_on)) {
      decision.kind = RatingDecision::Kind::kOlder;
      decision.older = absl::StrCat(
          outcome.inspected_on.has_value()
              ? absl::StrCat("inspected on ", absl::FormatCivilTime(*outcome.inspected_on), ",")
              : std::string("not dated, so"),
          " older than the inspection of ", absl::FormatCivilTime(*held.inspected_on),
          " already recorded");
      return decision;
    }
  }
  decision.kind = RatingDecision::Kind::kRecord;
  decision.changes_judgement = outcome.judgement != decision.before;
  decision.drops_to_inadequate =
      outcome.judgement == Judgement::kInadequate && decision.before != Judgement::kInadequate;
  return decision;
}

}  // namespace dps::qualification
