// The rating repository held to one contract: the scenario runs against the PostgreSQL
// implementation (in one transaction of a migrated register) and against the one in memory the
// use cases' pure tests use, so the fake answers as the database does.
#include <catch2/catch.hpp>
#include <string>

#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/test_fixtures.h"
#include "services/qualification/storage/pg_rating_repository.h"
#include "services/qualification/storage/test_register.h"
#include "services/qualification/storage/testing/in_memory_rating_repository.h"

namespace dps::qualification {
namespace {

using ::dps::qualification::testing::Utc;

std::string Encoded(const InspectionRating& rating) {
  return ToApiRating(rating).SerializeAsString();
}

InspectionRating Rated(const std::string& id, const std::string& establishment_id,
                       Judgement judgement, absl::Time recorded_at) {
  return {.id = id,
          .establishment_id = establishment_id,
          .outcome = {.inspectorate = Inspectorate::kOfsted,
                      .judgement = judgement,
                      .grade_text = "as reported",
                      .inspected_on = absl::CivilDay(2026, 2, 1),
                      .published_on = absl::CivilDay(2026, 2, 20),
                      .report_url = "https://reports.ofsted.gov.uk/1"},
          .source = RatingSource::kManual,
          .recorded_at = recorded_at};
}

void RatingContract(RatingRepository& ratings) {
  CHECK(!ratings.Latest("acme-house")->has_value());
  const InspectionRating good = Rated("rat-1", "acme-house", Judgement::kGood, Utc(2026, 3, 1));
  REQUIRE(ratings.Insert(good) == absl::OkStatus());
  CHECK(ratings.Insert(good) ==
        absl::AlreadyExistsError("inspection rating rat-1: already exists"));
  REQUIRE(ratings.Latest("acme-house")->has_value());
  CHECK(Encoded(**ratings.Latest("acme-house")) == Encoded(good));

  // The one recorded last is the latest, even recorded in the same instant.
  const InspectionRating inadequate =
      Rated("rat-0", "acme-house", Judgement::kInadequate, Utc(2026, 3, 1));
  REQUIRE(ratings.Insert(inadequate) == absl::OkStatus());
  REQUIRE(ratings.Insert(Rated("rat-2", "beta-house", Judgement::kOutstanding, Utc(2026, 3, 2))) ==
          absl::OkStatus());
  CHECK(Encoded(**ratings.Latest("acme-house")) == Encoded(inadequate));
  CHECK((*ratings.Latest("beta-house"))->id == "rat-2");
}

TEST_CASE("ratings: the repository in memory answers as PostgreSQL does", "[pg]") {
  InMemoryRatingRepository memory;
  RatingContract(memory);
  testing::TestRegister r;
  REQUIRE(r.pool.InTransaction([](pqxx::work& tx) {
    // The rated establishments are not this test's subject: foreign keys are left unchecked for
    // its transaction (the test database's superuser may).
    tx.exec0("SET LOCAL session_replication_role = replica");
    PgRatingRepository ratings(tx);
    RatingContract(ratings);
    return absl::OkStatus();
  }) == absl::OkStatus());
}

}  // namespace
}  // namespace dps::qualification
