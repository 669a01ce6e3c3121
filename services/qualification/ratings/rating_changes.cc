#include "services/qualification/ratings/rating_changes.h"

namespace dps::qualification::ratings {
namespace {

// The held snapshot updated by the file's, keeping a newer held inspection (see the header).
RatingSnapshot Merge(const RatingSnapshot& held, const RatingSnapshot& incoming) {
  const bool stale =
      held.inspection_date.has_value() &&
      (!incoming.inspection_date.has_value() || *incoming.inspection_date < *held.inspection_date);
  if (!stale) return incoming;
  RatingSnapshot merged = held;
  merged.registration_status = incoming.registration_status;
  return merged;
}

SuspensionTrigger TriggerOf(const std::optional<RatingSnapshot>& previous,
                            const RatingSnapshot& now) {
  auto became = [&](auto field, auto value) {
    return now.*field == value && (!previous.has_value() || (*previous).*field != value);
  };
  if (became(&RatingSnapshot::overall, OverallRating::kInadequate)) {
    return SuspensionTrigger::kDroppedToInadequate;
  }
  if (became(&RatingSnapshot::supported_accommodation_outcome,
             SupportedAccommodationOutcome::kSeriousWeaknesses)) {
    return SuspensionTrigger::kSeriousWeaknesses;
  }
  if (became(&RatingSnapshot::registration_status, RegistrationStatus::kSuspended)) {
    return SuspensionTrigger::kRegistrationSuspended;
  }
  return SuspensionTrigger::kNone;
}

}  // namespace

absl::string_view SuspensionTriggerName(SuspensionTrigger trigger) {
  switch (trigger) {
    case SuspensionTrigger::kNone:
      return "none";
    case SuspensionTrigger::kDroppedToInadequate:
      return "dropped_to_inadequate";
    case SuspensionTrigger::kSeriousWeaknesses:
      return "serious_weaknesses";
    case SuspensionTrigger::kRegistrationSuspended:
      return "registration_suspended";
  }
  return "unknown";
}

RatingSnapshot SnapshotOf(const RatingRecord& record) {
  return RatingSnapshot{record.overall, record.supported_accommodation_outcome,
                        record.inspection_date, record.registration_status};
}

std::vector<RatingChange> ComputeRatingChanges(const CurrentRatings& current,
                                               const RatingFile& file) {
  std::vector<RatingChange> changes;
  for (const RatingRecord& record : file.records) {
    RatingChange change;
    change.urn = record.urn;
    change.line = record.line;
    if (auto held = current.find(record.urn); held != current.end()) {
      change.kind = ChangeKind::kChanged;
      change.previous = held->second;
      change.current = Merge(held->second, SnapshotOf(record));
      if (change.current == held->second) continue;
    } else {
      change.kind = ChangeKind::kNew;
      change.current = SnapshotOf(record);
    }
    change.trigger = TriggerOf(change.previous, change.current);
    changes.push_back(std::move(change));
  }
  return changes;
}

void ApplyRatingChanges(absl::Span<const RatingChange> changes, CurrentRatings* current) {
  for (const RatingChange& change : changes) (*current)[change.urn] = change.current;
}

}  // namespace dps::qualification::ratings
