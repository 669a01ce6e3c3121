// PgPerformanceReviewRepository against a migrated register in the test PostgreSQL: a review
// recorded once however often it comes, loaded for citation, cited once, and listed a system at
// a time, page by page.
#include <catch2/catch.hpp>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "services/qualification/storage/pg_performance_review_repository.h"
#include "services/qualification/storage/test_register.h"

namespace dps::qualification {
namespace {

// The migrated register, and its performance reviews in a transaction.
struct Register : testing::TestRegister {
  // Runs `body` with a repository in one transaction, and returns its status.
  absl::Status With(const std::function<absl::Status(PerformanceReviewRepository&)>& body) {
    return pool.InTransaction([&](pqxx::work& tx) {
      PgPerformanceReviewRepository reviews(tx);
      return body(reviews);
    });
  }
};

v1::RecordedPerformanceReview Review(const std::string& id, const std::string& system_id,
                                     const std::string& establishment_id) {
  v1::RecordedPerformanceReview review;
  review.set_id(id);
  review.set_system_id(system_id);
  review.set_establishment_id(establishment_id);
  review.set_rating("PERFORMANCE_RATING_MEETS");
  review.set_recommended_score_delta(-2.5);
  review.mutable_reviewed_at()->set_seconds(1801476000);  // 2027-02-01T10:00:00Z
  review.mutable_reviewed_by()->set_user_id("kent-admin-1");
  return review;
}

std::vector<std::string> IdsOf(const v1::ListPerformanceReviewsResponse& response) {
  std::vector<std::string> ids;
  for (const auto& review : response.reviews()) ids.push_back(review.id());
  return ids;
}

TEST_CASE("a performance review is recorded once, whatever it says the second time", "[pg]") {
  Register r;
  bool first = false;
  bool again = true;
  REQUIRE(r.With([&](PerformanceReviewRepository& reviews) -> absl::Status {
    absl::StatusOr<bool> recorded = reviews.Record(Review("rev-1", "sys-1", "home-1"));
    if (!recorded.ok()) return recorded.status();
    first = *recorded;
    v1::RecordedPerformanceReview changed = Review("rev-1", "sys-1", "home-2");
    changed.set_score_adjustment_id("adj-forged");
    recorded = reviews.Record(changed);
    if (!recorded.ok()) return recorded.status();
    again = *recorded;
    return absl::OkStatus();
  }) == absl::OkStatus());
  CHECK(first);
  CHECK_FALSE(again);

  std::optional<v1::RecordedPerformanceReview> loaded;
  REQUIRE(r.With([&](PerformanceReviewRepository& reviews) -> absl::Status {
    absl::StatusOr<std::optional<v1::RecordedPerformanceReview>> found =
        reviews.LoadForCitation("rev-1");
    if (!found.ok()) return found.status();
    loaded = *found;
    return absl::OkStatus();
  }) == absl::OkStatus());
  REQUIRE(loaded.has_value());
  CHECK(loaded->SerializeAsString() == Review("rev-1", "sys-1", "home-1").SerializeAsString());
}

TEST_CASE("a review is cited by one adjustment only", "[pg]") {
  Register r;
  REQUIRE(r.With([&](PerformanceReviewRepository& reviews) -> absl::Status {
    for (const char* id : {"rev-1", "rev-2"}) {
      if (absl::Status s = reviews.Record(Review(id, "sys-1", "home-1")).status(); !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }) == absl::OkStatus());

  REQUIRE(r.With([&](PerformanceReviewRepository& reviews) {
    return reviews.MarkCited({"rev-1"}, "adj-1");
  }) == absl::OkStatus());
  std::optional<v1::RecordedPerformanceReview> cited;
  std::optional<v1::RecordedPerformanceReview> unknown = v1::RecordedPerformanceReview();
  REQUIRE(r.With([&](PerformanceReviewRepository& reviews) -> absl::Status {
    absl::StatusOr<std::optional<v1::RecordedPerformanceReview>> found =
        reviews.LoadForCitation("rev-1");
    if (!found.ok()) return found.status();
    cited = *found;
    found = reviews.LoadForCitation("rev-9");
    if (!found.ok()) return found.status();
    unknown = *found;
    return absl::OkStatus();
  }) == absl::OkStatus());
  REQUIRE(cited.has_value());
  CHECK(cited->score_adjustment_id() == "adj-1");
  CHECK_FALSE(unknown.has_value());

  // Cited again, or never recorded: refused, and nothing of the transaction is kept.
  const absl::Status again = r.With([&](PerformanceReviewRepository& reviews) {
    return reviews.MarkCited({"rev-2", "rev-1"}, "adj-2");
  });
  CHECK(again.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(again.message() ==
        "performance review \"rev-1\": is not recorded, or was cited by another adjustment");
  const absl::Status missing = r.With(
      [&](PerformanceReviewRepository& reviews) { return reviews.MarkCited({"rev-9"}, "adj-2"); });
  CHECK(missing.code() == absl::StatusCode::kFailedPrecondition);

  v1::ListPerformanceReviewsResponse awaiting;
  REQUIRE(r.With([&](PerformanceReviewRepository& reviews) {
    return reviews.List({.system_id = "sys-1", .awaiting_adjustment_only = true}, {}, awaiting);
  }) == absl::OkStatus());
  CHECK(IdsOf(awaiting) == std::vector<std::string>{"rev-2"});
}

TEST_CASE("reviews are listed a system at a time, by establishment, in pages", "[pg]") {
  Register r;
  REQUIRE(r.With([&](PerformanceReviewRepository& reviews) -> absl::Status {
    for (const auto& [id, system, home] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"rev-1", "sys-1", "home-1"},
             {"rev-2", "sys-1", "home-2"},
             {"rev-3", "sys-1", "home-1"},
             {"rev-4", "sys-2", "home-1"},
             {"rev-5", "sys-1", "home-1"}}) {
      if (absl::Status s = reviews.Record(Review(id, system, home)).status(); !s.ok()) return s;
    }
    return reviews.MarkCited({"rev-3"}, "adj-1");
  }) == absl::OkStatus());

  auto list = [&](const PerformanceReviewFilter& filter, const platform::Page& page) {
    v1::ListPerformanceReviewsResponse response;
    REQUIRE(r.With([&](PerformanceReviewRepository& reviews) {
      return reviews.List(filter, page, response);
    }) == absl::OkStatus());
    return response;
  };
  CHECK(IdsOf(list({.system_id = "sys-1"}, {})) ==
        std::vector<std::string>{"rev-1", "rev-2", "rev-3", "rev-5"});
  CHECK(IdsOf(list({.system_id = "sys-1", .establishment_id = "home-1"}, {})) ==
        std::vector<std::string>{"rev-1", "rev-3", "rev-5"});
  CHECK(IdsOf(list(
            {.system_id = "sys-1", .establishment_id = "home-1", .awaiting_adjustment_only = true},
            {})) == std::vector<std::string>{"rev-1", "rev-5"});
  CHECK(IdsOf(list({.system_id = "sys-3"}, {})).empty());

  // Two a page: the token carries on after the last of the page, and the last page has none.
  const v1::ListPerformanceReviewsResponse first = list({.system_id = "sys-1"}, {.size = 2});
  CHECK(IdsOf(first) == std::vector<std::string>{"rev-1", "rev-2"});
  REQUIRE_FALSE(first.page().next_page_token().empty());
  const v1::ListPerformanceReviewsResponse second =
      list({.system_id = "sys-1"}, {.size = 2, .after_id = "rev-2"});
  CHECK(IdsOf(second) == std::vector<std::string>{"rev-3", "rev-5"});
  CHECK(second.page().next_page_token().empty());
}

}  // namespace
}  // namespace dps::qualification
