#include "services/referral/domain/direct_award.h"

#include <catch2/catch.hpp>

#include "services/referral/domain/shared.h"
#include "services/referral/domain/test_fixtures.h"

namespace dps::referral {
namespace {

using testing::Message;
using testing::Now;
using testing::Utc;

constexpr DirectAwardRule kLightTouch = DirectAwardRule::kWithJustification;
constexpr DirectAwardRule kPa2023 = DirectAwardRule::kWithJustificationAndTransparencyNotice;

// An emergency placement made on the morning it starts, reviewed four weeks later.
DirectAwardSpec ValidSpec() {
  DirectAwardSpec spec;
  spec.system_id = "system-1";
  spec.lot_id = "lot-homes";
  spec.establishment_id = "establishment-7";
  spec.children = {{"child-1", 12, Gender::kMale}};
  spec.postcode_district = "BN3";
  spec.justification =
      "The foster placement broke down overnight; the child needs a bed today and no "
      "competition can run in time.";
  spec.start_date = absl::CivilDay(2027, 3, 1);
  spec.review_on = absl::CivilDay(2027, 3, 29);
  spec.planned_duration_months = 6;
  spec.core_fee_pence = 450000;
  spec.additional_services = {{"one-to-one", 20, 2500}};
  return spec;
}

TransparencyNotice PublishedNotice() { return {"FTS-2027-004211", Utc(2027, 3, 1, 9)}; }

// The InvalidArgument message of ValidateDirectAward under `rule` after `change`.
template <typename Change>
std::string Error(DirectAwardRule rule, Change change) {
  DirectAwardSpec spec = ValidSpec();
  if (rule == kPa2023) spec.transparency_notice = PublishedNotice();
  change(spec);
  const absl::Status status = ValidateDirectAward(spec, rule, Now());
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  return Message(status);
}

template <typename Change>
std::string Error(Change change) {
  return Error(kLightTouch, change);
}

Actor Officer(const std::string& user_id) {
  return {
      .user_id = user_id, .role = "ROLE_PLACING_OFFICER", .organisation_id = "brighton-and-hove"};
}

DirectAward Made() {
  absl::StatusOr<DirectAward> award =
      MakeDirectAward(ValidSpec(), kLightTouch, Officer("officer-1"), Now());
  REQUIRE(award.status() == absl::OkStatus());
  return *award;
}

TEST_CASE("a direct award is refused where the purchasing system does not allow one") {
  const absl::StatusOr<DirectAward> refused =
      MakeDirectAward(ValidSpec(), DirectAwardRule::kNotAllowed, Officer("officer-1"), Now());
  CHECK(refused.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(refused.status()) ==
        "direct award: this purchasing system does not allow direct award: never under PCR 2015, "
        "and a LIGHT_TOUCH or PA2023 system must enable it");
}

TEST_CASE("a direct award with a justification and a review date is MADE by its officer") {
  const DirectAward award = Made();
  CHECK(award.state == DirectAwardState::kMade);
  CHECK(DirectAwardStateName(award.state) == "MADE");
  CHECK(award.made_at == Now());
  CHECK(award.made_by.user_id == "officer-1");
  CHECK(award.made_by.organisation_id == "brighton-and-hove");
  CHECK(award.spec.core_fee_pence == 450000);
  CHECK_FALSE(award.reviewed_at.has_value());

  CHECK(Error([](DirectAwardSpec& s) { s.justification = " \n"; }) == "justification: required");
  CHECK(Error([](DirectAwardSpec& s) { s.justification = std::string(20'001, 'x'); }) ==
        "justification: must be at most 20000 characters");
  CHECK(Error([](DirectAwardSpec& s) { s.justification = "Moved from BN3 7JW at night"; }) ==
        "justification: must not identify a child: it holds a full postcode (at character 11); "
        "write the "
        "postcode district only, and no name, full date, case number or phone number");
  CHECK(Error([](DirectAwardSpec& s) { s.review_on.reset(); }) == "review_on: required");
  CHECK(Error([](DirectAwardSpec& s) { s.start_date.reset(); }) == "start_date: required");
}

TEST_CASE("the review date comes after the start date and not before today") {
  CHECK(Error([](DirectAwardSpec& s) { s.review_on = absl::CivilDay(2027, 3, 1); }) ==
        "review_on: must be after the start date, 2027-03-01");
  // Recorded the Monday after a child was placed on Friday night.
  auto weekend = [](DirectAwardSpec& s) { s.start_date = absl::CivilDay(2027, 2, 26); };
  CHECK(Error([&](DirectAwardSpec& s) {
          weekend(s);
          s.review_on = absl::CivilDay(2027, 2, 28);
        }) == "review_on: must not be before today, 2027-03-01");
  DirectAwardSpec recorded_late = ValidSpec();
  weekend(recorded_late);
  recorded_late.review_on = absl::CivilDay(2027, 3, 1);
  CHECK(ValidateDirectAward(recorded_late, kLightTouch, Now()) == absl::OkStatus());
}

TEST_CASE("under PA2023 a transparency notice is published before the award is made") {
  CHECK(Error(kPa2023, [](DirectAwardSpec& s) { s.transparency_notice.reset(); }) ==
        "transparency_notice: required: this purchasing system publishes a transparency notice "
        "before a direct award");
  CHECK(Error(kPa2023, [](DirectAwardSpec& s) { s.transparency_notice->reference = ""; }) ==
        "transparency_notice.reference: required");
  CHECK(Error(kPa2023, [](DirectAwardSpec& s) { s.transparency_notice->published_at.reset(); }) ==
        "transparency_notice.published_at: required");
  CHECK(Error(kPa2023, [](DirectAwardSpec& s) { s.transparency_notice->published_at = Now(); }) ==
        "transparency_notice.published_at: must be before the award is made, "
        "2027-03-01T12:00:00Z, got 2027-03-01T12:00:00Z");

  DirectAwardSpec spec = ValidSpec();
  spec.transparency_notice = PublishedNotice();
  const absl::StatusOr<DirectAward> award =
      MakeDirectAward(spec, kPa2023, Officer("officer-1"), Now());
  REQUIRE(award.status() == absl::OkStatus());
  CHECK(award->spec.transparency_notice->reference == "FTS-2027-004211");

  // Light touch asks for none; one given anyway is checked like any other.
  CHECK(ValidateDirectAward(spec, kLightTouch, Now()) == absl::OkStatus());
  CHECK(Error(kLightTouch,
              [](DirectAwardSpec& s) {
                s.transparency_notice = TransparencyNotice{"FTS-2027-004211", Utc(2027, 3, 2)};
              }) ==
        "transparency_notice.published_at: must be before the award is made, "
        "2027-03-01T12:00:00Z, got 2027-03-02T12:00:00Z");
}

TEST_CASE("a direct award names its system, lot, establishment, children and district") {
  CHECK(Error([](DirectAwardSpec& s) { s.system_id.clear(); }) == "system_id: required");
  CHECK(Error([](DirectAwardSpec& s) { s.lot_id.clear(); }) == "lot_id: required");
  CHECK(Error([](DirectAwardSpec& s) { s.establishment_id.clear(); }) ==
        "establishment_id: required");
  CHECK(Error([](DirectAwardSpec& s) { s.children.clear(); }) ==
        "children: at least one child required");
  CHECK(Error([](DirectAwardSpec& s) { s.children[0].age_years = 26; }) ==
        "children[0].age_years: must be 0 to 25, got 26");
  CHECK(Error([](DirectAwardSpec& s) {
          s.children.push_back({"child-1", 9, Gender::kFemale});
        }) == "children[1].child_key: must be unique in the referral, 'child-1' is given twice");
  CHECK(Error([](DirectAwardSpec& s) { s.postcode_district.clear(); }) ==
        "location.postcode_district: required");
  CHECK(Error([](DirectAwardSpec& s) { s.postcode_district = "BN3 7JW"; }) ==
        "location.postcode_district: must be the postcode district only (e.g. \"RH12\"), never a "
        "full postcode: a child's full postcode does not leave the placing authority");

  DirectAwardSpec siblings = ValidSpec();
  siblings.children.push_back({"child-2", 9, Gender::kFemale});
  CHECK(ValidateDirectAward(siblings, kLightTouch, Now()) == absl::OkStatus());
}

TEST_CASE("the duration, fee and additional services stay within their ranges") {
  CHECK(Error([](DirectAwardSpec& s) { s.planned_duration_months = 241; }) ==
        "planned_duration_months: must be 0 to 240, got 241");
  CHECK(Error([](DirectAwardSpec& s) { s.planned_duration_months = -1; }) ==
        "planned_duration_months: must be 0 to 240, got -1");
  CHECK(Error([](DirectAwardSpec& s) { s.core_fee_pence = 0; }) ==
        "core_fee: must be positive, got 0");
  CHECK(Error([](DirectAwardSpec& s) { s.core_fee_pence = kMaxPence + 1; }) ==
        "core_fee: must be at most 100000000000 pence, got 100000000001");
  CHECK(Error([](DirectAwardSpec& s) { s.additional_services[0].code.clear(); }) ==
        "additional_services[0].code: required");
  CHECK(Error([](DirectAwardSpec& s) {
          s.additional_services.push_back({"one-to-one", 5, 2500});
        }) == "additional_services[1].code: 'one-to-one' is listed twice");
  CHECK(Error([](DirectAwardSpec& s) { s.additional_services[0].units = 0; }) ==
        "additional_services[0].units: must be 1 to 100000, got 0");
  CHECK(Error([](DirectAwardSpec& s) { s.additional_services[0].rate_pence = -1; }) ==
        "additional_services[0].rate_pence: must be positive, got -1");
  CHECK(Error([](DirectAwardSpec& s) {
          s.additional_services.clear();
          for (int i = 0; i < 101; ++i) {
            s.additional_services.push_back({"service-" + std::to_string(i), 1, 100});
          }
        }) == "additional_services: at most 100 lines, got 101");

  DirectAwardSpec unknown_length = ValidSpec();
  unknown_length.planned_duration_months = 0;
  unknown_length.additional_services.clear();
  CHECK(ValidateDirectAward(unknown_length, kLightTouch, Now()) == absl::OkStatus());
}

TEST_CASE("an incentive keeps the referral's rules under the request's field names") {
  const Incentive incentive{"Back in full-time education", 150000, absl::CivilDay(2027, 9, 1)};
  CHECK(Error([&](DirectAwardSpec& s) {
          s.incentive = incentive;
          s.incentive->premium_pence = 0;
        }) == "incentive.premium: must be positive, got 0");
  CHECK(Error([&](DirectAwardSpec& s) {
          s.incentive = incentive;
          s.incentive->description = "";
        }) == "incentive.description: required");
  CHECK(Error([&](DirectAwardSpec& s) {
          s.incentive = incentive;
          s.incentive->achieve_by.reset();
        }) == "incentive.achieve_by: required");
  CHECK(Error([&](DirectAwardSpec& s) {
          s.incentive = incentive;
          s.incentive->achieve_by = absl::CivilDay(2027, 3, 1);
        }) == "incentive.achieve_by: must be after the start date");
  DirectAwardSpec spec = ValidSpec();
  spec.incentive = incentive;
  CHECK(ValidateDirectAward(spec, kLightTouch, Now()) == absl::OkStatus());
}

TEST_CASE("a direct award is reviewed once, on or after its review date, with a note") {
  DirectAward award = Made();
  CHECK_FALSE(ReviewDue(award, absl::CivilDay(2027, 3, 28)));
  CHECK(ReviewDue(award, absl::CivilDay(2027, 3, 29)));
  CHECK(ReviewDue(award, absl::CivilDay(2027, 4, 5)));

  const absl::Status early =
      ReviewDirectAward(award, "Settled well", Officer("officer-1"), Utc(2027, 3, 28, 23, 59));
  CHECK(early.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(early) == "direct award: the review is due on 2027-03-29, not before");
  CHECK(award.state == DirectAwardState::kMade);
  CHECK(Message(ReviewDirectAward(award, "  ", Officer("officer-1"), Utc(2027, 3, 29, 9))) ==
        "review_note: required");
  CHECK(Message(ReviewDirectAward(award, "Visited at RH12 1AB", Officer("officer-1"),
                                  Utc(2027, 3, 29, 9))) ==
        "review_note: must not identify a child: it holds a full postcode (at character 11); write "
        "the "
        "postcode district only, and no name, full date, case number or phone number");
  CHECK_FALSE(award.reviewed_at.has_value());

  REQUIRE(ReviewDirectAward(award, "Settled well; a competed placement is being sought",
                            Officer("officer-2"), Utc(2027, 3, 29, 9)) == absl::OkStatus());
  CHECK(award.state == DirectAwardState::kReviewed);
  CHECK(award.reviewed_at == Utc(2027, 3, 29, 9));
  CHECK(award.reviewed_by.user_id == "officer-2");
  CHECK(award.review_note == "Settled well; a competed placement is being sought");
  CHECK_FALSE(ReviewDue(award, absl::CivilDay(2027, 4, 5)));
  CHECK(Message(ReviewDirectAward(award, "again", Officer("officer-1"), Utc(2027, 4, 5))) ==
        "direct award: cannot review a direct award that is REVIEWED");
}

// A ranked call-off of establishment-7, ranked third behind establishment-1 and -4.
DirectAwardSpec RankedSpec() {
  DirectAwardSpec spec = ValidSpec();
  spec.basis = DirectAwardBasis::kRankedCallOff;
  spec.passed_over = {{"establishment-1", "No capacity before the start date"},
                      {"establishment-4", "Cannot meet the need for PMLD"}};
  return spec;
}

const std::vector<std::string> kRanking = {"establishment-1", "establishment-4", "establishment-7",
                                           "establishment-9"};

TEST_CASE("a ranked call-off needs no direct-award permission but keeps the other rules") {
  DirectAwardSpec spec = RankedSpec();
  CHECK(ValidateDirectAward(spec, DirectAwardRule::kNotAllowed, Now()) == absl::OkStatus());
  // No transparency notice asked for, even where the regime's direct award needs one.
  CHECK(ValidateDirectAward(spec, kPa2023, Now()) == absl::OkStatus());
  spec.justification.clear();
  CHECK(Message(ValidateDirectAward(spec, DirectAwardRule::kNotAllowed, Now())) ==
        "justification: required");
  // The regime's direct award still needs the regime's permission.
  CHECK(Message(ValidateDirectAward(ValidSpec(), DirectAwardRule::kNotAllowed, Now()))
            .rfind("direct award: this purchasing system does not allow direct award", 0) == 0);
}

TEST_CASE("a ranked call-off passes over every higher-ranked member, each with its reason") {
  CHECK(CheckCallOffBasis(RankedSpec(), true, kRanking) == absl::OkStatus());
  // The top-ranked member passes over no one.
  DirectAwardSpec top = RankedSpec();
  top.establishment_id = "establishment-1";
  top.passed_over.clear();
  CHECK(CheckCallOffBasis(top, true, kRanking) == absl::OkStatus());

  DirectAwardSpec spec = RankedSpec();
  absl::Status status = CheckCallOffBasis(spec, false, kRanking);
  CHECK(status.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(status) ==
        "basis: RANKED_CALL_OFF: this purchasing system does not call off by ranking "
        "(rules.call_off_by_ranking)");

  spec.establishment_id = "establishment-99";
  status = CheckCallOffBasis(spec, true, kRanking);
  CHECK(status.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(status) ==
        "establishment_id: establishment-99 is not a QUALIFIED member of the lot's ranking");

  spec = RankedSpec();
  spec.passed_over.pop_back();
  status = CheckCallOffBasis(spec, true, kRanking);
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  CHECK(Message(status) ==
        "passed_over: establishment-4 is ranked 2, above establishment-7 (ranked 3): name it "
        "with the reason it is passed over");

  spec = RankedSpec();
  spec.passed_over.push_back({"establishment-9", "Ranked below"});
  status = CheckCallOffBasis(spec, true, kRanking);
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  CHECK(Message(status) ==
        "passed_over[2].establishment_id: \"establishment-9\" is not ranked above "
        "establishment-7 in the lot");

  spec = RankedSpec();
  spec.passed_over.push_back(spec.passed_over[0]);
  CHECK(Message(CheckCallOffBasis(spec, true, kRanking)) ==
        "passed_over[2].establishment_id: establishment-1 is listed twice");

  spec = RankedSpec();
  spec.passed_over[1].reason = "  ";
  status = CheckCallOffBasis(spec, true, kRanking);
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  CHECK(Message(status) == "passed_over[1].reason: required");

  // Only a ranked call-off passes anyone over.
  spec = RankedSpec();
  spec.basis = DirectAwardBasis::kRegime;
  status = CheckCallOffBasis(spec, true, kRanking);
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  CHECK(Message(status) == "passed_over: only a RANKED_CALL_OFF passes over ranked members");
  spec.passed_over.clear();
  CHECK(CheckCallOffBasis(spec, false, {}) == absl::OkStatus());
}

}  // namespace
}  // namespace dps::referral
