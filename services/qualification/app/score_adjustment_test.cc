// AdjustQualificationScore's steps over an in-memory register: what it saves and cites when it
// succeeds, and that a refusal at any step saves, cites and announces nothing.
#include "services/qualification/app/score_adjustment.h"

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "platform/proto/proto_time.h"

namespace dps::qualification {
namespace {

const absl::Time kQualifiedAt = absl::FromUnixSeconds(1767866400);  // 2026-01-08T10:00:00Z
const absl::Time kNow = kQualifiedAt + absl::Hours(24 * 200);

// One QUALIFIED membership scoring 80, led by "west-sussex"; counts what is saved.
class FakeStore final : public ScoreAdjustmentStore {
 public:
  FakeStore() {
    membership_.id = "mem-1";
    membership_.system_id = "sys-1";
    membership_.establishment_id = "home-1";
    membership_.qualified_at = kQualifiedAt;
    membership_.scores.push_back({.at = kQualifiedAt, .score = 80});
  }
  absl::StatusOr<Membership> LoadMembershipForLead(const std::string& id) override {
    if (id != membership_.id) return absl::NotFoundError("membership " + id + ": not found");
    return membership_;
  }
  absl::StatusOr<v1::PurchasingSystem> LoadSystem(const std::string& id) override {
    v1::PurchasingSystem system;
    system.set_id(id);
    system.mutable_rules()->set_max_score_adjustment_points(5);
    return system;
  }
  absl::Status SaveMembership(Membership& membership) override {
    membership_ = membership;
    ++memberships_saved;
    return absl::OkStatus();
  }
  absl::Status SaveAndAnnounce(const v1::ScoreAdjustment& adjustment, const Membership&) override {
    saved.push_back(adjustment);
    return absl::OkStatus();
  }

  const Membership& membership() const { return membership_; }

  std::vector<v1::ScoreAdjustment> saved;
  int memberships_saved = 0;

 private:
  Membership membership_;
};

class FakeReviews final : public PerformanceReviewRepository {
 public:
  absl::StatusOr<bool> Record(const v1::RecordedPerformanceReview& review) override {
    return reviews.emplace(review.id(), review).second;
  }
  absl::StatusOr<std::optional<v1::RecordedPerformanceReview>> LoadForCitation(
      const std::string& id) override {
    if (load_fails) return absl::UnavailableError("database down");
    auto found = reviews.find(id);
    if (found == reviews.end()) return std::nullopt;
    return found->second;
  }
  absl::Status MarkCited(const std::vector<std::string>& ids,
                         const std::string& adjustment_id) override {
    if (cite_fails) return absl::FailedPreconditionError("performance review: cited meanwhile");
    for (const std::string& id : ids) reviews[id].set_score_adjustment_id(adjustment_id);
    return absl::OkStatus();
  }
  absl::Status List(const PerformanceReviewFilter&, const platform::Page&,
                    v1::ListPerformanceReviewsResponse&) override {
    return absl::UnimplementedError("not used here");
  }

  std::map<std::string, v1::RecordedPerformanceReview> reviews;
  bool load_fails = false;
  bool cite_fails = false;
};

v1::AdjustQualificationScoreRequest Request(double delta, std::vector<std::string> reviews) {
  v1::AdjustQualificationScoreRequest request;
  request.set_membership_id("mem-1");
  request.set_delta_points(delta);
  request.set_reason("KPIs missed");
  for (const std::string& id : reviews) request.add_performance_review_ids(id);
  return request;
}

const AdjustmentContext kContext{.now = kNow, .adjustment_id = "adj-1"};

struct Register {
  FakeStore store;
  FakeReviews reviews;
  Register() {
    v1::RecordedPerformanceReview review;
    review.set_id("rev-1");
    review.set_system_id("sys-1");
    review.set_establishment_id("home-1");
    REQUIRE(reviews.Record(review).ok());
  }
  absl::StatusOr<v1::ScoreAdjustment> Adjust(const v1::AdjustQualificationScoreRequest& request) {
    return AdjustQualificationScore(store, reviews, request, kContext);
  }
};

TEST_CASE("an adjustment on a recorded review moves the score and cites the review", "[app]") {
  Register r;
  absl::StatusOr<v1::ScoreAdjustment> adjustment = r.Adjust(Request(-5, {"rev-1"}));
  REQUIRE(adjustment.ok());
  CHECK(adjustment->id() == "adj-1");
  CHECK(adjustment->score_before() == 80);
  CHECK(adjustment->score_after() == 75);
  CHECK(platform::FromTimestamp(adjustment->effective_at()) == kNow);
  REQUIRE(r.store.saved.size() == 1);
  CHECK(r.store.membership().scores.back().score == 75);
  CHECK(r.store.memberships_saved == 1);
  CHECK(r.reviews.reviews["rev-1"].score_adjustment_id() == "adj-1");
}

TEST_CASE("a refused adjustment saves and cites nothing", "[app]") {
  Register r;
  SECTION("a review not recorded") {
    CHECK(r.Adjust(Request(-5, {"rev-9"})).status().code() == absl::StatusCode::kInvalidArgument);
  }
  SECTION("beyond the system's bound of 5 points") {
    const absl::Status s = r.Adjust(Request(-6, {"rev-1"})).status();
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(s.message() == "delta: must be within +/-5 points, got -6");
  }
  SECTION("an unknown membership") {
    v1::AdjustQualificationScoreRequest request = Request(-5, {"rev-1"});
    request.set_membership_id("mem-9");
    CHECK(r.Adjust(request).status().code() == absl::StatusCode::kNotFound);
  }
  SECTION("the reviews cannot be read") {
    r.reviews.load_fails = true;
    CHECK(r.Adjust(Request(-5, {"rev-1"})).status().code() == absl::StatusCode::kUnavailable);
  }
  CHECK(r.store.saved.empty());
  CHECK(r.store.memberships_saved == 0);
  CHECK(r.store.membership().scores.size() == 1);
  CHECK(r.reviews.reviews["rev-1"].score_adjustment_id().empty());
}

TEST_CASE("a review cited meanwhile fails the adjustment with the store's refusal", "[app]") {
  Register r;
  r.reviews.cite_fails = true;
  CHECK(r.Adjust(Request(-5, {"rev-1"})).status().code() == absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace dps::qualification
