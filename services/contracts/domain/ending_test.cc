#include "services/contracts/domain/ending.h"

#include <catch2/catch.hpp>

#include "absl/strings/match.h"
#include "services/contracts/domain/test_fixtures.h"

namespace dps::contracts {
namespace {

using testing::Day;
using testing::Message;
using testing::Utc;

NoticeInput Notice() { return {EndReason::kStepDown, "Moving to a less intensive placement"}; }

TEST_CASE("notice on a fostering placement ends it 28 days after the notice is given") {
  Ipa ipa = testing::Active();
  REQUIRE(GiveNotice(ipa, Notice(), testing::ProviderUser(), Utc(2027, 5, 3)) == absl::OkStatus());
  REQUIRE(ipa.ending.has_value());
  CHECK(ipa.ending->basis == EndingBasis::kNoticeByProvider);
  CHECK(ipa.ending->given_by == Party::kProvider);
  CHECK(ipa.ending->notice_given_on == Day(2027, 5, 3));
  CHECK(ipa.ending->end_date == Day(2027, 5, 31));
  CHECK(ipa.ending->reason == EndReason::kStepDown);
  CHECK(ipa.ending->detail == "Moving to a less intensive placement");
  CHECK(ipa.state == IpaState::kActive);
}

TEST_CASE("other provision takes the notice period its IPA gives") {
  IpaSpec spec = testing::ValidSpec();
  spec.provision_type = ProvisionType::kResidentialHome;
  spec.terms.notice_period_days = 90;
  absl::StatusOr<Ipa> made = CreateIpa(spec, testing::Service(), testing::Now());
  REQUIRE(made.ok());
  Ipa ipa = *made;
  REQUIRE(Issue(ipa, testing::FakeRenderer(), testing::Officer(), testing::Now()) ==
          absl::OkStatus());
  testing::SignBoth(ipa);
  REQUIRE(GiveNotice(ipa, Notice(), testing::Officer(), Utc(2027, 5, 3)) == absl::OkStatus());
  CHECK(ipa.ending->basis == EndingBasis::kNoticeByAuthority);
  CHECK(ipa.ending->end_date == Day(2027, 8, 1));  // 3 May + 90 days
}

TEST_CASE("a later end date than the notice period allows is kept, an earlier one refused") {
  Ipa ipa = testing::Active();
  NoticeInput input = Notice();
  input.end_date = Day(2027, 5, 30);
  CHECK(Message(GiveNotice(ipa, input, testing::Officer(), Utc(2027, 5, 3))) ==
        "end_date: must be at least the notice period (28 days) after notice_given_on 2027-05-03 "
        "and not before today: 2027-05-31 or later, got 2027-05-30");
  CHECK_FALSE(ipa.ending.has_value());
  input.end_date = Day(2027, 6, 30);
  REQUIRE(GiveNotice(ipa, input, testing::Officer(), Utc(2027, 5, 3)) == absl::OkStatus());
  CHECK(ipa.ending->end_date == Day(2027, 6, 30));
}

TEST_CASE("notice is dated today or earlier, never before signature, and needs a reason") {
  Ipa ipa = testing::Active();
  NoticeInput input = Notice();
  input.notice_given_on = Day(2027, 5, 4);
  CHECK(Message(GiveNotice(ipa, input, testing::Officer(), Utc(2027, 5, 3))) ==
        "notice_given_on: must not be after today, 2027-05-03, got 2027-05-04");
  input.notice_given_on = Day(2027, 2, 28);
  CHECK(Message(GiveNotice(ipa, input, testing::Officer(), Utc(2027, 5, 3))) ==
        "notice_given_on: must not be before the IPA was signed, 2027-03-01, got 2027-02-28");
  input.notice_given_on = Day(2027, 4, 30);  // a letter recorded three days late
  REQUIRE(GiveNotice(ipa, input, testing::Officer(), Utc(2027, 5, 3)) == absl::OkStatus());
  CHECK(ipa.ending->end_date == Day(2027, 5, 28));

  Ipa other = testing::Active();
  CHECK(Message(GiveNotice(other, {EndReason::kUnspecified, "x"}, testing::Officer(),
                           Utc(2027, 5, 3))) == "reason: required");
  CHECK(Message(GiveNotice(other, {EndReason::kOther, ""}, testing::Officer(), Utc(2027, 5, 3))) ==
        "detail: required");
}

TEST_CASE("a second notice is refused, an immediate safeguarding ending brings it forward") {
  Ipa ipa = testing::Active();
  REQUIRE(GiveNotice(ipa, Notice(), testing::ProviderUser(), Utc(2027, 5, 3)) == absl::OkStatus());
  const absl::Status second = GiveNotice(ipa, Notice(), testing::Officer(), Utc(2027, 5, 4));
  CHECK(second.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(second) ==
        "ipa: cannot give notice: notice given by the PROVIDER on 2027-05-03, "
        "ending on 2027-05-31");

  NoticeInput safeguarding{EndReason::kSafeguarding, "Allegation under investigation"};
  safeguarding.immediate_safeguarding = true;
  CHECK(GiveNotice(ipa, safeguarding, testing::ProviderUser(), Utc(2027, 5, 10)).code() ==
        absl::StatusCode::kPermissionDenied);
  REQUIRE(GiveNotice(ipa, safeguarding, testing::Officer(), Utc(2027, 5, 10)) == absl::OkStatus());
  CHECK(ipa.ending->basis == EndingBasis::kImmediateSafeguarding);
  CHECK(ipa.ending->end_date == Day(2027, 5, 10));
  CHECK(EndDue(ipa, Utc(2027, 5, 10, 13)));
  REQUIRE(End(ipa, Utc(2027, 5, 10, 13)) == absl::OkStatus());
  CHECK(ipa.ended_on == Day(2027, 5, 10));
}

TEST_CASE("both parties agreeing the same date schedule the ending, with the proposer's reason") {
  Ipa ipa = testing::Active();
  REQUIRE(AgreeEnding(ipa, {Day(2027, 6, 30), EndReason::kOutcomesAchieved, "Ready for home"},
                      testing::Officer(), Utc(2027, 5, 3)) == absl::OkStatus());
  CHECK_FALSE(ipa.ending.has_value());
  REQUIRE(AgreeEnding(ipa, {Day(2027, 7, 15), EndReason::kOther, ""}, testing::ProviderUser(),
                      Utc(2027, 5, 4)) == absl::OkStatus());
  CHECK_FALSE(ipa.ending.has_value());  // different dates: nothing agreed yet
  REQUIRE(AgreeEnding(ipa, {Day(2027, 6, 30), EndReason::kOther, ""}, testing::ProviderUser(),
                      Utc(2027, 5, 5)) == absl::OkStatus());
  REQUIRE(ipa.ending.has_value());
  CHECK(ipa.ending->basis == EndingBasis::kMutualAgreement);
  CHECK(ipa.ending->end_date == Day(2027, 6, 30));
  CHECK(ipa.ending->reason == EndReason::kOutcomesAchieved);
  CHECK(ipa.ending->detail == "Ready for home");
  CHECK(Message(AgreeEnding(ipa, {Day(2027, 5, 1), EndReason::kOther, ""}, testing::Officer(),
                            Utc(2027, 5, 5))) ==
        "end_date: must not be before today, 2027-05-05, got 2027-05-01");
}

TEST_CASE("the IPA ends on its end date through the timer, not before") {
  Ipa ipa = testing::Active();
  REQUIRE(GiveNotice(ipa, Notice(), testing::Officer(), Utc(2027, 5, 3)) == absl::OkStatus());
  CHECK_FALSE(EndDue(ipa, Utc(2027, 5, 30, 23, 59)));
  const absl::Status early = End(ipa, Utc(2027, 5, 30, 23, 59));
  CHECK(early.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(early) ==
        "ipa: cannot end an IPA that is ACTIVE before its end date 2027-05-31 "
        "(today is 2027-05-30)");
  CHECK(EndDue(ipa, Utc(2027, 5, 31, 0, 0)));
  REQUIRE(End(ipa, Utc(2027, 5, 31, 0, 0)) == absl::OkStatus());
  CHECK(ipa.state == IpaState::kEnded);
  CHECK(ipa.ended_on == Day(2027, 5, 31));
  CHECK(ipa.ending->reason == EndReason::kStepDown);
  CHECK_FALSE(EndDue(ipa, Utc(2027, 6, 1)));
}

TEST_CASE("a signed placement ended before its start is never activated") {
  Ipa ipa = testing::Signed();
  REQUIRE(AgreeEnding(ipa, {Day(2027, 3, 20), EndReason::kReturnedHome, ""}, testing::Officer(),
                      Utc(2027, 3, 10)) == absl::OkStatus());
  REQUIRE(AgreeEnding(ipa, {Day(2027, 3, 20), EndReason::kReturnedHome, ""},
                      testing::ProviderUser(), Utc(2027, 3, 10)) == absl::OkStatus());
  REQUIRE(End(ipa, Utc(2027, 3, 20)) == absl::OkStatus());
  CHECK(ipa.state == IpaState::kEnded);
  CHECK_FALSE(ipa.actual_start_date.has_value());
}

TEST_CASE("the history says when and why the IPA ended") {
  const Ipa ipa = testing::Ended();
  CHECK(ipa.history.back().what == "ended on 2027-04-02 (PLACEMENT_BREAKDOWN)");
}

}  // namespace
}  // namespace dps::contracts
