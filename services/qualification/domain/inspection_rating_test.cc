#include "services/qualification/domain/inspection_rating.h"

#include <catch2/catch.hpp>
#include <string>
#include <utility>

namespace dps::qualification {
namespace {

TEST_CASE("an inspection older than the current rating's does not replace it",
          "[inspection_rating]") {
  const absl::CivilDay current(2026, 3, 2);
  CHECK(IsOlderInspection(absl::CivilDay(2026, 3, 1), current));
  CHECK(IsOlderInspection(absl::CivilDay(2025, 11, 20), current));
  CHECK_FALSE(IsOlderInspection(absl::CivilDay(2026, 3, 3), current));

  SECTION("the same day replaces it: a grade corrected after a challenge") {
    CHECK_FALSE(IsOlderInspection(absl::CivilDay(2026, 3, 2), current));
  }
  SECTION("an undated one (not yet inspected) never replaces a dated one") {
    CHECK(IsOlderInspection(std::nullopt, current));
  }
  SECTION("anything replaces an undated current rating, and the first rating replaces nothing") {
    CHECK_FALSE(IsOlderInspection(absl::CivilDay(2020, 1, 1), std::nullopt));
    CHECK_FALSE(IsOlderInspection(std::nullopt, std::nullopt));
  }
}

InspectionRating Current(Judgement judgement, std::optional<absl::CivilDay> inspected_on) {
  return {.id = "rat-1",
          .establishment_id = "acme-house",
          .outcome = {.inspectorate = Inspectorate::kOfsted,
                      .judgement = judgement,
                      .grade_text = "Good",
                      .inspected_on = inspected_on}};
}

InspectionOutcome Reported(Judgement judgement, std::optional<absl::CivilDay> inspected_on,
                           std::string grade_text = "Good") {
  return {.inspectorate = Inspectorate::kOfsted,
          .judgement = judgement,
          .grade_text = std::move(grade_text),
          .inspected_on = inspected_on};
}

TEST_CASE("a reported outcome is recorded unless it is the current one or an older inspection",
          "[inspection_rating]") {
  const absl::CivilDay day(2026, 3, 2);
  RatingDecision first = DecideRating(std::nullopt, Reported(Judgement::kGood, day));
  CHECK(first.kind == RatingDecision::Kind::kRecord);
  CHECK(first.before == Judgement::kUnspecified);
  CHECK(first.changes_judgement);
  CHECK_FALSE(first.drops_to_inadequate);

  const InspectionRating good = Current(Judgement::kGood, day);
  CHECK(DecideRating(good, Reported(Judgement::kGood, day)).kind == RatingDecision::Kind::kSame);
  // Another wording of the same judgement is recorded, and changes no judgement.
  RatingDecision reworded = DecideRating(good, Reported(Judgement::kGood, day, "Good overall"));
  CHECK(reworded.kind == RatingDecision::Kind::kRecord);
  CHECK_FALSE(reworded.changes_judgement);

  RatingDecision older =
      DecideRating(good, Reported(Judgement::kInadequate, absl::CivilDay(2026, 1, 10)));
  CHECK(older.kind == RatingDecision::Kind::kOlder);
  CHECK(older.older ==
        "inspected on 2026-01-10, older than the inspection of 2026-03-02 already recorded");
  CHECK_FALSE(older.drops_to_inadequate);
  CHECK(DecideRating(good, Reported(Judgement::kNotYetInspected, std::nullopt)).older ==
        "not dated, so older than the inspection of 2026-03-02 already recorded");

  RatingDecision drop =
      DecideRating(good, Reported(Judgement::kInadequate, absl::CivilDay(2026, 5, 1)));
  CHECK(drop.kind == RatingDecision::Kind::kRecord);
  CHECK(drop.before == Judgement::kGood);
  CHECK(drop.changes_judgement);
  CHECK(drop.drops_to_inadequate);
  // Inadequate again is no new drop: the establishment is suspended already.
  RatingDecision again = DecideRating(Current(Judgement::kInadequate, day),
                                      Reported(Judgement::kInadequate, absl::CivilDay(2026, 5, 1)));
  CHECK(again.kind == RatingDecision::Kind::kRecord);
  CHECK_FALSE(again.drops_to_inadequate);
  // Any dated report replaces an undated current rating.
  CHECK(DecideRating(Current(Judgement::kNotYetInspected, std::nullopt),
                     Reported(Judgement::kGood, absl::CivilDay(2020, 1, 1)))
            .kind == RatingDecision::Kind::kRecord);
}

}  // namespace
}  // namespace dps::qualification
