// The rules of publishing awards: quarters, their deadline, which awards a quarter holds, the
// value stated, the kind a regime requires and marking a publication published.
#include "services/contracts/domain/publication.h"

#include <catch2/catch.hpp>
#include <limits>

#include "services/contracts/domain/test_fixtures.h"

namespace dps::contracts {
namespace {

using testing::Day;
using testing::Message;
using testing::Utc;

// The fixture's award (ValidSpec: £850 less 5% with £300 and £100 of services from 1 April 2027,
// so £1,207.50 a week on its start date), awarded at `at`.
Ipa AwardedAt(absl::Time at, const std::string& id = "ipa-1") {
  IpaSpec spec = testing::ValidSpec();
  spec.id = id;
  spec.awarded_at = at;
  absl::StatusOr<Ipa> ipa = CreateIpa(spec, testing::Service(), testing::Now());
  REQUIRE(ipa.status() == absl::OkStatus());
  return *ipa;
}

Actor LeadAdmin() { return {"admin-1", Role::kLeadAuthorityAdmin, "authority-lead"}; }

Publication Produced() {
  Publication p;
  p.id = "publication-1";
  p.system_id = "system-1";
  p.lead_authority_id = "authority-lead";
  p.kind = PublicationKind::kQuarterly;
  p.quarter = Quarter{2027, 2};
  p.award_count = 1;
  p.publish_by = PublishByOf({2027, 2});
  p.sha256 = std::string(64, 'a');
  p.produced_at = Utc(2027, 7, 2);
  return p;
}

TEST_CASE("A quarter names a year and a quarter from 1 to 4", "[quarter]") {
  CHECK(ValidateQuarter("quarter", {2027, 1}) == absl::OkStatus());
  CHECK(ValidateQuarter("quarter", {2027, 4}) == absl::OkStatus());
  for (int bad : {0, 5, -1}) {
    const absl::Status s = ValidateQuarter("quarter", {2027, bad});
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(Message(s) == "quarter.quarter: must be 1 to 4");
  }
  const absl::Status year = ValidateQuarter("quarter", {1999, 1});
  CHECK(year.code() == absl::StatusCode::kInvalidArgument);
  CHECK(Message(year) == "quarter.year: must be 2000 to 2999, got 1999");
  CHECK(ValidateQuarter("quarter", {0, 0}).code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("A quarter runs from its first month's first day to its third month's last day",
          "[quarter]") {
  CHECK(FirstDayOf({2027, 1}) == Day(2027, 1, 1));
  CHECK(LastDayOf({2027, 1}) == Day(2027, 3, 31));
  CHECK(FirstDayOf({2027, 2}) == Day(2027, 4, 1));
  CHECK(LastDayOf({2027, 2}) == Day(2027, 6, 30));
  CHECK(LastDayOf({2027, 3}) == Day(2027, 9, 30));
  CHECK(FirstDayOf({2027, 4}) == Day(2027, 10, 1));
  CHECK(LastDayOf({2027, 4}) == Day(2027, 12, 31));
  CHECK(QuarterOf(Day(2028, 2, 29)) == Quarter{2028, 1});
  CHECK(QuarterOf(Day(2027, 7, 1)) == Quarter{2027, 3});
  CHECK(QuarterOf(Day(2027, 12, 31)) == Quarter{2027, 4});
  CHECK(QuarterLabel({2027, 2}) == "2027-Q2");
}

TEST_CASE("A quarter is published by the 30th day after its last day", "[quarter]") {
  // The header's worked example: 31 March + 30 days.
  CHECK(PublishByOf({2027, 1}) == Day(2027, 4, 30));
  CHECK(PublishByOf({2027, 2}) == Day(2027, 7, 30));
  CHECK(PublishByOf({2027, 3}) == Day(2027, 10, 30));
  // Q4 runs into the next year.
  CHECK(PublishByOf({2027, 4}) == Day(2028, 1, 30));
}

TEST_CASE("An award belongs to the quarter of its UTC award day", "[quarter]") {
  const Ipa last_moment = AwardedAt(Utc(2027, 6, 30, 23, 59));
  const Ipa next_quarter = AwardedAt(Utc(2027, 7, 1, 0, 0), "ipa-2");
  const Ipa first_day = AwardedAt(Utc(2027, 4, 1, 0, 0), "ipa-3");
  CHECK(AwardedIn(last_moment, {2027, 2}));
  CHECK_FALSE(AwardedIn(last_moment, {2027, 3}));
  CHECK(AwardedIn(next_quarter, {2027, 3}));
  CHECK(AwardedIn(first_day, {2027, 2}));
  CHECK_FALSE(AwardedIn(first_day, {2026, 2}));

  const std::vector<Ipa> q2 = AwardsIn({last_moment, next_quarter, first_day}, {2027, 2});
  REQUIRE(q2.size() == 2);
  CHECK(q2[0].id == "ipa-1");
  CHECK(q2[1].id == "ipa-3");
}

TEST_CASE("An award's annual value is its weekly total on its start date times 52", "[value]") {
  const Ipa ipa = AwardedAt(Utc(2027, 3, 1));
  // £850.00 - 5% + £300.00 + £100.00 = £1,207.50 a week, on 1 April 2027.
  CHECK(ValueDayOf(ipa) == Day(2027, 4, 1));
  CHECK(AnnualValuePence(ipa) == 120'750 * 52);

  // The 1:1 support ends on 30 June: an award starting after it is valued without it.
  IpaSpec later = testing::ValidSpec();
  later.terms.start_date = Day(2027, 7, 1);
  later.terms.costs.additional_services.erase(later.terms.costs.additional_services.begin());
  absl::StatusOr<Ipa> without = CreateIpa(later, testing::Service(), testing::Now());
  REQUIRE(without.status() == absl::OkStatus());
  CHECK(AnnualValuePence(*without) == (85'000 - 4'250 + 10'000) * 52);
}

TEST_CASE("An award with no start date yet is valued on its award day", "[value]") {
  IpaSpec spec = testing::ValidSpec();
  spec.terms.start_date.reset();
  spec.terms.planned_end_date.reset();
  spec.terms.costs.additional_services.clear();
  spec.awarded_at = Utc(2027, 5, 3);
  absl::StatusOr<Ipa> ipa = CreateIpa(spec, testing::Service(), testing::Now());
  REQUIRE(ipa.status() == absl::OkStatus());
  CHECK(ValueDayOf(*ipa) == Day(2027, 5, 3));
  CHECK(AnnualValuePence(*ipa) == 80'750 * 52);
}

TEST_CASE("The total annual value adds the awards and refuses to overflow", "[value]") {
  const Ipa a = AwardedAt(Utc(2027, 4, 2));
  const Ipa b = AwardedAt(Utc(2027, 4, 3), "ipa-2");
  absl::StatusOr<int64_t> total = TotalAnnualValuePence({a, b});
  REQUIRE(total.status() == absl::OkStatus());
  CHECK(*total == 2 * 120'750 * 52);
  CHECK(*TotalAnnualValuePence({}) == 0);

  // A record whose fee is beyond any valid one (storage read it, nothing validated it) must
  // not wrap round.
  Ipa huge = a;
  huge.draft.costs.core_weekly_fee_pence =
      std::numeric_limits<int64_t>::max() / 50;  // x 52 overflows
  huge.draft.costs.discounts.clear();
  huge.draft.costs.additional_services.clear();
  const absl::Status overflow = TotalAnnualValuePence({huge}).status();
  CHECK(overflow.code() == absl::StatusCode::kOutOfRange);
  CHECK(Message(overflow).rfind("total_annual_value: ", 0) == 0);
  Ipa big = huge;
  big.draft.costs.core_weekly_fee_pence = std::numeric_limits<int64_t>::max() / 52 / 2;
  CHECK(TotalAnnualValuePence({big, big, big}).status().code() == absl::StatusCode::kOutOfRange);
}

TEST_CASE("The regime decides the kind of publication", "[kind]") {
  CHECK(*KindForRegime(Regime::kPcr2015Dps) == PublicationKind::kQuarterly);
  CHECK(*KindForRegime(Regime::kLightTouch) == PublicationKind::kQuarterly);
  CHECK(*KindForRegime(Regime::kPa2023DynamicMarket) == PublicationKind::kContractAwardNotice);
  CHECK(KindForRegime(Regime::kUnspecified).status().code() ==
        absl::StatusCode::kFailedPrecondition);

  CHECK(CheckKindForRegime(Regime::kLightTouch, PublicationKind::kQuarterly) == absl::OkStatus());
  const absl::Status wrong =
      CheckKindForRegime(Regime::kPcr2015Dps, PublicationKind::kContractAwardNotice);
  CHECK(wrong.code() == absl::StatusCode::kInvalidArgument);
  CHECK(Message(wrong) ==
        "kind: a PCR2015_DPS system publishes QUARTERLY, not CONTRACT_AWARD_NOTICE");
  CHECK(Message(CheckKindForRegime(Regime::kPa2023DynamicMarket, PublicationKind::kQuarterly)) ==
        "kind: a PA2023_DYNAMIC_MARKET system publishes CONTRACT_AWARD_NOTICE, not QUARTERLY");
}

TEST_CASE("The lead authority's admin marks a publication published once", "[publish]") {
  Publication p = Produced();
  const absl::Time at = Utc(2027, 7, 20);
  REQUIRE(MarkPublished(p, "FTS-000123-2027", at, LeadAdmin(), Utc(2027, 7, 21)) ==
          absl::OkStatus());
  CHECK(p.state == PublicationState::kPublished);
  CHECK(p.external_reference == "FTS-000123-2027");
  CHECK(p.published_at == at);
  CHECK(p.published_by_user_id == "admin-1");

  const Publication before = p;
  const absl::Status again = MarkPublished(p, "FTS-9", at, LeadAdmin(), Utc(2027, 7, 21));
  CHECK(again.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(again) == "publication: cannot mark a PUBLISHED publication published again");
  CHECK(p == before);
}

TEST_CASE("Only an admin of the lead authority may mark a publication published", "[publish]") {
  const absl::Time now = Utc(2027, 7, 21);
  for (const Actor& who : {Actor{"admin-2", Role::kLeadAuthorityAdmin, "another-council"},
                           Actor{"auditor-1", Role::kAuditor, "authority-lead"},
                           testing::Commissioner(), testing::Service()}) {
    Publication p = Produced();
    const absl::Status s = MarkPublished(p, "FTS-1", now, who, now);
    CHECK(s.code() == absl::StatusCode::kPermissionDenied);
    CHECK(p == Produced());
  }
}

TEST_CASE("Marking published needs a reference of at most 256 characters and a sensible time",
          "[publish]") {
  const absl::Time now = Utc(2027, 7, 21);
  Publication p = Produced();
  CHECK(Message(MarkPublished(p, "  ", now, LeadAdmin(), now)) == "external_reference: required");
  CHECK(MarkPublished(p, std::string(257, 'x'), now, LeadAdmin(), now).code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(Message(MarkPublished(p, "FTS-1", now + absl::Hours(1), LeadAdmin(), now)) ==
        "published_at: must not be in the future");
  CHECK(Message(MarkPublished(p, "FTS-1", Utc(2027, 7, 1), LeadAdmin(), now)) ==
        "published_at: must not be before the publication was produced (2027-07-02T12:00:00Z)");
  CHECK(p == Produced());
  CHECK(MarkPublished(p, std::string(256, 'x'), now, LeadAdmin(), now) == absl::OkStatus());
}

TEST_CASE("Names of regimes kinds and states are the API's", "[names]") {
  CHECK(RegimeName(Regime::kPa2023DynamicMarket) == "PA2023_DYNAMIC_MARKET");
  CHECK(PublicationKindName(PublicationKind::kContractAwardNotice) == "CONTRACT_AWARD_NOTICE");
  CHECK(PublicationStateName(PublicationState::kPublished) == "PUBLISHED");
}

}  // namespace
}  // namespace dps::contracts
