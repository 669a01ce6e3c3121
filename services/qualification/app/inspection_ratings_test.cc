// The rating use cases on the repository in memory, with the rated memberships recorded: who may
// rate, what is recorded and announced, and when a drop to Inadequate suspends.
#include "services/qualification/app/inspection_ratings.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "platform/work/testing/recorded_events.h"
#include "services/qualification/domain/test_fixtures.h"
#include "services/qualification/storage/testing/in_memory_rating_repository.h"

namespace dps::qualification {
namespace {

using ::dps::platform::testing::RecordedEvents;
using ::dps::qualification::testing::Utc;
using ApiRole = dps::common::v1::Role;

const platform::CallerIdentity kLead{.user_id = "user-ws",
                                     .role = ApiRole::ROLE_LEAD_AUTHORITY_ADMIN,
                                     .organisation_id = "west-sussex"};
const platform::CallerIdentity kService{
    .user_id = "ofsted-import", .role = ApiRole::ROLE_SERVICE, .organisation_id = "dps"};
const EstablishmentRef kAcmeHouse{.id = "acme-house", .provider_id = "acme-care"};

// Which lead authorities have the establishment as a member, and the suspensions asked for.
class RecordedRatedMemberships final : public RatedMemberships {
 public:
  std::set<std::string> leads = {"west-sussex"};
  int members = 2;                  // memberships a drop suspends
  std::vector<std::string> scopes;  // the lead authority of each suspension asked ("" = every)

  absl::StatusOr<bool> LeadsSystemWithMember(const std::string& /*establishment_id*/,
                                             const std::string& lead_authority) override {
    return leads.contains(lead_authority);
  }
  absl::StatusOr<int> SuspendForInadequate(const InspectionRating& /*rating*/,
                                           const std::string& lead_authority,
                                           const std::string& /*actor*/) override {
    scopes.push_back(lead_authority);
    return members;
  }
};

struct World {
  InMemoryRatingRepository ratings;
  RecordedRatedMemberships memberships;
  RecordedEvents events;
  RatingUseCases use_cases{ratings, memberships, events};

  absl::StatusOr<RatingApplied> Report(Judgement judgement, absl::CivilDay inspected_on,
                                       const platform::CallerIdentity& caller = kLead) {
    return use_cases.Apply(kAcmeHouse,
                           {.inspectorate = Inspectorate::kOfsted,
                            .judgement = judgement,
                            .grade_text = "as reported",
                            .inspected_on = inspected_on},
                           RatingSource::kBulkImport, caller, Utc(2026, 3, 2));
  }
};

TEST_CASE("ratings: a lead rates only its members, a service any establishment") {
  World w;
  CHECK(*w.use_cases.MayRate("acme-house", kLead));
  CHECK_FALSE(*w.use_cases.MayRate(
      "acme-house",
      {.user_id = "u", .role = ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, .organisation_id = "kent"}));
  CHECK(*w.use_cases.MayRate("acme-house", kService));
}

TEST_CASE("ratings: a new judgement is recorded and announced, the same one changes nothing") {
  World w;
  absl::StatusOr<RatingApplied> first = w.Report(Judgement::kGood, absl::CivilDay(2026, 2, 1));
  REQUIRE(first.ok());
  CHECK(first->outcome == RatingApplied::Outcome::kRecorded);
  REQUIRE(first->rating.has_value());
  CHECK(first->rating->recorded_at == Utc(2026, 3, 2));
  CHECK(first->suspensions == 0);
  REQUIRE(w.events.events.size() == 1);
  CHECK(w.events.events[0].type == "qualification.establishment.rating_changed");
  const auto& changed = w.events.events[0].envelope.inspection_rating_changed();
  CHECK(changed.inspection_rating_id() == first->rating->id);
  CHECK(changed.provider_id() == "acme-care");
  CHECK(changed.previous_rating() == v1::RATING_UNSPECIFIED);
  CHECK(changed.rating() == v1::RATING_GOOD);
  CHECK_FALSE(changed.triggers_suspension());

  absl::StatusOr<RatingApplied> same = w.Report(Judgement::kGood, absl::CivilDay(2026, 2, 1));
  REQUIRE(same.ok());
  CHECK(same->outcome == RatingApplied::Outcome::kUnchanged);
  CHECK(same->rating->id == first->rating->id);
  CHECK(w.events.events.size() == 1);

  absl::StatusOr<RatingApplied> older =
      w.Report(Judgement::kInadequate, absl::CivilDay(2025, 6, 1));
  REQUIRE(older.ok());
  CHECK(older->outcome == RatingApplied::Outcome::kUnchanged);
  CHECK_FALSE(older->rating.has_value());
  CHECK(older->older ==
        "inspected on 2025-06-01, older than the inspection of 2026-02-01 already recorded");
  CHECK(w.memberships.scopes.empty());
  CHECK((*w.ratings.Latest("acme-house"))->id == first->rating->id);
}

TEST_CASE("ratings: a drop to Inadequate suspends in the systems the caller leads") {
  World w;
  REQUIRE(w.Report(Judgement::kGood, absl::CivilDay(2026, 2, 1)).ok());
  absl::StatusOr<RatingApplied> drop = w.Report(Judgement::kInadequate, absl::CivilDay(2026, 3, 1));
  REQUIRE(drop.ok());
  CHECK(drop->outcome == RatingApplied::Outcome::kRecorded);
  CHECK(drop->suspensions == 2);
  CHECK(w.memberships.scopes == std::vector<std::string>{"west-sussex"});
  REQUIRE(w.events.events.size() == 2);
  CHECK(w.events.events[1].envelope.inspection_rating_changed().previous_rating() ==
        v1::RATING_GOOD);
  CHECK(w.events.events[1].envelope.inspection_rating_changed().triggers_suspension());

  // Inadequate again, from a service: recorded (a new inspection), no new drop.
  absl::StatusOr<RatingApplied> again =
      w.Report(Judgement::kInadequate, absl::CivilDay(2026, 4, 1), kService);
  REQUIRE(again.ok());
  CHECK(again->outcome == RatingApplied::Outcome::kRecorded);
  CHECK(again->suspensions == 0);
  CHECK(w.memberships.scopes.size() == 1);
  CHECK(w.events.events.size() == 2);

  // A service's drop suspends in every system.
  REQUIRE(w.Report(Judgement::kGood, absl::CivilDay(2026, 5, 1), kService).ok());
  REQUIRE(w.Report(Judgement::kInadequate, absl::CivilDay(2026, 6, 1), kService).ok());
  CHECK(w.memberships.scopes == std::vector<std::string>{"west-sussex", ""});
}

}  // namespace
}  // namespace dps::qualification
