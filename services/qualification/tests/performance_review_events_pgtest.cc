// Performance reviews from the contracts service to a score adjustment, end to end through real
// PostgreSQL and Redis: a contracts.performance_review.recorded event, written to a contracts
// outbox as the contracts service writes it and relayed to dps.contracts by the platform's relay,
// is consumed into the register; the lead authority lists it as awaiting an adjustment, cites it
// in one, and cannot cite it again, nor cite a review never recorded.
#include <catch2/catch.hpp>
#include <string>

#include "dps/events/v1/events.pb.h"
#include "platform/events/consumer.h"
#include "platform/events/outbox.h"
#include "platform/events/outbox_migrations.h"
#include "platform/events/redis_client.h"
#include "platform/events/relay.h"
#include "platform/proto/proto_time.h"
#include "platform/pg/migrations.h"
#include "platform/testing/test_env.h"
#include "services/qualification/consumers/performance_review_events.h"
#include "services/qualification/tests/world.h"

namespace dps::qualification::testing {
namespace {

// The contracts service's side: its schema's outbox (in a database of its own, as its schema is
// its own) and the relay that publishes it to dps.contracts.
class ContractsOutbox {
 public:
  ContractsOutbox() {
    const absl::Status migrated = pool_.WithConnection([](pqxx::connection& c) {
      const platform::MigrationSet sets[] = {{"platform", platform::OutboxMigrations()}};
      return platform::ApplyMigrations(c, "contracts", sets);
    });
    REQUIRE(migrated == absl::OkStatus());
  }

  // Announces the review as services/contracts/app/kpi_events.cc does, in a transaction of its
  // own, and relays everything announced.
  void AnnounceReview(const std::string& review_id, const std::string& system_id,
                      const std::string& establishment_id, absl::Time at) {
    dps::events::v1::EventEnvelope envelope;
    auto& review = *envelope.mutable_performance_review_recorded();
    review.set_performance_review_id(review_id);
    review.set_establishment_id(establishment_id);
    review.set_rating(dps::contracts::v1::PERFORMANCE_RATING_DOES_NOT_MEET);
    review.set_recommended_score_delta(-4);
    envelope.set_type("contracts.performance_review.recorded");
    envelope.set_aggregate_type("performance_review");
    envelope.set_aggregate_id(review_id);
    *envelope.mutable_occurred_at() = platform::ToTimestamp(at);
    envelope.set_request_id("req-review");
    envelope.mutable_actor()->set_user_id("ws-admin-1");
    envelope.mutable_actor()->set_role("ROLE_LEAD_AUTHORITY_ADMIN");
    envelope.mutable_actor()->set_organisation_id(kLead);
    envelope.set_schema_version(1);
    envelope.set_system_id(system_id);
    REQUIRE(pool_.InTransaction([&](pqxx::work& tx) {
      return platform::AppendToOutbox(tx, {.stream = "dps.contracts",
                                           .type = envelope.type(),
                                           .aggregate_id = review_id,
                                           .request_id = envelope.request_id(),
                                           .payload = envelope.SerializeAsString()})
          .status();
    }) == absl::OkStatus());
    platform::OutboxRelay relay({.schema = "contracts", .only_stream = "dps.contracts"}, pool_,
                                redis_, nullptr);
    for (;;) {
      absl::StatusOr<int> published = relay.PublishBatch();
      REQUIRE(published.ok());
      if (*published == 0) break;
    }
  }

 private:
  platform::testing::TestDatabase db_;
  platform::PgPool pool_{{.url = db_.url(), .schema = "contracts", .size = 1}};
  platform::RedisClient redis_{platform::testing::TestRedisAddress(), absl::Seconds(2)};
};

// Consumes dps.contracts into the register as the qualification process does (main.cc), as
// `group`, until nothing is left; returns how many entries were acknowledged.
int ConsumeContractsStream(ServiceFixture& f, const std::string& group) {
  platform::RedisClient redis(platform::testing::TestRedisAddress(), absl::Seconds(2));
  platform::StreamConsumer consumer({.stream = kContractsStream,
                                     .group = group,
                                     .consumer = "test",
                                     .block = absl::Milliseconds(50)},
                                    redis, f.pool(), ApplyPerformanceReviewEvent, nullptr);
  int acknowledged = 0;
  for (;;) {
    absl::StatusOr<int> applied = consumer.PollOnce();
    REQUIRE(applied.ok());
    if (*applied == 0) return acknowledged;
    acknowledged += *applied;
  }
}

v1::ListPerformanceReviewsResponse Awaiting(ServiceFixture& f, const World& w) {
  v1::ListPerformanceReviewsRequest list;
  list.set_system_id(w.system_id);
  list.set_establishment_id(w.establishment_id);
  list.set_awaiting_adjustment_only(true);
  v1::ListPerformanceReviewsResponse response;
  CHECK_OK(f.stub().ListPerformanceReviews(Lead().get(), list, &response));
  return response;
}

v1::AdjustQualificationScoreRequest Adjust(const std::string& membership_id,
                                           const std::vector<std::string>& reviews) {
  v1::AdjustQualificationScoreRequest adjust;
  adjust.set_idempotency_key(ServiceFixture::Key());
  adjust.set_membership_id(membership_id);
  adjust.set_delta_points(-4);
  adjust.set_reason("KPI targets missed two quarters running");
  for (const std::string& id : reviews) adjust.add_performance_review_ids(id);
  return adjust;
}

// The standard world with two members of the lot: the standard provider's establishment and
// provider-b's.
struct TwoMembers {
  ServiceFixture f{At(2026, 6, 1)};
  World w = SetUp(f);
  std::string membership_id = QualifiedMember(f, w);
  std::string other_membership = QualifiedMemberOf(f, w, "provider-b");
};

TEST_CASE("a review announced by the contracts service is cited by one adjustment, once",
          "[qualification][events]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  const std::string membership_id = QualifiedMember(f, w);
  f.clock().Advance(absl::Hours(24 * 190));
  ContractsOutbox contracts;
  const std::string review_id = platform::testing::UniqueName("review");
  contracts.AnnounceReview(review_id, w.system_id, w.establishment_id, f.clock().Now());
  const std::string group = platform::testing::UniqueName("qualification-performance-reviews");
  CHECK(ConsumeContractsStream(f, group) >= 1);

  // What awaits an adjustment: the review, as announced.
  v1::ListPerformanceReviewsResponse awaiting = Awaiting(f, w);
  REQUIRE(awaiting.reviews_size() == 1);
  const v1::RecordedPerformanceReview& review = awaiting.reviews(0);
  CHECK(review.id() == review_id);
  CHECK(review.rating() == "PERFORMANCE_RATING_DOES_NOT_MEET");
  CHECK(review.recommended_score_delta() == -4);
  CHECK(review.reviewed_by().organisation_id() == kLead);
  CHECK(review.score_adjustment_id().empty());

  // A review nobody recorded cannot be cited, nor can no review at all.
  v1::ScoreAdjustment adjustment;
  grpc::Status unknown = f.stub().AdjustQualificationScore(
      Lead().get(), Adjust(membership_id, {review_id, "review-never-recorded"}), &adjustment);
  CHECK(unknown.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(unknown.error_message() ==
        "performance_review_ids[1]: \"review-never-recorded\" is not a recorded performance "
        "review");
  grpc::Status none =
      f.stub().AdjustQualificationScore(Lead().get(), Adjust(membership_id, {}), &adjustment);
  CHECK(none.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(none.error_message() ==
        "performance_review_ids: an adjustment rests on at least one performance review");

  v1::AdjustQualificationScoreRequest backdated = Adjust(membership_id, {review_id});
  *backdated.mutable_effective_at() = platform::ToTimestamp(f.clock().Now() - absl::Hours(1));
  grpc::Status past = f.stub().AdjustQualificationScore(Lead().get(), backdated, &adjustment);
  CHECK(past.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(past.error_message() == "effective_at: must not be in the past");

  // Cited: the score moves, and the review no longer awaits an adjustment.
  CHECK_OK(f.stub().AdjustQualificationScore(Lead().get(), Adjust(membership_id, {review_id}),
                                             &adjustment));
  CHECK(adjustment.score_before() == 80);
  CHECK(adjustment.score_after() == 76);
  CHECK(adjustment.performance_review_ids(0) == review_id);
  CHECK(Awaiting(f, w).reviews().empty());
  v1::ListPerformanceReviewsRequest all;
  all.set_system_id(w.system_id);
  all.set_membership_id(membership_id);
  v1::ListPerformanceReviewsResponse listed;
  CHECK_OK(f.stub().ListPerformanceReviews(Lead().get(), all, &listed));
  REQUIRE(listed.reviews_size() == 1);
  CHECK(listed.reviews(0).score_adjustment_id() == adjustment.id());

  // Six months on, the same review cannot be cited again.
  f.clock().Advance(absl::Hours(24 * 190));
  grpc::Status again = f.stub().AdjustQualificationScore(
      Lead().get(), Adjust(membership_id, {review_id}), &adjustment);
  CHECK(again.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(again.error_message() == absl::StrCat("performance_review_ids[0]: \"", review_id,
                                              "\" was already cited by score adjustment ",
                                              listed.reviews(0).score_adjustment_id()));

  // Delivered again (a group reading the stream from the start), the review stays one review,
  // still cited.
  ConsumeContractsStream(f, platform::testing::UniqueName("qualification-performance-reviews"));
  CHECK_OK(f.stub().ListPerformanceReviews(Lead().get(), all, &listed));
  CHECK(listed.reviews_size() == 1);
  CHECK(Awaiting(f, w).reviews().empty());
}

TEST_CASE_METHOD(TwoMembers,
                 "a review of another establishment or system is not this membership's to cite",
                 "[qualification][events]") {
  const v1::Membership other = GetMembership(f, other_membership);
  f.clock().Advance(absl::Hours(24 * 190));
  const std::string of_other_home =
      RecordReview(f, w.system_id, other.establishment_id(), "review-other-home");
  const std::string in_other_system =
      RecordReview(f, "another-system", w.establishment_id, "review-other-system");
  v1::ScoreAdjustment adjustment;
  grpc::Status home = f.stub().AdjustQualificationScore(
      Lead().get(), Adjust(membership_id, {of_other_home}), &adjustment);
  CHECK(home.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(home.error_message() ==
        "performance_review_ids[0]: \"review-other-home\" is a review of another establishment");
  grpc::Status system = f.stub().AdjustQualificationScore(
      Lead().get(), Adjust(membership_id, {in_other_system}), &adjustment);
  CHECK(system.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(system.error_message() ==
        "performance_review_ids[0]: \"review-other-system\" is a review in another purchasing "
        "system");
  grpc::Status twice = f.stub().AdjustQualificationScore(
      Lead().get(), Adjust(other_membership, {of_other_home, of_other_home}), &adjustment);
  CHECK(twice.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(twice.error_message() == "performance_review_ids[1]: \"review-other-home\" is cited twice");
  // The other establishment's own membership cites it.
  CHECK_OK(f.stub().AdjustQualificationScore(
      Lead().get(), Adjust(other_membership, {of_other_home}), &adjustment));
}

TEST_CASE_METHOD(TwoMembers,
                 "the reviews are listed to the lead authority of the system and its auditors",
                 "[qualification][events]") {
  RecordReview(f, w.system_id, w.establishment_id, "review-1");
  RecordReview(f, w.system_id, GetMembership(f, other_membership).establishment_id(), "review-2");
  RecordReview(f, w.system_id, w.establishment_id, "review-3");
  v1::ListPerformanceReviewsRequest list;
  list.set_system_id(w.system_id);
  v1::ListPerformanceReviewsResponse listed;
  CHECK_OK(f.stub().ListPerformanceReviews(ServiceFixture::As(ApiRole::ROLE_AUDITOR, kLead).get(),
                                           list, &listed));
  CHECK(listed.reviews_size() == 3);

  // Page by page: the same request with only the token changed.
  list.mutable_page()->set_page_size(2);
  listed.Clear();
  CHECK_OK(f.stub().ListPerformanceReviews(Lead().get(), list, &listed));
  CHECK(listed.reviews_size() == 2);
  REQUIRE_FALSE(listed.page().next_page_token().empty());
  list.mutable_page()->set_page_token(listed.page().next_page_token());
  listed.Clear();
  CHECK_OK(f.stub().ListPerformanceReviews(Lead().get(), list, &listed));
  REQUIRE(listed.reviews_size() == 1);
  CHECK(listed.reviews(0).id() == "review-3");
  CHECK(listed.page().next_page_token().empty());

  // Another authority's admin, a partner's officer: refused.
  v1::ListPerformanceReviewsRequest first;
  first.set_system_id(w.system_id);
  CHECK(f.stub()
            .ListPerformanceReviews(
                ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kOutsider).get(), first,
                &listed)
            .error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(f.stub()
            .ListPerformanceReviews(
                ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner).get(), first, &listed)
            .error_code() == grpc::StatusCode::PERMISSION_DENIED);

  // Bad filters name the field.
  auto refused = [&](const v1::ListPerformanceReviewsRequest& request) {
    const grpc::Status status = f.stub().ListPerformanceReviews(Lead().get(), request, &listed);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    return status.error_message();
  };
  CHECK(refused(v1::ListPerformanceReviewsRequest()) == "system_id: required");
  v1::ListPerformanceReviewsRequest mismatched = first;
  mismatched.set_membership_id(membership_id);
  mismatched.set_establishment_id(GetMembership(f, other_membership).establishment_id());
  CHECK(refused(mismatched) == "establishment_id: is not the membership's establishment");
  v1::CreatePurchasingSystemRequest create;
  create.set_idempotency_key(ServiceFixture::Key());
  *create.mutable_spec() = SpecOf(GetSystem(f, w.system_id));
  v1::PurchasingSystem second;
  CHECK_OK(f.stub().CreatePurchasingSystem(Lead().get(), create, &second));
  v1::ListPerformanceReviewsRequest elsewhere;
  elsewhere.set_system_id(second.id());
  elsewhere.set_membership_id(membership_id);
  CHECK(refused(elsewhere) == "membership_id: is not a membership of the system");
  v1::ListPerformanceReviewsRequest no_membership = first;
  no_membership.set_membership_id("no-such-membership");
  CHECK(f.stub().ListPerformanceReviews(Lead().get(), no_membership, &listed).error_code() ==
        grpc::StatusCode::NOT_FOUND);
  v1::ListPerformanceReviewsRequest unknown_system;
  unknown_system.set_system_id("no-such-system");
  CHECK(f.stub().ListPerformanceReviews(Lead().get(), unknown_system, &listed).error_code() ==
        grpc::StatusCode::NOT_FOUND);
  v1::ListPerformanceReviewsRequest by_membership = first;
  by_membership.set_membership_id(other_membership);
  listed.Clear();
  CHECK_OK(f.stub().ListPerformanceReviews(Lead().get(), by_membership, &listed));
  REQUIRE(listed.reviews_size() == 1);
  CHECK(listed.reviews(0).id() == "review-2");
}

}  // namespace
}  // namespace dps::qualification::testing
