#include "services/qualification/domain/purchasing_system.h"

#include <catch2/catch.hpp>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/qualification/domain/test_fixtures.h"

namespace dps::qualification {
namespace {

using testing::Message;
using testing::System;
using testing::Utc;

// The message of Validate(system), which must be InvalidArgument.
std::string Invalid(const PurchasingSystem& system) {
  const absl::Status s = Validate(system);
  REQUIRE(s.code() == absl::StatusCode::kInvalidArgument);
  return Message(s);
}

TEST_CASE("the fixture system is valid", "[purchasing_system]") { CHECK(Validate(System()).ok()); }

TEST_CASE("system-level fields", "[purchasing_system]") {
  PurchasingSystem s = System();
  SECTION("id") {
    s.id.clear();
    CHECK(Invalid(s) == "id: must not be empty");
  }
  SECTION("lead authority") {
    s.lead_authority.clear();
    CHECK(Invalid(s) == "lead_authority: must not be empty");
  }
  SECTION("duplicate participant") {
    s.participating_authorities.push_back("surrey");
    CHECK(Invalid(s) == "participating_authorities[4]: duplicate code \"surrey\"");
  }
  SECTION("regime configuration that loosens") {
    s.regime_config.decision_working_days = 12;
    CHECK(Invalid(s) ==
          "regime_config.decision_working_days: PCR2015_DPS allows at most 10 working days, "
          "got 12");
  }
  SECTION("validity") {
    s.validity.initial_months = 0;
    CHECK(Invalid(s) == "validity.initial_months: must be at least 1, got 0");
  }
  SECTION("extension of no length") {
    s.validity.extension_months[1] = 0;
    CHECK(Invalid(s) == "validity.extension_months[1]: must be at least 1, got 0");
  }
  SECTION("more extensions taken than allowed") {
    s.validity.extensions_taken = 3;
    CHECK(Invalid(s) == "validity.extensions_taken: must be 0-2, got 3");
  }
  SECTION("closed period ending before it starts") {
    s.closed_periods[0].last = absl::CivilDay(2025, 5, 31);
    CHECK(Invalid(s) ==
          "closed_periods[0].last: must not be before first (2025-06-01), got 2025-05-31");
  }
  SECTION("overlapping closed periods") {
    s.closed_periods.push_back({absl::CivilDay(2025, 6, 30), absl::CivilDay(2025, 7, 10)});
    CHECK(Invalid(s) == "closed_periods[1]: overlaps closed_periods[0]");
  }
  SECTION("duplicate lot code") {
    s.lots[1].code = "sen-52";
    CHECK(Invalid(s) == "lots[1].code: duplicate lot code \"sen-52\"");
  }
}

TEST_CASE("lot criteria", "[purchasing_system]") {
  PurchasingSystem s = System();
  Lot& lot = s.lots[0];
  SECTION("none") {
    lot.criteria.clear();
    CHECK(Invalid(s) == "lots[0].criteria: must not be empty");
  }
  SECTION("empty code") {
    lot.criteria[1].code.clear();
    CHECK(Invalid(s) == "lots[0].criteria[1].code: must not be empty");
  }
  SECTION("duplicate code") {
    lot.criteria[1].code = "insurance";
    CHECK(Invalid(s) == "lots[0].criteria[1].code: duplicate code \"insurance\"");
  }
  SECTION("empty title") {
    lot.criteria[0].title.clear();
    CHECK(Invalid(s) == "lots[0].criteria[0].title: must not be empty");
  }
  SECTION("version 0") {
    lot.criteria[0].version = 0;
    CHECK(Invalid(s) == "lots[0].criteria[0].version: must be at least 1, got 0");
  }
  SECTION("weight on a pass/fail criterion") {
    lot.criteria[0].weight = 10;
    CHECK(Invalid(s) == "lots[0].criteria[0].weight: must be 0 for a pass/fail criterion, got 10");
  }
  SECTION("weighted criterion without weight") {
    lot.criteria[2].weight = 0;
    CHECK(Invalid(s) ==
          "lots[0].criteria[2].weight: must be 1-100 for a weighted criterion, got 0");
  }
  SECTION("weights not summing to 100") {
    lot.criteria[2].weight = 30;
    CHECK(Invalid(s) == "lots[0].criteria: weights of weighted criteria must sum to 100, got 90");
  }
  SECTION("a single weighted criterion at 100 is fine") {
    lot.criteria.resize(3);
    lot.criteria[2].weight = 100;
    CHECK(Validate(s).ok());
  }
}

TEST_CASE("lot commercial terms", "[purchasing_system]") {
  PurchasingSystem s = System();
  CommercialTerms& t = s.lots[1].terms;
  SECTION("affordability cap") {
    t.affordability_cap_pence = -5;
    CHECK(Invalid(s) == "lots[1].terms.affordability_cap_pence: must be positive, got -5");
  }
  SECTION("zero cap") {
    t.affordability_cap_pence = 0;
    CHECK(Invalid(s) == "lots[1].terms.affordability_cap_pence: must be positive, got 0");
  }
  SECTION("negative sibling discount") {
    t.sibling_discount_bp = -1;
    CHECK(Invalid(s) == "lots[1].terms.sibling_discount_bp: must be 0-10000 basis points, got -1");
  }
  SECTION("permanence discount over 100%") {
    t.permanence_discount_bp = 10001;
    CHECK(Invalid(s) ==
          "lots[1].terms.permanence_discount_bp: must be 0-10000 basis points, got 10001");
  }
  SECTION("discounts together over 100%") {
    t.sibling_discount_bp = 6000;
    t.permanence_discount_bp = 5000;
    CHECK(Invalid(s) ==
          "lots[1].terms.permanence_discount_bp: sibling and permanence discounts together must "
          "not exceed 10000 basis points, got 11000");
  }
  SECTION("notice period") {
    t.notice_period_days = 0;
    CHECK(Invalid(s) == "lots[1].terms.notice_period_days: must be positive, got 0");
  }
}

TEST_CASE("lot default referral weights", "[purchasing_system]") {
  PurchasingSystem s = System();
  ReferralWeights& w = s.lots[0].default_weights;
  SECTION("the defaults 50/10/10/5/5/20 are valid") { CHECK(Validate(s).ok()); }
  SECTION("negative") {
    w.location = -5;
    w.price = 60;
    CHECK(Invalid(s) == "lots[0].default_weights.location: must be between 0 and 100, got -5");
  }
  SECTION("sum not 100") {
    w.outcomes = 11;
    CHECK(Invalid(s) == "lots[0].default_weights: must sum to 100, got 101");
  }
  SECTION("price below 30") {
    w.price = 29;
    w.outcomes = 31;
    CHECK(Invalid(s) == "lots[0].default_weights.price: must be between 30 and 70, got 29");
  }
  SECTION("price above 70") {
    w = {.price = 71,
         .outcomes = 4,
         .needs = 5,
         .features = 5,
         .location = 5,
         .core_competency = 10};
    CHECK(Invalid(s) == "lots[0].default_weights.price: must be between 30 and 70, got 71");
  }
  SECTION("bounds are inclusive") {
    w = {.price = 30,
         .outcomes = 20,
         .needs = 15,
         .features = 10,
         .location = 5,
         .core_competency = 20};
    CHECK(Validate(s).ok());
    w = {.price = 70,
         .outcomes = 10,
         .needs = 10,
         .features = 5,
         .location = 5,
         .core_competency = 0};
    CHECK(Validate(s).ok());
  }
  SECTION("core competency above 20") {
    w = {.price = 50,
         .outcomes = 5,
         .needs = 5,
         .features = 5,
         .location = 5,
         .core_competency = 30};
    CHECK(Invalid(s) ==
          "lots[0].default_weights.core_competency: must be between 0 and 20, got 30");
  }
  SECTION("core competency on a pass/fail-only lot") {
    s.lots[1].default_weights.core_competency = 5;
    s.lots[1].default_weights.price = 45;
    CHECK(Invalid(s) ==
          "lots[1].default_weights.core_competency: must be 0 when qualification is pass/fail "
          "only (no weighted criteria), got 5");
  }
  SECTION("needs weight without a needs vocabulary") {
    s.lots[0].needs.clear();
    CHECK(Invalid(s) ==
          "lots[0].default_weights.needs: must be 0 when the lot's vocabulary lists no needs, got "
          "10");
  }
  SECTION("features weight without a features vocabulary") {
    s.lots[0].features.clear();
    CHECK(Invalid(s) ==
          "lots[0].default_weights.features: must be 0 when the lot's vocabulary lists no "
          "desirable features, got 5");
  }
}

TEST_CASE("a pass/fail-only system has no weighted criterion and no core competency weight",
          "[purchasing_system]") {
  PurchasingSystem s = System();
  s.qualification_mode = QualificationMode::kPassFailOnly;
  SECTION("a weighted criterion is refused where it stands") {
    CHECK(Invalid(s) ==
          "lots[0].criteria[2].kind: must be PASS_FAIL: the purchasing system's qualification is "
          "pass/fail only (PASS_FAIL_ONLY), so no criterion is weighted or scored");
  }
  SECTION("pass/fail criteria alone, with core competency 0, are valid") {
    s.lots.erase(s.lots.begin());  // the SEN lot's method statements
    CHECK(Validate(s).ok());
  }
  SECTION("one lot is checked against the mode of its system") {
    Lot lot = testing::DayLot();
    lot.default_weights.core_competency = 5;
    lot.default_weights.price = 45;
    CHECK(Message(ValidateLot(lot, QualificationMode::kPassFailOnly, "spec")) ==
          "spec.default_weights.core_competency: must be 0 when qualification is pass/fail only "
          "(no weighted criteria), got 5");
    lot.criteria.push_back(testing::Weighted("workforce", "Workforce", 100));
    CHECK(ValidateLot(lot, QualificationMode::kWeighted, "spec").ok());
    CHECK(Message(ValidateLot(lot, QualificationMode::kPassFailOnly, "spec")) ==
          "spec.criteria[2].kind: must be PASS_FAIL: the purchasing system's qualification is "
          "pass/fail only (PASS_FAIL_ONLY), so no criterion is weighted or scored");
  }
  SECTION("a criterion's kind alone, as a new criterion is checked") {
    CHECK(
        CheckCriterionKind(QualificationMode::kPassFailOnly, CriterionKind::kPassFail, "spec.kind")
            .ok());
    CHECK(CheckCriterionKind(QualificationMode::kWeighted, CriterionKind::kWeighted, "spec.kind")
              .ok());
    const absl::Status weighted =
        CheckCriterionKind(QualificationMode::kPassFailOnly, CriterionKind::kWeighted, "spec.kind");
    CHECK(weighted.code() == absl::StatusCode::kInvalidArgument);
    CHECK(Message(weighted) ==
          "spec.kind: must be PASS_FAIL: the purchasing system's qualification is pass/fail only "
          "(PASS_FAIL_ONLY), so no criterion is weighted or scored");
  }
  SECTION("lots added and criteria changed keep to it") {
    s.lots.erase(s.lots.begin());
    CHECK(Message(AddLot(s, testing::SenLot(), Utc(2025, 9, 1))) ==
          "lots[1].criteria[2].kind: must be PASS_FAIL: the purchasing system's qualification is "
          "pass/fail only (PASS_FAIL_ONLY), so no criterion is weighted or scored");
    s.regime = Regime::kLightTouch;
    s.regime_config.conditions_may_change = true;
    s.regime_config.decision_working_days = 10;
    s.regime_config.min_response_period = absl::Hours(72);
    std::vector<Criterion> criteria = s.lots[0].criteria;
    criteria.push_back(testing::Weighted("workforce", "Workforce", 100));
    CHECK(Message(ChangeCriteria(s, "day", criteria)) ==
          "lots[0].criteria[2].kind: must be PASS_FAIL: the purchasing system's qualification is "
          "pass/fail only (PASS_FAIL_ONLY), so no criterion is weighted or scored");
  }
}

TEST_CASE("lot parental choice and vocabularies", "[purchasing_system]") {
  PurchasingSystem s = System();
  Lot& lot = s.lots[0];
  SECTION("max bids") {
    lot.parental_choice.max_bids = 0;
    CHECK(Invalid(s) == "lots[0].parental_choice.max_bids: must be at least 1, got 0");
  }
  SECTION("negative within points") {
    lot.parental_choice.within_points = -0.5;
    CHECK(Invalid(s) == "lots[0].parental_choice.within_points: must be a number >= 0, got -0.5");
  }
  SECTION("NaN within points") {
    lot.parental_choice.within_points = std::numeric_limits<double>::quiet_NaN();
    CHECK(Invalid(s) == "lots[0].parental_choice.within_points: must be a number >= 0, got nan");
  }
  SECTION("empty need code") {
    lot.needs.push_back("");
    CHECK(Invalid(s) == "lots[0].needs[3]: must not be empty");
  }
  SECTION("duplicate feature code") {
    lot.features.push_back("halal-diet");
    CHECK(Invalid(s) == "lots[0].features[3]: duplicate code \"halal-diet\"");
  }
  SECTION("every vocabulary by the one code rule, capitals included") {
    lot.needs.push_back("PMLD");
    lot.specialisms = {"SEMH", "cse-risk"};
    lot.placement_types = {"52-week", "38-week", "day"};
    lot.additional_services = {"one_to_one"};
    CHECK(Validate(s).ok());
    lot.needs.back() = "cse risk";
    CHECK(Invalid(s) ==
          "lots[0].needs[3]: must be a code of 1 to 32 letters, digits, '-' or '_', "
          "got \"cse risk\"");
    lot.needs.pop_back();
    lot.specialisms.push_back("a,b");
    CHECK(Invalid(s) ==
          "lots[0].specialisms[2]: must be a code of 1 to 32 letters, digits, '-' "
          "or '_', got \"a,b\"");
    lot.specialisms.pop_back();
    lot.placement_types.push_back("52-week");
    CHECK(Invalid(s) == "lots[0].placement_types[3]: duplicate code \"52-week\"");
    lot.placement_types.pop_back();
    lot.additional_services.push_back("");
    CHECK(Invalid(s) == "lots[0].additional_services[1]: must not be empty");
  }
  SECTION("empty lot code and name") {
    lot.code.clear();
    CHECK(Invalid(s) == "lots[0].code: must not be empty");
    lot.code = "x";
    lot.name.clear();
    CHECK(Invalid(s) == "lots[0].name: must not be empty");
  }
}

TEST_CASE("validity with extensions", "[purchasing_system]") {
  PurchasingSystem s = System();  // 1 Apr 2024, 36 + 24 + 24 months
  CHECK(ValidUntil(s.validity) == absl::CivilDay(2027, 4, 1));
  CHECK(LatestPossibleEnd(s.validity) == absl::CivilDay(2031, 4, 1));

  REQUIRE(TakeExtension(s, Utc(2027, 1, 10)).ok());
  CHECK(ValidUntil(s.validity) == absl::CivilDay(2029, 4, 1));
  REQUIRE(TakeExtension(s, Utc(2029, 3, 31)).ok());
  CHECK(ValidUntil(s.validity) == absl::CivilDay(2031, 4, 1));

  const absl::Status none_left = TakeExtension(s, Utc(2030, 1, 1));
  CHECK(none_left.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(none_left) ==
        "purchasing system: cannot extend: all 2 allowed extensions have been taken");
}

TEST_CASE("an expired system cannot be extended", "[purchasing_system]") {
  PurchasingSystem s = System();
  const absl::Status expired = TakeExtension(s, Utc(2027, 4, 1, 0, 0));
  CHECK(expired.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(expired) == "purchasing system: cannot extend: it expired on 2027-04-01");
  CHECK(s.validity.extensions_taken == 0);
}

TEST_CASE("a system has expired after its last valid day, extensions taken",
          "[purchasing_system]") {
  PurchasingSystem s = System();  // valid up to 31 March 2027 until an extension is taken
  CHECK_FALSE(HasExpired(s, Utc(2027, 3, 31, 23, 59)));
  CHECK(HasExpired(s, Utc(2027, 4, 1, 0, 0)));
  CHECK(CheckMayGoLive(s, Utc(2027, 3, 31, 23, 59)).ok());
  const absl::Status late = CheckMayGoLive(s, Utc(2027, 4, 1, 0, 0));
  CHECK(late.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(late) ==
        "purchasing system: cannot go LIVE: its period of validity ended on 2027-03-31");
  REQUIRE(TakeExtension(s, Utc(2027, 3, 31)).ok());
  CHECK_FALSE(HasExpired(s, Utc(2027, 4, 1, 0, 0)));
  CHECK_FALSE(HasExpired(s, Utc(2029, 3, 31, 23, 59)));
  CHECK(HasExpired(s, Utc(2029, 4, 1, 0, 0)));
}

TEST_CASE("entry windows", "[purchasing_system]") {
  PurchasingSystem s = System();                           // closed 1-30 June 2025
  CHECK_FALSE(IsWindowOpen(s, Utc(2024, 3, 31, 23, 59)));  // before the start
  CHECK(IsWindowOpen(s, Utc(2024, 4, 1, 0, 0)));
  CHECK(IsWindowOpen(s, Utc(2025, 5, 31, 23, 59)));
  CHECK_FALSE(IsWindowOpen(s, Utc(2025, 6, 1, 0, 0)));
  CHECK_FALSE(IsWindowOpen(s, Utc(2025, 6, 30, 23, 59)));
  CHECK(IsWindowOpen(s, Utc(2025, 7, 1, 0, 0)));
  CHECK(IsWindowOpen(s, Utc(2027, 3, 31, 23, 59)));
  CHECK_FALSE(IsWindowOpen(s, Utc(2027, 4, 1, 0, 0)));  // expired
  REQUIRE(TakeExtension(s, Utc(2027, 3, 1)).ok());
  CHECK(IsWindowOpen(s, Utc(2027, 4, 1, 0, 0)));

  SECTION("always open when no period is closed") {
    s.closed_periods.clear();
    CHECK(IsWindowOpen(s, Utc(2025, 6, 15)));
  }
}

TEST_CASE("lots added over time", "[purchasing_system]") {
  PurchasingSystem s = System();
  Lot fostering = testing::SenLot();
  fostering.code = "ifa";
  fostering.name = "Independent fostering";
  REQUIRE(AddLot(s, fostering, Utc(2025, 9, 1)).ok());
  REQUIRE(FindLot(s, "ifa") != nullptr);
  CHECK(FindLot(s, "ifa")->added_at == Utc(2025, 9, 1));
  CHECK(FindLot(s, "nope") == nullptr);

  SECTION("a duplicate code is refused") {
    const absl::Status dup = AddLot(s, fostering, Utc(2025, 9, 2));
    CHECK(dup.code() == absl::StatusCode::kInvalidArgument);
    CHECK(Message(dup) == "lots[3].code: duplicate lot code \"ifa\"");
  }
  SECTION("an invalid lot is refused, named by its future index") {
    fostering.code = "residential";
    fostering.terms.notice_period_days = -1;
    CHECK(Message(AddLot(s, fostering, Utc(2025, 9, 2))) ==
          "lots[3].terms.notice_period_days: must be positive, got -1");
    CHECK(s.lots.size() == 3);
  }
  SECTION("not after expiry") {
    fostering.code = "residential";
    const absl::Status late = AddLot(s, fostering, Utc(2027, 5, 1));
    CHECK(late.code() == absl::StatusCode::kFailedPrecondition);
    CHECK(Message(late) == "purchasing system: cannot add a lot: the system has expired");
  }
}

TEST_CASE("participating authorities", "[purchasing_system]") {
  PurchasingSystem s = System();
  CHECK(IsParticipatingAuthority(s, "surrey"));
  CHECK_FALSE(IsParticipatingAuthority(s, "kent"));
  CHECK_FALSE(IsParticipatingAuthority(s, ""));
  REQUIRE(AddParticipatingAuthority(s, "kent").ok());
  CHECK(IsParticipatingAuthority(s, "kent"));
  CHECK(Message(AddParticipatingAuthority(s, "kent")) ==
        "authority: \"kent\" already participates");
  CHECK(Message(AddParticipatingAuthority(s, "")) == "authority: must not be empty");

  SECTION("the lead participates even when not listed") {
    s.participating_authorities = {"surrey"};
    CHECK(IsParticipatingAuthority(s, "west-sussex"));
  }
}

TEST_CASE("criteria changes follow the regime", "[purchasing_system]") {
  PurchasingSystem s = System();
  std::vector<Criterion> criteria = s.lots[0].criteria;
  criteria[0].title = "Insurance (GBP 10m public liability)";
  criteria[0].version = 2;

  SECTION("PCR fixes membership conditions") {
    const absl::Status fixed = ChangeCriteria(s, "sen-52", criteria);
    CHECK(fixed.code() == absl::StatusCode::kFailedPrecondition);
    CHECK(Message(fixed) ==
          "purchasing system: cannot change criteria: membership conditions are fixed for the "
          "life of a PCR2015_DPS system");
  }

  SECTION("LIGHT_TOUCH with changes allowed") {
    s.regime = Regime::kLightTouch;
    s.regime_config.decision_working_days = 10;
    s.regime_config.min_response_period = absl::Hours(48);
    s.regime_config.conditions_may_change = true;
    REQUIRE(ChangeCriteria(s, "sen-52", criteria).ok());
    CHECK(s.lots[0].criteria[0].version == 2);

    criteria[1].title = "Inspection rating";  // changed, version left at 1
    const absl::Status stale = ChangeCriteria(s, "sen-52", criteria);
    CHECK(stale.code() == absl::StatusCode::kInvalidArgument);
    CHECK(Message(stale) ==
          "lots[0].criteria[1].version: a changed criterion needs a version above 1, got 1");

    criteria[1].version = 2;
    criteria[2].weight = 50;  // weights now sum to 110
    criteria[2].version = 2;
    CHECK(Message(ChangeCriteria(s, "sen-52", criteria)) ==
          "lots[0].criteria: weights of weighted criteria must sum to 100, got 110");
    CHECK(s.lots[0].criteria[1].version == 1);  // unchanged on error

    CHECK(ChangeCriteria(s, "nope", criteria).code() == absl::StatusCode::kNotFound);
  }
}

TEST_CASE("a criterion is set up with a code, a title, a kind and the weight its kind takes",
          "[purchasing_system]") {
  const auto kWeighted = QualificationMode::kWeighted;
  const CriterionDraft good{.code = "workforce",
                            .title = "Workforce development",
                            .kind = CriterionKind::kWeighted,
                            .weight = 40};
  CHECK(CheckCriterionDraft(good, kWeighted, "spec") == absl::OkStatus());
  CriterionDraft bad = good;
  bad.code = "";
  CHECK(CheckCriterionDraft(bad, kWeighted, "spec") ==
        absl::InvalidArgumentError("spec.code: required"));
  bad = good;
  bad.title = "";
  CHECK(CheckCriterionDraft(bad, kWeighted, "spec") ==
        absl::InvalidArgumentError("spec.title: required"));
  bad = good;
  bad.kind.reset();
  CHECK(CheckCriterionDraft(bad, kWeighted, "spec") ==
        absl::InvalidArgumentError("spec.kind: required: PASS_FAIL or WEIGHTED"));
  for (int weight : {0, 101, -5}) {
    bad = good;
    bad.weight = weight;
    CHECK(CheckCriterionDraft(bad, kWeighted, "spec") ==
          absl::InvalidArgumentError(absl::StrCat(
              "spec.weight: a weighted criterion's weight must be 1-100, got ", weight)));
  }
  const CriterionDraft pass_fail{
      .code = "insurance", .title = "Insurance", .kind = CriterionKind::kPassFail};
  CHECK(CheckCriterionDraft(pass_fail, kWeighted, "spec") == absl::OkStatus());
  bad = pass_fail;
  bad.weight = 10;
  CHECK(CheckCriterionDraft(bad, kWeighted, "spec") ==
        absl::InvalidArgumentError("spec.weight: a pass/fail criterion has no weight"));

  // A pass/fail-only system takes no weighted criterion, unless it is retired.
  CHECK(CheckCriterionDraft(good, QualificationMode::kPassFailOnly, "spec").code() ==
        absl::StatusCode::kInvalidArgument);
  CriterionDraft retired = good;
  retired.retired = true;
  CHECK(CheckCriterionDraft(retired, QualificationMode::kPassFailOnly, "spec") == absl::OkStatus());
}

TEST_CASE("a system turns pass/fail only once no weighted criterion is in force",
          "[purchasing_system]") {
  std::vector<CriterionInForce> criteria = {
      {.id = "crit-1", .code = "insurance", .kind = CriterionKind::kPassFail},
      {.id = "crit-2", .code = "workforce", .kind = CriterionKind::kWeighted}};
  CHECK(CheckCriteriaFitMode(QualificationMode::kWeighted, criteria, "spec.qualification_mode") ==
        absl::OkStatus());
  CHECK(
      CheckCriteriaFitMode(QualificationMode::kPassFailOnly, criteria, "spec.qualification_mode") ==
      absl::InvalidArgumentError(
          "spec.qualification_mode: cannot be PASS_FAIL_ONLY while criterion crit-2 (workforce) "
          "is WEIGHTED: retire it or make it PASS_FAIL first"));
  criteria[1].retired = true;
  CHECK(CheckCriteriaFitMode(QualificationMode::kPassFailOnly, criteria,
                             "spec.qualification_mode") == absl::OkStatus());
}

}  // namespace
}  // namespace dps::qualification
