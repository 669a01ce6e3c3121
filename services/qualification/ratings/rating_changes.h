// What an imported ratings file changes, against the ratings already held.
//
// Offers ComputeRatingChanges(): the ratings held now (per URN) and a validated RatingFile in, the
// list of changes out: a URN seen for the first time, a changed judgement or inspection, and which
// changes must suspend the establishment (docs/rules.md section 4: "an Ofsted rating that drops to
// Inadequate ... suspends the establishment"). It is idempotent: once the changes are applied
// (ApplyRatingChanges), the same file yields none, so a re-import, a retried job or an overlapping
// download never raises a second suspension.
//
//   CurrentRatings held = LoadFromStore();
//   std::vector<RatingChange> changes = ComputeRatingChanges(held, *file);
//   // in one transaction: store the changes, and the suspension events of those with a trigger
//   ApplyRatingChanges(changes, &held);
//   ComputeRatingChanges(held, *file).empty();  // true
#ifndef DPS_SERVICES_QUALIFICATION_RATINGS_RATING_CHANGES_H_
#define DPS_SERVICES_QUALIFICATION_RATINGS_RATING_CHANGES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/types/span.h"
#include "services/qualification/ratings/rating.h"

namespace dps::qualification::ratings {

// The part of a record that a change is about. Two snapshots are equal when nothing changed.
struct RatingSnapshot {
  OverallRating overall = OverallRating::kNotInspected;
  SupportedAccommodationOutcome supported_accommodation_outcome =
      SupportedAccommodationOutcome::kNone;
  std::optional<absl::CivilDay> inspection_date;
  RegistrationStatus registration_status = RegistrationStatus::kUnknown;

  bool operator==(const RatingSnapshot&) const = default;
};

RatingSnapshot SnapshotOf(const RatingRecord& record);

// Ratings held now, by URN (upper case, as RatingRecord::urn).
using CurrentRatings = absl::flat_hash_map<std::string, RatingSnapshot>;

enum class ChangeKind { kNew, kChanged };

// Why a change must suspend the establishment. Only a move *into* the state triggers: an
// establishment re-inspected and still Inadequate was suspended by the first drop.
enum class SuspensionTrigger {
  kNone,
  kDroppedToInadequate,   // overall judgement became Inadequate
  kSeriousWeaknesses,     // supported accommodation: "Serious or widespread weaknesses"
  kRegistrationSuspended  // Ofsted suspended the registration itself
};

absl::string_view SuspensionTriggerName(SuspensionTrigger trigger);

struct RatingChange {
  std::string urn;
  int line = 0;  // the row in the imported file
  ChangeKind kind = ChangeKind::kNew;
  std::optional<RatingSnapshot> previous;  // nullopt for kNew
  RatingSnapshot current;
  SuspensionTrigger trigger = SuspensionTrigger::kNone;
};

// The changes `file` makes to `current`, in file order. Rules:
//   - a URN not held is kNew (whatever its judgement, so later files have something to compare);
//   - a URN held is kChanged if its snapshot differs, else nothing;
//   - an older file must not undo a newer inspection: if the file's inspection date is earlier than
//     the held one, or the file has none while one is held, the held judgements and date are kept
//     and only the registration status is taken from the file;
//   - a URN held but absent from the file is left alone (absence is not deregistration);
//   - the trigger, if several apply, is the first in SuspensionTrigger's order.
std::vector<RatingChange> ComputeRatingChanges(const CurrentRatings& current,
                                               const RatingFile& file);

// Stores each change's `current` snapshot under its URN.
void ApplyRatingChanges(absl::Span<const RatingChange> changes, CurrentRatings* current);

}  // namespace dps::qualification::ratings

#endif  // DPS_SERVICES_QUALIFICATION_RATINGS_RATING_CHANGES_H_
