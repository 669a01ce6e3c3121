#include "services/qualification/consumers/performance_review_events.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "dps/contracts/v1/contracts.pb.h"
#include "dps/events/v1/events.pb.h"
#include "services/qualification/storage/pg_performance_review_repository.h"

namespace dps::qualification {
namespace {

// The event type the contracts service announces a review as (its kpi_events.h).
constexpr char kPerformanceReviewRecorded[] = "contracts.performance_review.recorded";

absl::Status Malformed(const platform::StreamEvent& event, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("event ", event.event_id, " (", event.type, "): ", why));
}

}  // namespace

absl::StatusOr<std::optional<v1::RecordedPerformanceReview>> ReviewOf(
    const platform::StreamEvent& event) {
  if (event.type != kPerformanceReviewRecorded) return std::nullopt;
  dps::events::v1::EventEnvelope envelope;
  if (!envelope.ParseFromString(event.payload)) {
    return Malformed(event, "payload does not parse");
  }
  if (!envelope.has_performance_review_recorded()) {
    return Malformed(event, "payload holds no performance_review_recorded");
  }
  const dps::events::v1::PerformanceReviewRecorded& recorded =
      envelope.performance_review_recorded();
  if (recorded.performance_review_id().empty()) {
    return Malformed(event, "performance_review_id: required");
  }
  if (recorded.establishment_id().empty()) return Malformed(event, "establishment_id: required");
  if (envelope.system_id().empty()) return Malformed(event, "system_id: required");
  if (!envelope.has_occurred_at()) return Malformed(event, "occurred_at: required");
  v1::RecordedPerformanceReview review;
  review.set_id(recorded.performance_review_id());
  review.set_system_id(envelope.system_id());
  review.set_establishment_id(recorded.establishment_id());
  review.set_rating(dps::contracts::v1::PerformanceRating_Name(recorded.rating()));
  review.set_recommended_score_delta(recorded.recommended_score_delta());
  *review.mutable_reviewed_at() = envelope.occurred_at();
  *review.mutable_reviewed_by() = envelope.actor();
  return review;
}

absl::Status ApplyPerformanceReviewEvent(pqxx::work& tx, const platform::StreamEvent& event) {
  absl::StatusOr<std::optional<v1::RecordedPerformanceReview>> review = ReviewOf(event);
  if (!review.ok()) return review.status();
  if (!review->has_value()) return absl::OkStatus();
  PgPerformanceReviewRepository reviews(tx);
  return reviews.Record(**review).status();
}

}  // namespace dps::qualification
