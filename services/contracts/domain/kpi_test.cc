#include "services/contracts/domain/kpi.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/contracts/domain/test_fixtures.h"

namespace dps::contracts {
namespace {

using testing::Day;
using testing::Message;
using testing::Utc;

Actor LeadAdmin() { return {"lead-admin-1", Role::kLeadAuthorityAdmin, "authority-lead"}; }
Actor LeadAuditor() { return {"auditor-1", Role::kAuditor, "authority-lead"}; }

// A month after the placement of the fixtures started (1 April 2027).
absl::Time InMay() { return Utc(2027, 5, 3); }

std::vector<KpiDefinition> Definitions() {
  return {
      {"missing-episodes",
       "Missing episodes",
       "Times the child was missing from care",
       KpiValueType::kCount,
       1,
       {}},
      {"school-attendance", "School attendance", "", KpiValueType::kPercentage, 1, {}},
      {"health-assessment",
       "Health assessment up to date",
       "",
       KpiValueType::kYesNo,
       3,
       {ProvisionType::kFostering, ProvisionType::kResidentialHome}},
      {"progress", "Progress against the care plan", "", KpiValueType::kText, 1, {}},
      {"course-completion",
       "Course completion",
       "",
       KpiValueType::kPercentage,
       12,
       {ProvisionType::kSpecialistCollege}},
  };
}

KpiDefinitionSet DefinitionSet() {
  KpiDefinitionSet set{"system-1", {}, std::nullopt, std::nullopt};
  REQUIRE(SetKpiDefinitions(set, Definitions(), {}, "authority-lead", LeadAdmin(),
                            testing::Now()) == absl::OkStatus());
  return set;
}

std::vector<KpiValue> Values() {
  std::vector<KpiValue> values(4);
  values[0].code = "missing-episodes";
  values[0].integer_value = 1;
  values[1].code = "school-attendance";
  values[1].basis_points_value = 9'250;
  values[2].code = "health-assessment";
  values[2].bool_value = true;
  values[3].code = "progress";
  values[3].text_value = "Settled well and joined the school football team";
  return values;
}

KpiReturnInput April() { return {DateRange{Day(2027, 4, 1), Day(2027, 4, 30)}, Values()}; }

absl::StatusOr<KpiReturn> Submit(const Ipa& ipa, KpiReturnInput input = April(),
                                 const std::optional<KpiReturn>& existing = std::nullopt,
                                 const Actor& by = testing::ProviderUser(),
                                 absl::Time at = InMay()) {
  return SubmitKpiReturn(ipa, DefinitionSet(), existing, "kpi-return-1", std::move(input), by, at);
}

KpiReturn Submitted() {
  absl::StatusOr<KpiReturn> submitted = Submit(testing::Active());
  REQUIRE(submitted.status() == absl::OkStatus());
  return *submitted;
}

std::string Refusal(const Ipa& ipa, const KpiReturnInput& input) {
  return Message(Submit(ipa, input).status());
}

// --- definitions -------------------------------------------------------------------------------

TEST_CASE("the lead authority's admin sets a system's KPIs") {
  const KpiDefinitionSet set = DefinitionSet();
  CHECK(set.definitions == Definitions());
  CHECK(set.updated_by->user_id == "lead-admin-1");
  CHECK(set.updated_at == testing::Now());
  CHECK(set.Find("progress")->value_type == KpiValueType::kText);
  CHECK(set.Find("nothing") == nullptr);
  CHECK(AppliesTo(*set.Find("missing-episodes"), ProvisionType::kInmss));
  CHECK_FALSE(AppliesTo(*set.Find("course-completion"), ProvisionType::kFostering));

  for (const Actor& other :
       {LeadAuditor(), Actor{"lead-admin-2", Role::kLeadAuthorityAdmin, "west-sussex"},
        testing::Commissioner(), testing::Service()}) {
    KpiDefinitionSet unchanged = set;
    const absl::Status s =
        SetKpiDefinitions(unchanged, {}, {}, "authority-lead", other, testing::Now());
    CHECK(s.code() == absl::StatusCode::kPermissionDenied);
    CHECK(unchanged.definitions == set.definitions);
  }
}

TEST_CASE("each definition is checked field by field") {
  auto refusal = [](const std::function<void(KpiDefinition&)>& change) {
    std::vector<KpiDefinition> definitions = Definitions();
    change(definitions[1]);
    KpiDefinitionSet set{"system-1", {}, std::nullopt, std::nullopt};
    return Message(
        SetKpiDefinitions(set, definitions, {}, "authority-lead", LeadAdmin(), testing::Now()));
  };
  CHECK(refusal([](KpiDefinition& d) { d.code = ""; }) == "definitions[1].code: required");
  CHECK(refusal([](KpiDefinition& d) { d.code = "School_Attendance"; }) ==
        "definitions[1].code: must be 1 to 32 of a-z, 0-9 and '-', got \"School_Attendance\"");
  CHECK(refusal([](KpiDefinition& d) {
          d.code = std::string(33, 'a');
        }).rfind("definitions[1].code: must be 1 to 32", 0) == 0);
  CHECK(refusal([](KpiDefinition& d) { d.code = "missing-episodes"; }) ==
        "definitions[1].code: \"missing-episodes\" is given twice");
  CHECK(refusal([](KpiDefinition& d) { d.title = " "; }) == "definitions[1].title: required");
  CHECK(refusal([](KpiDefinition& d) { d.title = std::string(201, 't'); }) ==
        "definitions[1].title: must be at most 200 characters, got 201");
  CHECK(refusal([](KpiDefinition& d) { d.description = std::string(20'001, 'd'); }) ==
        "definitions[1].description: must be at most 20000 characters, got 20001");
  CHECK(refusal([](KpiDefinition& d) { d.value_type = KpiValueType::kUnspecified; }) ==
        "definitions[1].value_type: required");
  CHECK(refusal([](KpiDefinition& d) { d.period_months = 0; }) ==
        "definitions[1].period_months: must be 1 to 12, got 0");
  CHECK(refusal([](KpiDefinition& d) { d.period_months = 13; }) ==
        "definitions[1].period_months: must be 1 to 12, got 13");
  CHECK(refusal([](KpiDefinition& d) {
          d.provision_types = {ProvisionType::kFostering, ProvisionType::kFostering};
        }) == "definitions[1].provision_types[1]: FOSTERING is given twice");
  CHECK(refusal([](KpiDefinition& d) { d.provision_types = {ProvisionType::kUnspecified}; }) ==
        "definitions[1].provision_types[0]: required");

  std::vector<KpiDefinition> many(101, Definitions()[0]);
  KpiDefinitionSet set{"system-1", {}, std::nullopt, std::nullopt};
  CHECK(Message(SetKpiDefinitions(set, many, {}, "authority-lead", LeadAdmin(), testing::Now())) ==
        "definitions: at most 100 entries, got 101");
}

TEST_CASE("a code used by a return stays and keeps its value type") {
  KpiDefinitionSet set = DefinitionSet();
  const std::set<std::string> in_use = {"school-attendance"};

  std::vector<KpiDefinition> without = Definitions();
  without.erase(without.begin() + 1);
  absl::Status s =
      SetKpiDefinitions(set, without, in_use, "authority-lead", LeadAdmin(), testing::Now());
  CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(s) ==
        "kpi definitions: code \"school-attendance\" is used by KPI returns and cannot be removed");

  std::vector<KpiDefinition> retyped = Definitions();
  retyped[1].value_type = KpiValueType::kCount;
  CHECK(Message(SetKpiDefinitions(set, retyped, in_use, "authority-lead", LeadAdmin(),
                                  testing::Now())) ==
        "kpi definitions: code \"school-attendance\" is used by KPI returns as PERCENTAGE and "
        "cannot become COUNT");
  CHECK(set.definitions == Definitions());

  // Removing an unused code, and retitling a used one, are fine.
  std::vector<KpiDefinition> fewer = Definitions();
  fewer.pop_back();
  fewer[1].title = "Attendance at school or college";
  CHECK(SetKpiDefinitions(set, fewer, in_use, "authority-lead", LeadAdmin(), testing::Now()) ==
        absl::OkStatus());
  CHECK(set.definitions == fewer);
}

// --- returns ---------------------------------------------------------------------------------

TEST_CASE("the provider submits a return for a period of the placement") {
  const Ipa ipa = testing::Active();
  absl::StatusOr<KpiReturn> r = Submit(ipa);
  REQUIRE(r.status() == absl::OkStatus());
  CHECK(r->id == "kpi-return-1");
  CHECK(r->ipa_id == ipa.id);
  CHECK(r->system_id == "system-1");
  CHECK(r->lead_authority_id == "authority-lead");
  CHECK(r->placing_authority_id == "west-sussex");
  CHECK(r->provider_id == "acme-care");
  CHECK(r->establishment_id == "acme-care-horsham");
  CHECK(r->provision_type == ProvisionType::kFostering);
  CHECK(r->period == DateRange{Day(2027, 4, 1), Day(2027, 4, 30)});
  CHECK(r->values == Values());
  CHECK(r->state == KpiReturnState::kSubmitted);
  CHECK(r->submitted_at == InMay());
  CHECK(r->first_submitted_at == InMay());
  CHECK(r->submissions == 1);
  CHECK(r->submitted_by_user_id == "provider-user-1");

  // A SIGNED IPA whose start date has come, and an ENDED one up to its last day, take returns.
  CHECK(Submit(testing::Signed()).ok());
  KpiReturnInput first_days{DateRange{Day(2027, 4, 1), Day(2027, 4, 2)}, Values()};
  CHECK(Submit(testing::Ended(), first_days).ok());
}

TEST_CASE("a return on an IPA not yet signed or cancelled is refused") {
  for (IpaState state : {IpaState::kDraft, IpaState::kIssued, IpaState::kCancelled}) {
    const absl::Status s = Submit(testing::InState(state)).status();
    CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
    CHECK(Message(s) ==
          absl::StrCat("ipa: cannot submit a KPI return on an IPA that is ", IpaStateName(state)));
  }
}

TEST_CASE("only the IPA's provider submits a return") {
  const Ipa ipa = testing::Active();
  for (const Actor& other : {testing::Officer(), testing::Commissioner(), LeadAdmin(),
                             Actor{"u", Role::kProviderUser, "other-provider"}}) {
    CHECK(Submit(ipa, April(), std::nullopt, other).status().code() ==
          absl::StatusCode::kPermissionDenied);
  }
}

TEST_CASE("the period lies within the placement and is over by today") {
  const Ipa active = testing::Active();
  CHECK(Refusal(active, {std::nullopt, Values()}) == "period: required");
  CHECK(Refusal(active, {DateRange{Day(2027, 4, 30), Day(2027, 4, 1)}, Values()}) ==
        "period.end: must not be before the start 2027-04-30, got 2027-04-01");
  CHECK(Refusal(active, {DateRange{Day(2027, 3, 31), Day(2027, 4, 30)}, Values()}) ==
        "period.start: must be on or after the placement's start date, 2027-04-01, got "
        "2027-03-31");
  CHECK(Refusal(active, {DateRange{Day(2027, 5, 1), Day(2027, 5, 31)}, Values()}) ==
        "period.end: must not be after today, 2027-05-03, got 2027-05-31");
  // Today itself may close a period.
  CHECK(Submit(active, {DateRange{Day(2027, 5, 1), Day(2027, 5, 3)}, Values()}).ok());
  CHECK(Refusal(testing::Ended(), April()) ==
        "period.end: must not be after the placement's last day, 2027-04-02, got 2027-04-30");
}

TEST_CASE("each value is of its KPI's type and every KPI that applies is answered") {
  const Ipa ipa = testing::Active();
  auto refusal = [&](const std::function<void(std::vector<KpiValue>&)>& change) {
    KpiReturnInput input = April();
    change(input.values);
    return Refusal(ipa, input);
  };
  CHECK(refusal([](auto& v) { v[0].code = "unknown"; }) ==
        "values[0].code: \"unknown\" is not a KPI of system \"system-1\"");
  CHECK(refusal([](auto& v) {
          v.push_back({});
          v.back().code = "course-completion";
        }) == "values[4].code: \"course-completion\" does not apply to FOSTERING placements");
  CHECK(refusal([](auto& v) { v.push_back(v[0]); }) ==
        "values[4].code: \"missing-episodes\" is given twice");
  CHECK(refusal([](auto& v) { v.erase(v.begin() + 2); }) ==
        "values: must answer every KPI of the system for FOSTERING placements: "
        "\"health-assessment\" is missing");
  CHECK(refusal([](auto& v) { v[0].integer_value = -1; }) ==
        "values[0].integer_value: must be 0 or more, got -1");
  CHECK(refusal([](auto& v) { v[1].basis_points_value = 10'001; }) ==
        "values[1].basis_points_value: must be 0 to 10000 basis points, got 10001");
  CHECK(refusal([](auto& v) { v[1].basis_points_value = -1; }) ==
        "values[1].basis_points_value: must be 0 to 10000 basis points, got -1");
  CHECK(refusal([](auto& v) { v[3].text_value = ""; }) == "values[3].text_value: required");
  CHECK(refusal([](auto& v) { v[3].text_value = std::string(257, 'x'); }) ==
        "values[3].text_value: must be at most 256 characters, got 257");
  CHECK(refusal([](auto& v) { v[0].text_value = "LAC-204551"; }) ==
        "values[0].text_value: must not be set for \"missing-episodes\", a COUNT KPI");
  CHECK(refusal([](auto& v) { v[2].integer_value = 3; }) ==
        "values[2].integer_value: must not be set for \"health-assessment\", a YES_NO KPI");

  const std::string identifying =
      refusal([](auto& v) { v[3].text_value = "Jamie (DOB 03/04/2013) settled well"; });
  CHECK(identifying.rfind("values[3].text_value: must not identify a child", 0) == 0);
  CHECK(identifying.find("03/04") == std::string::npos);

  // Zero, 0% and 100% are values like any other.
  KpiReturnInput edges = April();
  edges.values[0].integer_value = 0;
  edges.values[1].basis_points_value = 10'000;
  edges.values[2].bool_value = false;
  CHECK(Submit(ipa, edges).ok());
}

TEST_CASE("a system without a KPI for the placement's type takes no return") {
  const Ipa ipa = testing::Active();
  KpiDefinitionSet colleges{"system-1", {}, std::nullopt, std::nullopt};
  REQUIRE(SetKpiDefinitions(colleges, {Definitions()[4]}, {}, "authority-lead", LeadAdmin(),
                            testing::Now()) == absl::OkStatus());
  const absl::Status s = SubmitKpiReturn(ipa, colleges, std::nullopt, "kpi-return-1",
                                         {April().period, {}}, testing::ProviderUser(), InMay())
                             .status();
  CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(s) == "kpi return: system \"system-1\" defines no KPI for FOSTERING placements");
}

TEST_CASE("one return per IPA and period: only a queried one is submitted again") {
  const Ipa ipa = testing::Active();
  KpiReturn submitted = Submitted();

  const absl::Status again = Submit(ipa, April(), submitted).status();
  CHECK(again.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(again) ==
        "kpi return: IPA \"ipa-1\" has a return for 2027-04-01 to 2027-04-30 already "
        "(\"kpi-return-1\", SUBMITTED); only a QUERIED return is submitted again");

  REQUIRE(ReviewKpiReturn(submitted, false, "Attendance looks low against the school's figure",
                          testing::Officer(), InMay() + absl::Hours(1)) == absl::OkStatus());
  KpiReturnInput corrected = April();
  corrected.values[1].basis_points_value = 8'900;
  absl::StatusOr<KpiReturn> resubmitted =
      SubmitKpiReturn(ipa, DefinitionSet(), submitted, "ignored", corrected,
                      testing::ProviderUser(), InMay() + absl::Hours(2));
  REQUIRE(resubmitted.status() == absl::OkStatus());
  CHECK(resubmitted->id == "kpi-return-1");
  CHECK(resubmitted->state == KpiReturnState::kSubmitted);
  CHECK(resubmitted->values == corrected.values);
  CHECK(resubmitted->submissions == 2);
  CHECK(resubmitted->first_submitted_at == InMay());
  CHECK(resubmitted->submitted_at == InMay() + absl::Hours(2));
  CHECK(resubmitted->query_note == "Attendance looks low against the school's figure");
}

TEST_CASE("a placing authority or the lead authority accepts or queries a submitted return") {
  KpiReturn r = Submitted();
  REQUIRE(ReviewKpiReturn(r, true, "", testing::Commissioner(), InMay()) == absl::OkStatus());
  CHECK(r.state == KpiReturnState::kAccepted);
  CHECK(r.reviewed_by->user_id == "commissioner-1");
  CHECK(r.reviewed_at == InMay());
  CHECK(Message(ReviewKpiReturn(r, false, "why?", LeadAdmin(), InMay())) ==
        "kpi return: cannot review a KPI return that is ACCEPTED");

  KpiReturn queried = Submitted();
  CHECK(Message(ReviewKpiReturn(queried, false, " ", LeadAdmin(), InMay())) ==
        "query_note: required");
  CHECK(Message(ReviewKpiReturn(queried, true, "fine", LeadAdmin(), InMay())) ==
        "query_note: must be empty when the return is accepted");
  CHECK(ReviewKpiReturn(queried, false, "Please call 07700 900123", LeadAdmin(), InMay()).code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(queried.state == KpiReturnState::kSubmitted);
  REQUIRE(ReviewKpiReturn(queried, false, "Two missing episodes were reported to us", LeadAdmin(),
                          InMay()) == absl::OkStatus());
  CHECK(queried.state == KpiReturnState::kQueried);
  CHECK(queried.query_note == "Two missing episodes were reported to us");

  KpiReturn untouched = Submitted();
  for (const Actor& other : {testing::ProviderUser(), LeadAuditor(),
                             Actor{"o", Role::kCommissioner, "another-council"}}) {
    CHECK(ReviewKpiReturn(untouched, true, "", other, InMay()).code() ==
          absl::StatusCode::kPermissionDenied);
  }
  CHECK(untouched.state == KpiReturnState::kSubmitted);
}

TEST_CASE("who may read a return") {
  const KpiReturn r = Submitted();
  CHECK(MayReadKpiReturn(r, testing::Officer()));
  CHECK(MayReadKpiReturn(r, testing::Commissioner()));
  CHECK(MayReadKpiReturn(r, testing::ProviderUser()));
  CHECK(MayReadKpiReturn(r, LeadAdmin()));
  CHECK(MayReadKpiReturn(r, LeadAuditor()));
  CHECK(MayReadKpiReturn(r, testing::Service()));
  CHECK_FALSE(MayReadKpiReturn(r, {"o", Role::kPlacingOfficer, "another-council"}));
  CHECK_FALSE(MayReadKpiReturn(r, {"p", Role::kProviderUser, "other-provider"}));
  CHECK_FALSE(MayReadKpiReturn(r, {"e", Role::kEvaluator, "authority-lead"}));
}

// --- performance reviews ---------------------------------------------------------------------

PerformanceReviewInput Review() {
  PerformanceReviewInput input;
  input.system_id = "system-1";
  input.establishment_id = "acme-care-horsham";
  input.period = DateRange{Day(2027, 1, 1), Day(2027, 6, 30)};
  input.rating = PerformanceRating::kMeets;
  input.findings = "Returns on time; attendance above the system's average";
  input.kpi_return_ids = {"kpi-return-1"};
  input.recommended_score_delta = 2.5;
  return input;
}

KpiReturn Accepted() {
  KpiReturn r = Submitted();
  REQUIRE(ReviewKpiReturn(r, true, "", testing::Officer(), InMay()) == absl::OkStatus());
  return r;
}

absl::Time InJuly() { return Utc(2027, 7, 5); }

absl::StatusOr<PerformanceReview> Record(PerformanceReviewInput input,
                                         const std::vector<KpiReturn>& returns = {Accepted()},
                                         const Actor& by = LeadAdmin()) {
  return RecordPerformanceReview("review-1", std::move(input), "authority-lead", "acme-care",
                                 returns, by, InJuly());
}

TEST_CASE("the lead authority reviews an establishment over a period") {
  absl::StatusOr<PerformanceReview> review = Record(Review());
  REQUIRE(review.status() == absl::OkStatus());
  CHECK(review->id == "review-1");
  CHECK(review->system_id == "system-1");
  CHECK(review->lead_authority_id == "authority-lead");
  CHECK(review->establishment_id == "acme-care-horsham");
  CHECK(review->provider_id == "acme-care");
  CHECK(review->rating == PerformanceRating::kMeets);
  CHECK(review->kpi_return_ids == std::vector<std::string>{"kpi-return-1"});
  CHECK(review->recommended_score_delta == 2.5);
  CHECK(review->reviewed_by.user_id == "lead-admin-1");
  CHECK(review->reviewed_at == InJuly());

  // A review may rest on other evidence than returns.
  PerformanceReviewInput without = Review();
  without.kpi_return_ids.clear();
  CHECK(Record(without, {}).ok());

  for (const Actor& other :
       {LeadAuditor(), testing::Commissioner(), Actor{"a", Role::kLeadAuthorityAdmin, "other"}}) {
    CHECK(Record(Review(), {Accepted()}, other).status().code() ==
          absl::StatusCode::kPermissionDenied);
  }
}

TEST_CASE("a review's fields are checked") {
  auto refusal = [](const std::function<void(PerformanceReviewInput&)>& change) {
    PerformanceReviewInput input = Review();
    change(input);
    return Message(Record(input).status());
  };
  CHECK(refusal([](auto& r) { r.period.reset(); }) == "period: required");
  CHECK(refusal([](auto& r) { r.period->end = Day(2027, 7, 6); }) ==
        "period.end: must not be after today, 2027-07-05, got 2027-07-06");
  CHECK(refusal([](auto& r) { r.rating = PerformanceRating::kUnspecified; }) == "rating: required");
  CHECK(refusal([](auto& r) { r.findings = ""; }) == "findings: required");
  CHECK(refusal([](auto& r) { r.findings = std::string(257, 'f'); }) ==
        "findings: must be at most 256 characters, got 257");
  CHECK(refusal([](auto& r) {
          r.findings = "Concerns about case LAC-204551";
        }).rfind("findings: must not identify a child", 0) == 0);
  CHECK(refusal([](auto& r) { r.recommended_score_delta = 10.5; }) ==
        "recommended_score_delta: must be within +/-10 points, got 10.5");
  CHECK(refusal([](auto& r) { r.recommended_score_delta = -11; }) ==
        "recommended_score_delta: must be within +/-10 points, got -11");
  CHECK(refusal([](auto& r) {
          r.recommended_score_delta = std::numeric_limits<double>::quiet_NaN();
        }) == "recommended_score_delta: must be within +/-10 points, got nan");
  CHECK(refusal([](auto& r) { r.recommended_score_delta = INFINITY; }) ==
        "recommended_score_delta: must be within +/-10 points, got inf");
  CHECK(Record([] {
          PerformanceReviewInput r = Review();
          r.recommended_score_delta = -10;
          return r;
        }())
            .ok());
  CHECK(refusal([](auto& r) { r.establishment_id = ""; }) == "establishment_id: required");
  const absl::Status unplaced = RecordPerformanceReview("review-1", Review(), "authority-lead", "",
                                                        {Accepted()}, LeadAdmin(), InJuly())
                                    .status();
  CHECK(unplaced.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(unplaced) ==
        "performance review: establishment \"acme-care-horsham\" has no placement in system "
        "\"system-1\"");
}

TEST_CASE("a review rests only on accepted returns of the establishment in its period") {
  auto refusal = [](const std::vector<KpiReturn>& returns,
                    std::vector<std::string> ids = {"kpi-return-1"}) {
    PerformanceReviewInput input = Review();
    input.kpi_return_ids = std::move(ids);
    return Message(Record(input, returns).status());
  };
  CHECK(refusal({}) == "kpi_return_ids[0]: no KPI return \"kpi-return-1\"");
  CHECK(refusal({Accepted()}, {"kpi-return-1", "kpi-return-1"}) ==
        "kpi_return_ids[1]: \"kpi-return-1\" is given twice");
  CHECK(refusal({Submitted()}) == "kpi_return_ids[0]: \"kpi-return-1\" is SUBMITTED, not ACCEPTED");
  KpiReturn elsewhere = Accepted();
  elsewhere.establishment_id = "acme-care-crawley";
  CHECK(refusal({elsewhere}) ==
        "kpi_return_ids[0]: \"kpi-return-1\" is not a return of establishment "
        "\"acme-care-horsham\" in system \"system-1\"");
  KpiReturn other_system = Accepted();
  other_system.system_id = "system-2";
  CHECK(refusal({other_system}).find("is not a return of establishment") != std::string::npos);
  KpiReturn earlier = Accepted();
  earlier.period = {Day(2026, 11, 1), Day(2026, 11, 30)};
  CHECK(refusal({earlier}) ==
        "kpi_return_ids[0]: \"kpi-return-1\" covers 2026-11-01 to 2026-11-30, outside the "
        "review's period 2027-01-01 to 2027-06-30");
}

TEST_CASE("ranges and names") {
  CHECK(Overlaps({Day(2027, 1, 1), Day(2027, 1, 31)}, {Day(2027, 1, 31), Day(2027, 2, 28)}));
  CHECK_FALSE(Overlaps({Day(2027, 1, 1), Day(2027, 1, 30)}, {Day(2027, 1, 31), Day(2027, 2, 28)}));
  CHECK(FormatRange({Day(2027, 1, 1), Day(2027, 1, 31)}) == "2027-01-01 to 2027-01-31");
  CHECK(KpiValueTypeName(KpiValueType::kYesNo) == "YES_NO");
  CHECK(KpiReturnStateName(KpiReturnState::kQueried) == "QUERIED");
  CHECK(PerformanceRatingName(PerformanceRating::kPartlyMeets) == "PARTLY_MEETS");
  CHECK(ProvisionTypeName(ProvisionType::kSupportedAccommodation) == "SUPPORTED_ACCOMMODATION");
}

}  // namespace
}  // namespace dps::contracts
