#include "services/qualification/ratings/rating_changes.h"

#include <catch2/catch.hpp>

#include "services/qualification/ratings/ofsted_csv.h"

namespace dps::qualification::ratings {
namespace {

constexpr char kRealFile[] = DPS_DATA_DIR "/ofsted/providers_at_2025-03-31.csv";
constexpr char kHeader[] =
    "URN,Provision type,Local authority,Latest full inspection date,Overall effectiveness,"
    "Registration status\n";

RatingFile Parse(const std::string& rows) {
  absl::StatusOr<RatingFile> file = ParseOfstedCsv(std::string(kHeader) + rows);
  REQUIRE(file.ok());
  return *std::move(file);
}

TEST_CASE("Importing the same file twice yields no changes the second time", "[changes]") {
  absl::StatusOr<RatingFile> file = ReadOfstedCsvFile(kRealFile);
  REQUIRE(file.ok());
  CurrentRatings held;
  std::vector<RatingChange> first = ComputeRatingChanges(held, *file);
  CHECK(first.size() == 5600);
  CHECK(std::all_of(first.begin(), first.end(),
                    [](const RatingChange& c) { return c.kind == ChangeKind::kNew; }));
  // Every Inadequate provider is a trigger on first sight, and each Ofsted-suspended one.
  const auto triggers = std::count_if(first.begin(), first.end(), [](const RatingChange& c) {
    return c.trigger != SuspensionTrigger::kNone;
  });
  CHECK(triggers >= 54);
  ApplyRatingChanges(first, &held);
  CHECK(ComputeRatingChanges(held, *file).empty());
}

TEST_CASE("A drop to Inadequate is a suspension trigger, once", "[changes]") {
  CurrentRatings held;
  ApplyRatingChanges(ComputeRatingChanges(held, Parse("1,Children's home,Leeds,01/02/2023,Good,"
                                                      "Active\n"
                                                      "2,Children's home,Leeds,,,Active\n")),
                     &held);

  RatingFile later = Parse(
      "1,Children's home,Leeds,01/02/2025,Inadequate,Active\n"
      "2,Children's home,Leeds,05/03/2025,Outstanding,Active\n"
      "3,Children's home,Leeds,05/03/2025,Good,Active\n");
  std::vector<RatingChange> changes = ComputeRatingChanges(held, later);
  REQUIRE(changes.size() == 3);
  CHECK(changes[0].urn == "1");
  CHECK(changes[0].kind == ChangeKind::kChanged);
  CHECK(changes[0].previous->overall == OverallRating::kGood);
  CHECK(changes[0].current.overall == OverallRating::kInadequate);
  CHECK(changes[0].trigger == SuspensionTrigger::kDroppedToInadequate);
  CHECK(changes[0].line == 2);
  CHECK(changes[1].kind == ChangeKind::kChanged);  // first rating of a known home
  CHECK(changes[1].trigger == SuspensionTrigger::kNone);
  CHECK(changes[2].kind == ChangeKind::kNew);
  ApplyRatingChanges(changes, &held);

  // Re-inspected and still Inadequate: a change of date, but not a second trigger.
  std::vector<RatingChange> again =
      ComputeRatingChanges(held, Parse("1,Children's home,Leeds,01/06/2025,Inadequate,Active\n"));
  REQUIRE(again.size() == 1);
  CHECK(again[0].trigger == SuspensionTrigger::kNone);
}

TEST_CASE("An older file does not undo a newer inspection", "[changes]") {
  CurrentRatings held;
  ApplyRatingChanges(
      ComputeRatingChanges(held, Parse("1,Children's home,Leeds,01/02/2025,Good,Active\n")), &held);
  CHECK(ComputeRatingChanges(held, Parse("1,Children's home,Leeds,01/02/2022,Inadequate,Active\n"))
            .empty());
  // ...but the registration status it reports is still taken.
  std::vector<RatingChange> changes = ComputeRatingChanges(
      held, Parse("1,Children's home,Leeds,01/02/2022,Inadequate,Suspended\n"));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].current.overall == OverallRating::kGood);
  CHECK(changes[0].trigger == SuspensionTrigger::kRegistrationSuspended);
}

TEST_CASE("Supported accommodation's serious weaknesses are a trigger", "[changes]") {
  absl::StatusOr<RatingFile> file = ParseOfstedCsv(
      "URN,Provision type,Local authority,Latest full inspection date,Overall effectiveness,"
      "Supported Accommodation outcome\n"
      "7,Supported Accommodation,Leeds,01/02/2025,,Serious or widespread weaknesses\n");
  REQUIRE(file.ok());
  std::vector<RatingChange> changes = ComputeRatingChanges({}, *file);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].trigger == SuspensionTrigger::kSeriousWeaknesses);
}

}  // namespace
}  // namespace dps::qualification::ratings
