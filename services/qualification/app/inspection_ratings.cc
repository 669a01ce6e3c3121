#include "services/qualification/app/inspection_ratings.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "services/qualification/app/membership_changes.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/inspection_rating.h"
#include "services/qualification/storage/records.h"

namespace dps::qualification {
namespace {

bool SameOutcome(const v1::InspectionRating& a, const v1::InspectionRatingRow& b) {
  return a.rating() == b.rating() && a.grade_text() == b.grade_text() &&
         a.inspected_on().SerializeAsString() == b.inspected_on().SerializeAsString();
}

// The organisation whose systems a rating may act in: none for a DPS service (every system),
// otherwise the caller's, a lead authority.
std::string RatingScope(const Call& call) {
  return call.caller.role == dps::common::v1::ROLE_SERVICE ? std::string()
                                                           : call.caller.organisation_id;
}

// Why a rating inspected on `inspected_on` does not replace the current one, inspected on
// `current` (IsOlderInspection).
std::string OlderThanCurrent(const std::optional<absl::CivilDay>& inspected_on,
                             absl::CivilDay current) {
  return absl::StrCat(inspected_on.has_value()
                          ? absl::StrCat("inspected on ", absl::FormatCivilTime(*inspected_on), ",")
                          : std::string("not dated, so"),
                      " older than the inspection of ", absl::FormatCivilTime(current),
                      " already recorded");
}

// ChangeMembership rebuilds a membership's suspensions from the domain's failed items, which
// name no rating, so the suspension for `item` that `rating_id` caused is made to name it
// (Suspension.inspection_rating_id: the report an authority opens to see why) and saved again as
// part of the same change: the membership keeps the one new version ChangeMembership gave it.
absl::Status NameRatingInSuspension(Call& call, v1::Membership& membership, const std::string& item,
                                    const std::string& rating_id) {
  for (v1::Suspension& suspension : *membership.mutable_suspensions()) {
    const auto& items = suspension.failed_criterion_ids();
    if (suspension.reason() == v1::SUSPENSION_REASON_RATING_INADEQUATE &&
        std::find(items.begin(), items.end(), item) != items.end()) {
      suspension.set_inspection_rating_id(rating_id);
    }
  }
  membership.set_version(membership.version() - 1);
  return SaveMembership(call.tx, membership);
}

}  // namespace

absl::StatusOr<bool> MayRate(const Call& call, const std::string& establishment_id) {
  const std::string scope = RatingScope(call);
  if (scope.empty()) return true;
  return LeadsSystemWithMember(call.tx, establishment_id, scope);
}

absl::StatusOr<RatingApplied> ApplyRating(Call& call, const v1::Establishment& est,
                                          const v1::InspectionRatingRow& row,
                                          v1::RatingSource source) {
  RatingApplied applied;
  absl::StatusOr<std::optional<v1::InspectionRating>> previous = LatestRating(call.tx, est.id());
  if (!previous.ok()) return previous.status();
  if (previous->has_value() && SameOutcome(**previous, row)) {
    applied.outcome = v1::IMPORT_ROW_OUTCOME_UNCHANGED;
    applied.rating = **previous;
    return applied;
  }
  if (previous->has_value()) {
    absl::StatusOr<std::optional<absl::CivilDay>> current_on =
        FromDate((*previous)->inspected_on(), "inspected_on");
    if (!current_on.ok()) return current_on.status();
    absl::StatusOr<std::optional<absl::CivilDay>> row_on =
        FromDate(row.inspected_on(), "inspected_on");
    if (!row_on.ok()) return row_on.status();
    if (IsOlderInspection(*row_on, *current_on)) {
      applied.outcome = v1::IMPORT_ROW_OUTCOME_UNCHANGED;
      applied.older = OlderThanCurrent(*row_on, **current_on);
      return applied;
    }
  }
  v1::InspectionRating& rating = applied.rating;
  rating.set_id(NewId("rat"));
  rating.set_establishment_id(est.id());
  rating.set_inspectorate(row.inspectorate());
  rating.set_rating(row.rating());
  rating.set_grade_text(row.grade_text());
  *rating.mutable_inspected_on() = row.inspected_on();
  *rating.mutable_published_on() = row.published_on();
  rating.set_report_url(row.report_url());
  rating.set_source(source);
  *rating.mutable_recorded_at() = ToTimestamp(call.now);
  if (absl::Status s = InsertRating(call.tx, rating); !s.ok()) return s;
  applied.outcome = v1::IMPORT_ROW_OUTCOME_RECORDED;
  const v1::Rating before = previous->has_value() ? (*previous)->rating() : v1::RATING_UNSPECIFIED;
  const bool drop = row.rating() == v1::RATING_INADEQUATE && before != v1::RATING_INADEQUATE;
  if (before != row.rating()) {
    dps::events::v1::EventEnvelope event;
    auto* changed = event.mutable_inspection_rating_changed();
    changed->set_establishment_id(est.id());
    changed->set_provider_id(est.provider_id());
    changed->set_inspection_rating_id(rating.id());
    changed->set_inspectorate(row.inspectorate());
    changed->set_previous_rating(before);
    changed->set_rating(row.rating());
    *changed->mutable_inspected_on() = row.inspected_on();
    changed->set_triggers_suspension(drop);
    if (absl::Status s = Announce(call, "qualification.establishment.rating_changed",
                                  "establishment", est.id(), "", std::move(event));
        !s.ok()) {
      return s;
    }
  }
  if (!drop) return applied;
  // The suspension names the system's inspection-rating criterion, so reinstatement asks for
  // exactly that to be resubmitted.
  absl::StatusOr<std::vector<std::string>> systems =
      SystemsWithMember(call.tx, est.id(), RatingScope(call));
  if (!systems.ok()) return systems.status();
  for (const std::string& system_id : *systems) {
    absl::StatusOr<std::string> item = InspectionRatingCriterion(call.tx, system_id);
    if (!item.ok()) return item.status();
    absl::StatusOr<std::vector<v1::Membership>> memberships =
        MembershipsOfEstablishment(call.tx, system_id, est.id());
    if (!memberships.ok()) return memberships.status();
    for (v1::Membership& membership : *memberships) {
      absl::StatusOr<bool> suspended = ChangeMembership(call, membership, [&](Membership& m) {
        return ApplyInspectionGrade(m, InspectionGrade::kInadequate, *item, call.now,
                                    call.caller.user_id);
      });
      if (!suspended.ok()) return suspended.status();
      if (!*suspended) continue;
      if (absl::Status s = NameRatingInSuspension(call, membership, *item, rating.id()); !s.ok()) {
        return s;
      }
      if (absl::Status s = AnnounceSuspended(call, membership); !s.ok()) return s;
      ++applied.suspensions;
    }
  }
  return applied;
}

}  // namespace dps::qualification
