// Which inspection of an establishment is its current rating. Ratings reach the register out of
// order (an older inspectorate file imported after a newer one, a report entered by hand after the
// next file was imported), so the current rating is the latest inspection, not the latest row
// recorded. The same rule as the Ofsted importer's (ratings/rating_changes.h): an older file
// never undoes a newer inspection.
#ifndef DPS_SERVICES_QUALIFICATION_DOMAIN_INSPECTION_RATING_H_
#define DPS_SERVICES_QUALIFICATION_DOMAIN_INSPECTION_RATING_H_

#include <optional>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace dps::qualification {

// Whether an inspection on `inspected_on` is older than `current_inspected_on`, that of the
// establishment's current rating, so that it must not replace it (nor suspend, nor count as a
// change). An inspection of the same day is not older: it replaces (a grade corrected after a
// challenge). An undated one (not yet inspected) is older than any dated one, and no dated one is
// older than an undated current rating.
bool IsOlderInspection(std::optional<absl::CivilDay> inspected_on,
                       std::optional<absl::CivilDay> current_inspected_on);

enum class Inspectorate { kUnspecified, kOfsted, kIsi, kCqc, kEstyn, kNone };

// The inspectorate's overall judgement. kUnspecified only where none was given.
enum class Judgement {
  kUnspecified,
  kOutstanding,
  kGood,
  kRequiresImprovement,  // the lowest that qualifies
  kInadequate,           // suspends the establishment
  kNotYetInspected,
  kNoOverallJudgement,  // the inspectorate no longer gives a single grade
};

// What an inspectorate reported of an establishment: a row of its file, or a report entered by
// hand.
struct InspectionOutcome {
  Inspectorate inspectorate = Inspectorate::kUnspecified;
  Judgement judgement = Judgement::kUnspecified;
  std::string grade_text;  // the inspectorate's own wording, e.g. "Met all standards"
  std::optional<absl::CivilDay> inspected_on;
  std::optional<absl::CivilDay> published_on;
  std::string report_url;
};

enum class RatingSource { kBulkImport, kManual };

// One inspection outcome recorded for an establishment; ratings are kept over time.
struct InspectionRating {
  std::string id;
  std::string establishment_id;
  InspectionOutcome outcome;
  RatingSource source = RatingSource::kBulkImport;
  absl::Time recorded_at;
};

// What recording `outcome` does, given the establishment's current rating (none yet: unset).
struct RatingDecision {
  enum class Kind {
    kSame,    // the current rating already says it: nothing written
    kOlder,   // an older inspection than the current one: nothing written (IsOlderInspection)
    kRecord,  // a new rating
  };
  Kind kind = Kind::kRecord;
  // kOlder: why, e.g. "inspected on 2026-01-10, older than the inspection of 2026-03-02 already
  // recorded".
  std::string older;
  Judgement before = Judgement::kUnspecified;  // the current judgement
  bool changes_judgement = false;              // kRecord with another judgement than `before`
  bool drops_to_inadequate = false;            // ... to Inadequate from anything else: suspends
};
RatingDecision DecideRating(const std::optional<InspectionRating>& current,
                            const InspectionOutcome& outcome);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_DOMAIN_INSPECTION_RATING_H_
