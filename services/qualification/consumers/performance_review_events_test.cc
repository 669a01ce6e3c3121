// The review a contracts.performance_review.recorded event announces, and the events that can
// never be recorded (dead-lettered with the reason).
#include "services/qualification/consumers/performance_review_events.h"

#include <catch2/catch.hpp>
#include <string>

#include "dps/events/v1/events.pb.h"

namespace dps::qualification {
namespace {

// The envelope as the contracts service builds it (services/contracts/app/kpi_events.cc).
dps::events::v1::EventEnvelope Announced() {
  dps::events::v1::EventEnvelope envelope;
  envelope.set_type("contracts.performance_review.recorded");
  envelope.set_aggregate_type("performance_review");
  envelope.set_aggregate_id("rev-1");
  envelope.mutable_occurred_at()->set_seconds(1801476000);
  envelope.mutable_actor()->set_user_id("kent-admin-1");
  envelope.mutable_actor()->set_role("ROLE_LEAD_AUTHORITY_ADMIN");
  envelope.mutable_actor()->set_organisation_id("kent");
  envelope.set_schema_version(1);
  envelope.set_system_id("sys-1");
  auto& review = *envelope.mutable_performance_review_recorded();
  review.set_performance_review_id("rev-1");
  review.set_establishment_id("home-1");
  review.set_rating(dps::contracts::v1::PERFORMANCE_RATING_PARTLY_MEETS);
  review.set_recommended_score_delta(-3);
  return envelope;
}

platform::StreamEvent Delivered(const dps::events::v1::EventEnvelope& envelope) {
  return {.stream = "dps.contracts",
          .entry_id = "1-0",
          .event_id = "0b5f6a52-4f0e-4c8e-9d7e-2a7d0c1b9e01",
          .type = envelope.type(),
          .aggregate_id = envelope.aggregate_id(),
          .payload = envelope.SerializeAsString()};
}

TEST_CASE("a recorded review is what the event says, with its system, time and reviewer",
          "[consumers]") {
  absl::StatusOr<std::optional<v1::RecordedPerformanceReview>> review =
      ReviewOf(Delivered(Announced()));
  REQUIRE(review.ok());
  REQUIRE(review->has_value());
  const v1::RecordedPerformanceReview& r = **review;
  CHECK(r.id() == "rev-1");
  CHECK(r.system_id() == "sys-1");
  CHECK(r.establishment_id() == "home-1");
  CHECK(r.rating() == "PERFORMANCE_RATING_PARTLY_MEETS");
  CHECK(r.recommended_score_delta() == -3);
  CHECK(r.reviewed_at().seconds() == 1801476000);
  CHECK(r.reviewed_by().user_id() == "kent-admin-1");
  CHECK(r.reviewed_by().organisation_id() == "kent");
  CHECK(r.score_adjustment_id().empty());
}

TEST_CASE("other contracts events are no review", "[consumers]") {
  dps::events::v1::EventEnvelope envelope;
  envelope.set_type("contracts.kpi_return.submitted");
  envelope.mutable_kpi_return_submitted()->set_kpi_return_id("ret-1");
  absl::StatusOr<std::optional<v1::RecordedPerformanceReview>> review =
      ReviewOf(Delivered(envelope));
  REQUIRE(review.ok());
  CHECK_FALSE(review->has_value());
}

TEST_CASE("a review event that can never be recorded is refused, naming why", "[consumers]") {
  auto refused = [](const platform::StreamEvent& event) {
    absl::StatusOr<std::optional<v1::RecordedPerformanceReview>> review = ReviewOf(event);
    REQUIRE(review.status().code() == absl::StatusCode::kInvalidArgument);
    return std::string(review.status().message());
  };
  const std::string prefix =
      "event 0b5f6a52-4f0e-4c8e-9d7e-2a7d0c1b9e01 (contracts.performance_review.recorded): ";

  platform::StreamEvent garbage = Delivered(Announced());
  garbage.payload = "\xff\xff not a protobuf";
  CHECK(refused(garbage) == prefix + "payload does not parse");

  dps::events::v1::EventEnvelope other_payload = Announced();
  other_payload.mutable_kpi_return_submitted()->set_kpi_return_id("ret-1");
  CHECK(refused(Delivered(other_payload)) ==
        prefix + "payload holds no performance_review_recorded");

  dps::events::v1::EventEnvelope no_id = Announced();
  no_id.mutable_performance_review_recorded()->clear_performance_review_id();
  CHECK(refused(Delivered(no_id)) == prefix + "performance_review_id: required");

  dps::events::v1::EventEnvelope no_establishment = Announced();
  no_establishment.mutable_performance_review_recorded()->clear_establishment_id();
  CHECK(refused(Delivered(no_establishment)) == prefix + "establishment_id: required");

  dps::events::v1::EventEnvelope no_system = Announced();
  no_system.clear_system_id();
  CHECK(refused(Delivered(no_system)) == prefix + "system_id: required");

  dps::events::v1::EventEnvelope no_time = Announced();
  no_time.clear_occurred_at();
  CHECK(refused(Delivered(no_time)) == prefix + "occurred_at: required");
}

}  // namespace
}  // namespace dps::qualification
