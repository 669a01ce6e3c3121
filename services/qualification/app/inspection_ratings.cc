#include "services/qualification/app/inspection_ratings.h"

#include <utility>

#include "dps/common/v1/common.pb.h"
#include "platform/pg/documents.h"
#include "services/qualification/convert/convert.h"

namespace dps::qualification {
namespace {

// The organisation whose systems a rating may act in: none for a DPS service (every system),
// otherwise the caller's, a lead authority.
std::string RatingScope(const platform::CallerIdentity& caller) {
  return caller.role == dps::common::v1::ROLE_SERVICE ? std::string() : caller.organisation_id;
}

}  // namespace

absl::StatusOr<bool> RatingUseCases::MayRate(const std::string& establishment_id,
                                             const platform::CallerIdentity& caller) {
  const std::string scope = RatingScope(caller);
  if (scope.empty()) return true;
  return memberships_.LeadsSystemWithMember(establishment_id, scope);
}

absl::StatusOr<RatingApplied> RatingUseCases::Apply(const EstablishmentRef& establishment,
                                                    const InspectionOutcome& outcome,
                                                    RatingSource source,
                                                    const platform::CallerIdentity& caller,
                                                    absl::Time now) {
  absl::StatusOr<std::optional<InspectionRating>> current = ratings_.Latest(establishment.id);
  if (!current.ok()) return current.status();
  const RatingDecision decision = DecideRating(*current, outcome);
  RatingApplied applied;
  switch (decision.kind) {
    case RatingDecision::Kind::kSame:
      applied.rating = *current;
      return applied;
    case RatingDecision::Kind::kOlder:
      applied.older = decision.older;
      return applied;
    case RatingDecision::Kind::kRecord:
      break;
  }
  const InspectionRating rating{.id = platform::NewId("rat"),
                                .establishment_id = establishment.id,
                                .outcome = outcome,
                                .source = source,
                                .recorded_at = now};
  if (absl::Status s = ratings_.Insert(rating); !s.ok()) return s;
  applied.outcome = RatingApplied::Outcome::kRecorded;
  applied.rating = rating;
  if (decision.changes_judgement) {
    const v1::InspectionRating recorded = ToApiRating(rating);
    dps::events::v1::EventEnvelope event;
    auto* changed = event.mutable_inspection_rating_changed();
    changed->set_establishment_id(establishment.id);
    changed->set_provider_id(establishment.provider_id);
    changed->set_inspection_rating_id(rating.id);
    changed->set_inspectorate(recorded.inspectorate());
    changed->set_previous_rating(ToApi(decision.before));
    changed->set_rating(recorded.rating());
    *changed->mutable_inspected_on() = recorded.inspected_on();
    changed->set_triggers_suspension(decision.drops_to_inadequate);
    if (absl::Status s = events_.Announce("qualification.establishment.rating_changed",
                                          "establishment", establishment.id, "", std::move(event));
        !s.ok()) {
      return s;
    }
  }
  if (!decision.drops_to_inadequate) return applied;
  absl::StatusOr<int> suspended =
      memberships_.SuspendForInadequate(rating, RatingScope(caller), caller.user_id);
  if (!suspended.ok()) return suspended.status();
  applied.suspensions = *suspended;
  return applied;
}

}  // namespace dps::qualification
