#include "services/referral/domain/referral.h"

#include <catch2/catch.hpp>

#include "services/referral/domain/test_fixtures.h"

namespace dps::referral {
namespace {

using testing::LightTouchLot;
using testing::Message;
using testing::Now;
using testing::PcrLot;
using testing::Published;
using testing::Utc;
using testing::ValidSpec;

// The InvalidArgument message of ValidateSpec after `change` is applied to a valid spec.
template <typename Change>
std::string SpecError(Change change) {
  ReferralSpec spec = ValidSpec();
  change(spec);
  const absl::Status status = ValidateSpec(spec);
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  return Message(status);
}

// The InvalidArgument message of CheckPublishable under `lot` after `change`.
template <typename Change>
std::string PublishError(const LotRules& lot, Change change) {
  ReferralSpec spec = ValidSpec();
  change(spec);
  const absl::Status status = CheckPublishable(spec, lot, Now());
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  return Message(status);
}

Referral Closed(const LotRules& lot) {
  Referral referral = Published(lot);
  REQUIRE(Close(referral, "response deadline", Utc(2027, 3, 15, 17)) == absl::OkStatus());
  return referral;
}

Referral Evaluated(const LotRules& lot) {
  Referral referral = Closed(lot);
  REQUIRE(RecordRanking(referral, {true, false, {}}, Utc(2027, 3, 16)) == absl::OkStatus());
  return referral;
}

TEST_CASE("a system's response period is its own, or PCR's ten days when it configures none") {
  CHECK(MinResponsePeriod(absl::Hours(72)) == absl::Hours(72));
  CHECK(MinResponsePeriod(std::nullopt) == absl::Hours(240));
}

TEST_CASE("a complete spec is valid and becomes a DRAFT with its creation in the history") {
  CHECK(ValidateSpec(ValidSpec()) == absl::OkStatus());
  CHECK(CheckPublishable(ValidSpec(), PcrLot(), Now()) == absl::OkStatus());
  Referral referral;
  REQUIRE(CreateDraft(referral, ValidSpec(), {"officer-1", "ROLE_PLACING_OFFICER", "brighton"},
                      Now()) == absl::OkStatus());
  CHECK(referral.state == ReferralState::kDraft);
  REQUIRE(referral.history.size() == 1);
  CHECK(referral.history[0].actor.user_id == "officer-1");
  CHECK(referral.history[0].actor.role == "ROLE_PLACING_OFFICER");
  CHECK(referral.history[0].actor.organisation_id == "brighton");
  CHECK(referral.history[0].reason == "created");
}

TEST_CASE("a draft may be saved incomplete, but never without its system and lot") {
  ReferralSpec partial;
  partial.system_id = "system-1";
  partial.lot_id = "lot-homes";
  Referral referral;
  CHECK(CreateDraft(referral, partial, {"officer-1"}, Now()) == absl::OkStatus());
  partial.lot_id.clear();
  Referral other;
  CHECK(Message(CreateDraft(other, partial, {"officer-1"}, Now())) == "spec.lot_id: required");
  CHECK(other.history.empty());
}

TEST_CASE("the kind fixes how many children a referral is for and the sibling group size") {
  CHECK(SpecError([](ReferralSpec& s) {
          s.children.push_back({"child-2", 9, Gender::kMale});
        }) ==
        "spec.children: an INDIVIDUAL referral is for one child, got 2; use COHORT for several");
  CHECK(SpecError([](ReferralSpec& s) { s.kind = ReferralKind::kCohort; }) ==
        "spec.children: a COHORT referral is for two or more children, got 1");
  CHECK(SpecError([](ReferralSpec& s) { s.sibling_group_size = 2; }) ==
        "spec.sibling_group_size: an INDIVIDUAL referral places one child; use COHORT for a "
        "sibling group");
  CHECK(SpecError([](ReferralSpec& s) {
          s.kind = ReferralKind::kCohort;
          s.children.push_back({"child-2", 9, Gender::kMale});
          s.sibling_group_size = 3;
        }) ==
        "spec.sibling_group_size: must be 2 to the number of children (2), or 0 for all of "
        "them; got 3");

  ReferralSpec cohort = ValidSpec();
  cohort.kind = ReferralKind::kCohort;
  cohort.children.push_back({"child-2", 9, Gender::kMale});
  CHECK(ValidateSpec(cohort) == absl::OkStatus());
  CHECK(EffectiveSiblingGroupSize(cohort) == 2);
  CHECK(EffectiveSiblingGroupSize(ValidSpec()) == 1);
}

TEST_CASE("needs and features are unique codes with marks from 1 to 100, at most 64 a list") {
  CHECK(SpecError([](ReferralSpec& s) {
          s.needs.push_back({"semh", 1});
        }) == "spec.needs[2]: 'semh' is listed twice");
  CHECK(SpecError([](ReferralSpec& s) { s.needs[0].code.clear(); }) ==
        "spec.needs[0]: code required");
  CHECK(SpecError([](ReferralSpec& s) { s.needs[1].marks = 0; }) ==
        "spec.needs[1].marks: must be 1 to 100, got 0");
  CHECK(SpecError([](ReferralSpec& s) { s.desirable_features[0].marks = 101; }) ==
        "spec.desirable_features[0].marks: must be 1 to 100, got 101");
  CHECK(SpecError([](ReferralSpec& s) {
          s.desirable_features.push_back({"single-occupancy", 1});
        }) == "spec.desirable_features[1]: 'single-occupancy' is listed twice");
  CHECK(SpecError([](ReferralSpec& s) {
          s.needs.clear();
          for (int i = 0; i < 65; ++i) s.needs.push_back({"need-" + std::to_string(i), 1});
        }) == "spec.needs: at most 64 codes, got 65");
}

TEST_CASE("every code a referral lists or filters by follows the one code rule") {
  ReferralSpec capitals = ValidSpec();
  capitals.needs.push_back({"PMLD", 2});
  capitals.filters.specialism_codes = {"SEMH"};
  capitals.filters.placement_type_codes = {"52-week"};
  CHECK(ValidateSpec(capitals) == absl::OkStatus());
  CHECK(SpecError([](ReferralSpec& s) { s.needs[0].code = "cse risk"; }) ==
        "spec.needs[0]: must be a code of 1 to 32 letters, digits, '-' or '_', got \"cse risk\"");
  CHECK(SpecError([](ReferralSpec& s) { s.must_have_features = {"a,b"}; }) ==
        "spec.must_have_features[0]: must be a code of 1 to 32 letters, digits, '-' or '_', got "
        "\"a,b\"");
  CHECK(SpecError([](ReferralSpec& s) {
          s.filters.specialism_codes = {"PMLD", "P.M.L.D."};
        }) ==
        "spec.filters.specialism_codes[1]: must be a code of 1 to 32 letters, digits, '-' or '_', "
        "got \"P.M.L.D.\"");
  // Codes are identifiers: a need is named as the lot's vocabulary spells it.
  CHECK(PublishError(PcrLot(), [](ReferralSpec& s) { s.needs[0].code = "SEMH"; }) ==
        "spec.needs[0]: 'SEMH' is not one of the lot's needs");
}

TEST_CASE("text a provider reads is bounded and never holds a full postcode") {
  CHECK(SpecError([](ReferralSpec& s) { s.outcomes_sought.push_back("  "); }) ==
        "spec.outcomes_sought[1]: required");
  CHECK(SpecError([](ReferralSpec& s) { s.description = "Currently at BN3 7JW with nan"; }) ==
        "spec.description: must not identify a child: it holds a full postcode (at character 13); "
        "write the "
        "postcode district only, and no name, full date, case number or phone number");
  CHECK(SpecError([](ReferralSpec& s) { s.description = std::string(20'001, 'x'); }) ==
        "spec.description: must be at most 20000 characters, got 20001");
  CHECK(SpecError([](ReferralSpec& s) { s.postcode_district = "RH12 1AB"; }) ==
        "spec.location.postcode_district: must be the postcode district only (e.g. \"RH12\"), "
        "never a full postcode: a child's full postcode does not leave the placing authority");
}

TEST_CASE("numbers in a spec stay within their ranges") {
  CHECK(SpecError([](ReferralSpec& s) { s.radius_miles = -1; }) ==
        "spec.radius_miles: must be 0 (no radius) to 1000, got -1");
  CHECK(SpecError([](ReferralSpec& s) { s.radius_miles = std::nan(""); }) ==
        "spec.radius_miles: must be 0 (no radius) to 1000, got nan");
  CHECK(SpecError([](ReferralSpec& s) { s.planned_duration_months = 241; }) ==
        "spec.planned_duration_months: must be 0 to 240, got 241");
  CHECK(SpecError([](ReferralSpec& s) { s.weights = Weights{50, 10, 10, 5, 5, 19}; }) ==
        "spec.weights: must sum to 100, got 99");
  CHECK(SpecError([](ReferralSpec& s) { s.weights = Weights{110, -10, 0, 0, 0, 0}; }) ==
        "spec.weights.price: must be between 0 and 100, got 110");
  CHECK(SpecError([](ReferralSpec& s) { s.filters.max_ceiling_fee_pence = 0; }) ==
        "spec.filters.max_ceiling_fee: must be positive, got 0");
}

TEST_CASE("a draft's own weights follow the weights rule the engine applies at close") {
  // Issue #13: price 75 and core competency 25 each sum to 100 and used to publish, then the
  // engine refused them at close.
  CHECK(SpecError([](ReferralSpec& s) { s.weights = Weights{75, 5, 5, 5, 5, 5}; }) ==
        "spec.weights.price: must be between 30 and 70, got 75");
  CHECK(SpecError([](ReferralSpec& s) { s.weights = Weights{25, 25, 10, 5, 5, 30}; }) ==
        "spec.weights.price: must be between 30 and 70, got 25");
  CHECK(SpecError([](ReferralSpec& s) { s.weights = Weights{50, 5, 10, 5, 5, 25}; }) ==
        "spec.weights.core_competency: must be between 0 and 20, got 25");
  // The edges of the bounds are allowed.
  ReferralSpec edges = ValidSpec();
  edges.weights = Weights{70, 10, 10, 5, 5, 0};
  CHECK(ValidateSpec(edges) == absl::OkStatus());
  edges.weights = Weights{30, 20, 20, 5, 5, 20};
  CHECK(ValidateSpec(edges) == absl::OkStatus());
  // A draft that breaks the rule is neither created nor kept on update.
  ReferralSpec bad = ValidSpec();
  bad.weights = Weights{75, 5, 5, 5, 5, 5};
  Referral referral;
  const absl::Status created = CreateDraft(referral, bad, {"officer-1"}, Now());
  CHECK(created.code() == absl::StatusCode::kInvalidArgument);
  REQUIRE(CreateDraft(referral, ValidSpec(), {"officer-1"}, Now()) == absl::OkStatus());
  CHECK(Message(UpdateDraft(referral, bad)) ==
        "spec.weights.price: must be between 30 and 70, got 75");
  CHECK_FALSE(referral.spec.weights.has_value());
}

TEST_CASE("publication checks the weights in force, the lot's defaults included") {
  // A draft saved before the rule, or a lot whose defaults break it, is refused at publication
  // rather than at close, where the deadline timer could never rank it.
  Referral saved_before;
  REQUIRE(CreateDraft(saved_before, ValidSpec(), {"officer-1"}, Now()) == absl::OkStatus());
  saved_before.spec.weights = Weights{75, 5, 5, 5, 5, 5};
  const absl::Status refused = Publish(saved_before, PcrLot(), 3, {"officer-1"}, Now());
  CHECK(refused.code() == absl::StatusCode::kInvalidArgument);
  CHECK(Message(refused) == "spec.weights.price: must be between 30 and 70, got 75");
  CHECK(saved_before.state == ReferralState::kDraft);

  LotRules lot = PcrLot();
  lot.default_weights = Weights{45, 10, 10, 5, 5, 25};
  Referral on_defaults;
  REQUIRE(CreateDraft(on_defaults, ValidSpec(), {"officer-1"}, Now()) == absl::OkStatus());
  CHECK(Message(Publish(on_defaults, lot, 3, {"officer-1"}, Now())) ==
        "spec.weights.core_competency: must be between 0 and 20, got 25");
  CHECK(on_defaults.state == ReferralState::kDraft);
  CHECK_FALSE(on_defaults.spec.weights.has_value());
}

TEST_CASE("on a pass/fail-only lot no weight is put on core competency, at draft or publication") {
  LotRules pass_fail_only = PcrLot();
  pass_fail_only.qualification_scored = false;
  pass_fail_only.default_weights = Weights{50, 10, 20, 10, 10, 0};
  const std::string rule =
      "spec.weights.core_competency: must be 0 when qualification is pass/fail only (no weighted "
      "criteria), got 20";

  ReferralSpec own = ValidSpec();
  own.weights = Weights{50, 10, 10, 5, 5, 20};
  CHECK(CheckWeightsForLot(own, PcrLot()) == absl::OkStatus());
  CHECK(Message(CheckWeightsForLot(own, pass_fail_only)) == rule);
  // A draft need not list needs yet: the lot's own fact is all that is checked then.
  ReferralSpec bare;
  bare.weights = Weights{50, 10, 10, 5, 5, 20};
  CHECK(Message(CheckWeightsForLot(bare, pass_fail_only)) == rule);
  bare.weights = Weights{50, 10, 20, 10, 10, 0};
  CHECK(CheckWeightsForLot(bare, pass_fail_only) == absl::OkStatus());
  CHECK(CheckWeightsForLot(ValidSpec(), pass_fail_only) == absl::OkStatus());  // the lot's own

  CHECK(PublishError(pass_fail_only,
                     [](ReferralSpec& s) { s.weights = Weights{50, 10, 10, 5, 5, 20}; }) == rule);
  Referral saved_before;
  REQUIRE(CreateDraft(saved_before, ValidSpec(), {"officer-1"}, Now()) == absl::OkStatus());
  saved_before.spec.weights = Weights{50, 10, 10, 5, 5, 20};
  CHECK(Message(Publish(saved_before, pass_fail_only, 3, {"officer-1"}, Now())) == rule);
  CHECK(saved_before.state == ReferralState::kDraft);

  // Defaults that carry core competency (a lot saved before the rule) are refused too.
  LotRules old_defaults = pass_fail_only;
  old_defaults.default_weights = Weights{50, 10, 10, 5, 5, 20};
  Referral on_defaults;
  REQUIRE(CreateDraft(on_defaults, ValidSpec(), {"officer-1"}, Now()) == absl::OkStatus());
  CHECK(Message(Publish(on_defaults, old_defaults, 3, {"officer-1"}, Now())) == rule);
  CHECK(Publish(on_defaults, pass_fail_only, 3, {"officer-1"}, Now()) == absl::OkStatus());
  CHECK(on_defaults.spec.weights->core_competency == 0);
}

TEST_CASE("an incentive has a description, a positive premium and a date") {
  Incentive incentive{"Back in full-time education", 150000, absl::CivilDay(2027, 9, 1)};
  CHECK(SpecError([&](ReferralSpec& s) {
          s.incentive = incentive;
          s.incentive->premium_pence = 0;
        }) == "spec.incentive.premium: must be positive, got 0");
  CHECK(SpecError([&](ReferralSpec& s) {
          s.incentive = incentive;
          s.incentive->achieve_by.reset();
        }) == "spec.incentive.achieve_by: required");
  CHECK(SpecError([&](ReferralSpec& s) {
          s.incentive = incentive;
          s.incentive->description = "";
        }) == "spec.incentive.description: required");
  CHECK(PublishError(PcrLot(), [&](ReferralSpec& s) {
          s.incentive = incentive;
          s.incentive->achieve_by = absl::CivilDay(2027, 4, 1);
        }) == "spec.incentive.achieve_by: must be after the start date");
}

TEST_CASE("publication needs the whole spec") {
  CHECK(PublishError(PcrLot(), [](ReferralSpec& s) { s.start_date.reset(); }) ==
        "spec.start_date: required");
  CHECK(PublishError(PcrLot(), [](ReferralSpec& s) { s.response_deadline.reset(); }) ==
        "spec.response_deadline: required");
  CHECK(PublishError(PcrLot(), [](ReferralSpec& s) { s.needs.clear(); }) ==
        "spec.needs: at least one need required");
  CHECK(PublishError(PcrLot(), [](ReferralSpec& s) { s.children.clear(); }) ==
        "spec.children: at least one child required");
  CHECK(PublishError(PcrLot(), [](ReferralSpec& s) { s.postcode_district.clear(); }) ==
        "spec.location.postcode_district: required");
}

TEST_CASE("publication takes codes from the lot and filters only where they may exclude") {
  CHECK(PublishError(PcrLot(), [](ReferralSpec& s) {
          s.needs.push_back({"equine-therapy", 1});
        }) == "spec.needs[2]: 'equine-therapy' is not one of the lot's needs");
  CHECK(PublishError(PcrLot(), [](ReferralSpec& s) { s.must_have_features = {"pool"}; }) ==
        "spec.must_have_features[0]: 'pool' is not one of the lot's features");
  CHECK(PublishError(PcrLot(), [](ReferralSpec& s) {
          s.desirable_features = {{"pool", 2}};
        }) == "spec.desirable_features[0]: 'pool' is not one of the lot's features");
  auto with_filter = [](ReferralSpec& s) { s.filters.specialism_codes = {"asd"}; };
  CHECK(PublishError(PcrLot(), with_filter) ==
        "spec.filters: pre-selection filters are not allowed: under this purchasing system every "
        "member of the lot is invited");
  ReferralSpec filtered = ValidSpec();
  with_filter(filtered);
  CHECK(CheckPublishable(filtered, LightTouchLot(), Now()) == absl::OkStatus());
}

TEST_CASE("the deadline leaves the response period and comes before the start date") {
  // PCR: ten days. Now is 1 March at noon; 11 March at noon is the earliest deadline.
  CHECK(PublishError(PcrLot(),
                     [](ReferralSpec& s) { s.response_deadline = Utc(2027, 3, 11, 11, 59); }) ==
        "spec.response_deadline: must be at least the purchasing system's response period "
        "(240 hours, 10 days) after now, 2027-03-01T12:00:00Z");
  ReferralSpec earliest = ValidSpec();
  earliest.response_deadline = Utc(2027, 3, 11, 12);
  CHECK(CheckPublishable(earliest, PcrLot(), Now()) == absl::OkStatus());
  // Light touch: 72 hours.
  earliest.response_deadline = Utc(2027, 3, 4, 12);
  CHECK(CheckPublishable(earliest, LightTouchLot(), Now()) == absl::OkStatus());
  CHECK(PublishError(PcrLot(), [](ReferralSpec& s) { s.response_deadline = Utc(2027, 4, 1, 0); }) ==
        "spec.response_deadline: must be before the placement's start date, so the "
        "competition closes before the placement begins");
}

TEST_CASE("publishing opens round 1, fills in the lot's weights and is never to no one") {
  Referral referral = Published(PcrLot(), 7);
  CHECK(referral.state == ReferralState::kOpen);
  CHECK(referral.published_at == Now());
  REQUIRE(referral.rounds.size() == 1);
  CHECK(referral.rounds[0].number == 1);
  CHECK(referral.rounds[0].radius_miles == 30);
  CHECK(referral.rounds[0].newly_invited == 7);
  CHECK(referral.response_deadline() == Utc(2027, 3, 15, 17));
  REQUIRE(referral.spec.weights.has_value());
  CHECK(referral.spec.weights->price == 50);
  CHECK(referral.history.back().from == ReferralState::kDraft);
  CHECK(referral.history.back().to == ReferralState::kOpen);

  Referral nobody;
  REQUIRE(CreateDraft(nobody, ValidSpec(), {"officer-1"}, Now()) == absl::OkStatus());
  const absl::Status refused = Publish(nobody, PcrLot(), 0, {"officer-1"}, Now());
  CHECK(refused.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(refused) ==
        "referral: no establishment is eligible: widen the radius or relax "
        "the filters before publishing");
  CHECK(nobody.state == ReferralState::kDraft);

  Referral no_outcomes;
  ReferralSpec spec = ValidSpec();
  spec.outcomes_sought.clear();
  REQUIRE(CreateDraft(no_outcomes, spec, {"officer-1"}, Now()) == absl::OkStatus());
  CHECK(Message(Publish(no_outcomes, PcrLot(), 3, {"officer-1"}, Now())) ==
        "spec.weights.outcomes: must be 0 when the referral lists no outcomes sought, got 10");
  CHECK_FALSE(no_outcomes.spec.weights.has_value());
  no_outcomes.spec.weights = Weights{60, 0, 10, 5, 5, 20};
  CHECK(Publish(no_outcomes, PcrLot(), 3, {"officer-1"}, Now()) == absl::OkStatus());

  Referral no_desirable;
  spec = ValidSpec();
  spec.desirable_features.clear();
  REQUIRE(CreateDraft(no_desirable, spec, {"officer-1"}, Now()) == absl::OkStatus());
  CHECK(Message(Publish(no_desirable, PcrLot(), 3, {"officer-1"}, Now())) ==
        "spec.weights.features: must be 0 when the referral lists no desirable features, got 5");
  no_desirable.spec.weights = Weights{55, 10, 10, 0, 5, 20};
  CHECK(Publish(no_desirable, PcrLot(), 3, {"officer-1"}, Now()) == absl::OkStatus());

  CHECK(Message(Publish(referral, PcrLot(), 3, {"officer-1"}, Now())) ==
        "referral: cannot publish a referral that is OPEN");
  CHECK(Message(UpdateDraft(referral, ValidSpec())) ==
        "referral: cannot change a referral that is OPEN");
}

TEST_CASE("an open referral's deadline may be extended, with a reason, before it passes") {
  Referral referral = Published(PcrLot());
  CHECK(Message(ExtendDeadline(referral, Utc(2027, 3, 16), "", {"officer-1"}, Now())) ==
        "reason: required");
  CHECK(
      Message(ExtendDeadline(referral, Utc(2027, 3, 15, 16), "more time", {"officer-1"}, Now())) ==
      "response_deadline: must be later than the current response deadline");
  CHECK(Message(ExtendDeadline(referral, Utc(2027, 4, 2), "more time", {"officer-1"}, Now())) ==
        "response_deadline: must be before the placement's start date");
  const absl::Status late =
      ExtendDeadline(referral, Utc(2027, 3, 20), "more time", {"officer-1"}, Utc(2027, 3, 15, 17));
  CHECK(late.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(late) == "referral: the response deadline has passed; the referral is closing");
  REQUIRE(ExtendDeadline(referral, Utc(2027, 3, 20), "providers asked", {"officer-1"}, Now()) ==
          absl::OkStatus());
  CHECK(referral.response_deadline() == Utc(2027, 3, 20));
  CHECK(referral.history.back().reason == "deadline extended: providers asked");
}

TEST_CASE("widening the radius is a new round that leaves the newly invited the response period") {
  Referral pcr = Published(PcrLot());
  CHECK(Message(WidenRadius(pcr, 50, std::nullopt, PcrLot(), 2, {"officer-1"}, Now())) ==
        "referral: every member of the lot was invited: under this purchasing system the radius "
        "does not exclude anyone");

  Referral referral = Published(LightTouchLot());
  CHECK(
      Message(WidenRadius(referral, 30, std::nullopt, LightTouchLot(), 2, {"officer-1"}, Now())) ==
      "radius_miles: must be greater than the current radius (30 miles), got 30");
  // 72 hours before the deadline of 15 March 17:00 the current deadline is too near.
  const absl::Time late = Utc(2027, 3, 13);
  CHECK(Message(WidenRadius(referral, 40, std::nullopt, LightTouchLot(), 2, {"officer-1"}, late)) ==
        "response_deadline: required: the current deadline leaves the newly invited less than "
        "the purchasing system's response period");
  CHECK(Message(
            WidenRadius(referral, 40, Utc(2027, 3, 14), LightTouchLot(), 2, {"officer-1"}, late)) ==
        "response_deadline: must not be earlier than the current one");
  REQUIRE(WidenRadius(referral, 40, Utc(2027, 3, 17), LightTouchLot(), 2, {"officer-1"}, late) ==
          absl::OkStatus());
  REQUIRE(referral.rounds.size() == 2);
  CHECK(referral.rounds[1].number == 2);
  CHECK(referral.rounds[1].radius_miles == 40);
  CHECK(referral.rounds[1].newly_invited == 2);
  CHECK(referral.rounds[1].started_at == late);
  CHECK(referral.radius_miles() == 40);
  CHECK(referral.response_deadline() == Utc(2027, 3, 17));
}

TEST_CASE("an open referral closes at its deadline or once nobody is left to answer") {
  Referral referral = Published(PcrLot());
  const InvitationAnswer waiting{false, false}, answered{true, false}, suspended{false, true};
  CHECK_FALSE(ShouldClose(referral, {answered, waiting}, Now()));
  CHECK(ShouldClose(referral, {answered, waiting}, Utc(2027, 3, 15, 17)));
  CHECK(ShouldClose(referral, {answered, answered}, Now()));
  CHECK(ShouldClose(referral, {answered, suspended}, Now()));
  CHECK(ShouldClose(referral, {suspended}, Now()));
  CHECK_FALSE(ShouldClose(referral, {}, Now()));

  REQUIRE(Close(referral, "every invitee answered", Now()) == absl::OkStatus());
  CHECK(referral.state == ReferralState::kClosed);
  CHECK(referral.closed_at == Now());
  CHECK(referral.history.back().reason == "every invitee answered");
  CHECK_FALSE(ShouldClose(referral, {waiting}, Utc(2027, 4, 1)));
  CHECK(Message(Close(referral, "again", Now())) ==
        "referral: cannot close a referral that is CLOSED");
}

TEST_CASE("a final ranking evaluates the referral, or awaits the family's choice") {
  Referral provisional = Closed(PcrLot());
  REQUIRE(RecordRanking(provisional, {false, false, {}}, Utc(2027, 3, 16)) == absl::OkStatus());
  CHECK(provisional.state == ReferralState::kClosed);
  CHECK_FALSE(provisional.evaluated_at.has_value());

  Referral choice = Closed(PcrLot());
  REQUIRE(RecordRanking(choice, {true, true, {"bid-2", "bid-5"}}, Utc(2027, 3, 16)) ==
          absl::OkStatus());
  CHECK(choice.state == ReferralState::kAwaitingParentalChoice);
  REQUIRE(choice.parental_choice.has_value());
  CHECK(choice.parental_choice->shortlist_bid_ids == std::vector<std::string>{"bid-2", "bid-5"});

  CHECK(Message(RecordParentalChoice(choice, "bid-9", "", {"officer-1"}, Utc(2027, 3, 17))) ==
        "chosen_bid_id: must be one of the shortlist (bid-2, bid-5), got 'bid-9'");
  CHECK(Message(AwardBid(choice, {"bid-2", AwardBasis::kTopRanked, ""}, {"bid-2", 1, 90000},
                         std::nullopt, false, {"officer-1"}, Utc(2027, 3, 17))) ==
        "referral: the family's choice among the shortlist must be recorded first");
  REQUIRE(RecordParentalChoice(choice, "bid-5", "chosen at a family meeting", {"officer-1"},
                               Utc(2027, 3, 17)) == absl::OkStatus());
  CHECK(choice.state == ReferralState::kEvaluated);
  CHECK(Message(AwardBid(choice, {"bid-2", AwardBasis::kParentalChoice, ""}, {"bid-2", 1, 90000},
                         std::nullopt, false, {"officer-1"}, Utc(2027, 3, 17))) ==
        "bid_id: the family chose bid 'bid-5'");
  REQUIRE(AwardBid(choice, {"bid-5", AwardBasis::kParentalChoice, ""}, {"bid-5", 2, 95000},
                   std::nullopt, false, {"officer-1"}, Utc(2027, 3, 17)) == absl::OkStatus());
  CHECK(choice.state == ReferralState::kAwarded);
  CHECK(choice.award->basis == AwardBasis::kParentalChoice);
}

TEST_CASE("only a ranking that failed for a reason a retry cannot change is recorded as refused") {
  // The same request is refused the same way again: the close records it instead of retrying.
  CHECK_FALSE(RankingMayYetSucceed(absl::StatusCode::kInvalidArgument));
  CHECK_FALSE(RankingMayYetSucceed(absl::StatusCode::kFailedPrecondition));
  CHECK_FALSE(RankingMayYetSucceed(absl::StatusCode::kOutOfRange));
  // Outages, timeouts and faults nobody has explained may pass: the close is tried again.
  for (const absl::StatusCode code :
       {absl::StatusCode::kUnavailable, absl::StatusCode::kDeadlineExceeded,
        absl::StatusCode::kResourceExhausted, absl::StatusCode::kAborted,
        absl::StatusCode::kCancelled, absl::StatusCode::kInternal, absl::StatusCode::kUnknown,
        absl::StatusCode::kUnauthenticated, absl::StatusCode::kPermissionDenied,
        absl::StatusCode::kUnimplemented, absl::StatusCode::kNotFound,
        absl::StatusCode::kDataLoss}) {
    INFO(absl::StatusCodeToString(code));
    CHECK(RankingMayYetSucceed(code));
  }
}

TEST_CASE("a refused ranking leaves the referral CLOSED saying why, until it is reopened") {
  Referral open = Published(LightTouchLot());
  CHECK(Message(RecordRankingRefused(open,
                                     "scoring service: weights.price: must be between 30 "
                                     "and 70, got 75",
                                     Now())) ==
        "referral: cannot record a refused ranking for a referral that is OPEN");
  CHECK(open.ranking_refused_reason.empty());

  Referral referral = Closed(LightTouchLot());
  const std::string reason = "scoring service: weights.price: must be between 30 and 70, got 75";
  REQUIRE(RecordRankingRefused(referral, reason, Utc(2027, 3, 15, 17)) == absl::OkStatus());
  CHECK(referral.state == ReferralState::kClosed);
  CHECK(referral.ranking_refused_reason == reason);
  CHECK(referral.history.back().from == ReferralState::kClosed);
  CHECK(referral.history.back().to == ReferralState::kClosed);
  CHECK(referral.history.back().reason == "the bids could not be ranked: " + reason);

  // The authority decides; reopening (with the bids ranked again at the next close) clears it.
  REQUIRE(DeclareNoSuitableOffer(referral, "the bids could not be ranked", {"officer-1"},
                                 Utc(2027, 3, 16)) == absl::OkStatus());
  CHECK(referral.ranking_refused_reason == reason);
  REQUIRE(Reopen(referral, 50, Utc(2027, 3, 25), std::nullopt, LightTouchLot(), 3, {"officer-1"},
                 Utc(2027, 3, 16)) == absl::OkStatus());
  CHECK(referral.state == ReferralState::kOpen);
  CHECK(referral.ranking_refused_reason.empty());
}

TEST_CASE("an award names the top bid, the family's choice, or another with a reason") {
  Referral referral = Evaluated(PcrLot());
  const absl::Time at = Utc(2027, 3, 17);
  CHECK(Message(AwardBid(referral, {"bid-2", AwardBasis::kTopRanked, ""}, {"bid-2", 2, 90000},
                         std::nullopt, false, {"officer-1"}, at)) ==
        "basis: TOP_RANKED names the rank-1 bid; this bid is ranked 2 (use OFFICER_CHOICE with a "
        "reason)");
  CHECK(Message(AwardBid(referral, {"bid-2", AwardBasis::kOfficerChoice, " "}, {"bid-2", 2, 90000},
                         std::nullopt, false, {"officer-1"}, at)) ==
        "reason: required for OFFICER_CHOICE");
  CHECK(Message(AwardBid(referral, {"bid-2", AwardBasis::kParentalChoice, ""}, {"bid-2", 2, 90000},
                         std::nullopt, false, {"officer-1"}, at)) ==
        "basis: PARENTAL_CHOICE needs a recorded parental choice");
  const absl::Status excluded =
      AwardBid(referral, {"bid-3", AwardBasis::kOfficerChoice, "near"}, {"bid-3", 0, 80000},
               std::nullopt, false, {"officer-1"}, at);
  CHECK(excluded.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(excluded) == "bid: only a compliant, ranked bid can be awarded");
  CHECK(referral.state == ReferralState::kEvaluated);
  CHECK_FALSE(referral.award.has_value());

  REQUIRE(AwardBid(referral, {"bid-2", AwardBasis::kOfficerChoice, "closer to school"},
                   {"bid-2", 2, 90000}, std::nullopt, false, {"officer-1"},
                   at) == absl::OkStatus());
  CHECK(referral.state == ReferralState::kAwarded);
  CHECK(referral.award->approval == Approval::kNotRequired);
  CHECK(referral.award->evaluated_weekly_price_pence == 90000);
  CHECK(referral.award->awarded_by == "officer-1");
  CHECK(Message(AwardBid(referral, {"bid-2", AwardBasis::kTopRanked, ""}, {"bid-2", 1, 90000},
                         std::nullopt, false, {"officer-1"}, at)) ==
        "referral: cannot award a referral that is AWARDED");
}

TEST_CASE("an award above the threshold waits for a commissioner, who may refuse it") {
  Referral referral = Evaluated(PcrLot());
  const absl::Time at = Utc(2027, 3, 17);
  REQUIRE(AwardBid(referral, {"bid-1", AwardBasis::kTopRanked, ""}, {"bid-1", 1, 500001}, 500000,
                   false, {"officer-1"}, at) == absl::OkStatus());
  CHECK(referral.state == ReferralState::kEvaluated);
  CHECK(referral.award->approval == Approval::kPending);
  CHECK(Message(AwardBid(referral, {"bid-1", AwardBasis::kTopRanked, ""}, {"bid-1", 1, 500001},
                         500000, false, {"officer-1"}, at)) ==
        "referral: an award already awaits a commissioner's approval");
  CHECK(Message(DeclareNoSuitableOffer(referral, "none fit", {"officer-1"}, at)) ==
        "referral: an award awaits a commissioner's approval");
  CHECK(Message(DecideApproval(referral, false, "", {"commissioner-1"}, at)) ==
        "reason: required when refusing an award");
  REQUIRE(DecideApproval(referral, false, "over budget", {"commissioner-1"}, at) ==
          absl::OkStatus());
  CHECK(referral.state == ReferralState::kEvaluated);
  CHECK(referral.award->approval == Approval::kRefused);
  CHECK(Message(DecideApproval(referral, true, "", {"commissioner-1"}, at)) ==
        "referral: no award awaits approval");

  // Awarded again, this time within the threshold.
  REQUIRE(AwardBid(referral, {"bid-2", AwardBasis::kOfficerChoice, "within budget"},
                   {"bid-2", 2, 400000}, 500000, false, {"officer-1"}, at) == absl::OkStatus());
  CHECK(referral.state == ReferralState::kAwarded);
  CHECK(referral.award->bid_id == "bid-2");

  // Approval given.
  Referral approved = Evaluated(PcrLot());
  REQUIRE(AwardBid(approved, {"bid-1", AwardBasis::kTopRanked, ""}, {"bid-1", 1, 600000}, 500000,
                   false, {"officer-1"}, at) == absl::OkStatus());
  REQUIRE(DecideApproval(approved, true, "", {"commissioner-1"}, at) == absl::OkStatus());
  CHECK(approved.state == ReferralState::kAwarded);
  CHECK(approved.award->approval == Approval::kApproved);
  CHECK(approved.award->approval_decided_by == "commissioner-1");

  // A commissioner's own award above the threshold is approved by making it.
  Referral by_commissioner = Evaluated(PcrLot());
  REQUIRE(AwardBid(by_commissioner, {"bid-1", AwardBasis::kTopRanked, ""}, {"bid-1", 1, 600000},
                   500000, true, {"commissioner-1"}, at) == absl::OkStatus());
  CHECK(by_commissioner.state == ReferralState::kAwarded);
  CHECK(by_commissioner.award->approval == Approval::kApproved);
}

TEST_CASE("no suitable offer is declared with a reason and reopened wider, filters only relaxed") {
  Referral referral = Published(LightTouchLot());
  REQUIRE(Close(referral, "response deadline", Utc(2027, 3, 15, 17)) == absl::OkStatus());
  CHECK(Message(DeclareNoSuitableOffer(referral, "", {"officer-1"}, Utc(2027, 3, 16))) ==
        "reason: required");
  REQUIRE(DeclareNoSuitableOffer(referral, "no bid met the needs", {"officer-1"},
                                 Utc(2027, 3, 16)) == absl::OkStatus());
  CHECK(referral.state == ReferralState::kNoSuitableOffer);
  CHECK(referral.no_suitable_offer_reason == "no bid met the needs");

  const absl::Time at = Utc(2027, 3, 16);
  const LotRules lot = LightTouchLot();
  CHECK(Message(Reopen(referral, 25, Utc(2027, 3, 25), std::nullopt, lot, 3, {"officer-1"}, at)) ==
        "radius_miles: must be greater than the current radius (30 miles), got 25");
  CHECK(Message(Reopen(referral, 50, Utc(2027, 3, 18), std::nullopt, lot, 3, {"officer-1"}, at)) ==
        "response_deadline: must be at least the purchasing system's response period (72 hours) "
        "after now, 2027-03-16T12:00:00Z");
  Filters tighter;
  tighter.specialism_codes = {"asd"};
  CHECK(Message(Reopen(referral, 50, Utc(2027, 3, 25), tighter, lot, 3, {"officer-1"}, at)) ==
        "filters: may be relaxed, never tightened, so every earlier invitee stays eligible");
  REQUIRE(Reopen(referral, 50, Utc(2027, 3, 25), std::nullopt, lot, 3, {"officer-1"}, at) ==
          absl::OkStatus());
  CHECK(referral.state == ReferralState::kOpen);
  CHECK(referral.rounds.size() == 2);
  CHECK(referral.radius_miles() == 50);
  CHECK(referral.response_deadline() == Utc(2027, 3, 25));
  CHECK_FALSE(referral.closed_at.has_value());
  CHECK(referral.no_suitable_offer_reason.empty());

  // Under PCR 2015 everyone was invited already: the radius cannot be widened on reopening.
  Referral pcr = Closed(PcrLot());
  REQUIRE(DeclareNoSuitableOffer(pcr, "no bid met the needs", {"officer-1"}, at) ==
          absl::OkStatus());
  CHECK(Message(Reopen(pcr, 40, Utc(2027, 3, 30), std::nullopt, PcrLot(), 0, {"officer-1"}, at)) ==
        "radius_miles: every member of the lot was invited: under this purchasing system the "
        "radius does not exclude anyone, so it cannot be widened");
  CHECK(pcr.state == ReferralState::kNoSuitableOffer);
}

TEST_CASE("filters relax by widening 'any of' lists, narrowing 'all of' lists, raising the cap") {
  Filters old_filters;
  old_filters.placement_type_codes = {"residential"};
  old_filters.specialism_codes = {"asd", "semh"};
  old_filters.provision_types = {1};
  old_filters.max_ceiling_fee_pence = 400000;

  Filters relaxed = old_filters;
  relaxed.placement_type_codes.push_back("solo");
  relaxed.specialism_codes = {"asd"};
  relaxed.provision_types.push_back(2);
  relaxed.max_ceiling_fee_pence = 450000;
  CHECK(Relaxes(relaxed, old_filters));
  CHECK(Relaxes(Filters{}, old_filters));
  CHECK(Relaxes(old_filters, old_filters));

  Filters narrower_any = old_filters;
  narrower_any.placement_type_codes = {"solo"};
  CHECK_FALSE(Relaxes(narrower_any, old_filters));
  Filters more_all = old_filters;
  more_all.specialism_codes.push_back("cse");
  CHECK_FALSE(Relaxes(more_all, old_filters));
  Filters lower_cap = old_filters;
  lower_cap.max_ceiling_fee_pence = 399999;
  CHECK_FALSE(Relaxes(lower_cap, old_filters));
  CHECK_FALSE(Relaxes(old_filters, Filters{}));
}

TEST_CASE("a referral is withdrawn with a reason at any point before award") {
  Referral draft;
  REQUIRE(CreateDraft(draft, ValidSpec(), {"officer-1"}, Now()) == absl::OkStatus());
  CHECK(Message(Withdraw(draft, " ", {"officer-1"}, Now())) == "reason: required");
  REQUIRE(Withdraw(draft, "child placed with family", {"officer-1"}, Now()) == absl::OkStatus());
  CHECK(draft.state == ReferralState::kWithdrawn);
  CHECK(draft.withdrawal_reason == "child placed with family");

  Referral pending = Evaluated(PcrLot());
  REQUIRE(AwardBid(pending, {"bid-1", AwardBasis::kTopRanked, ""}, {"bid-1", 1, 600000}, 500000,
                   false, {"officer-1"}, Now()) == absl::OkStatus());
  REQUIRE(Withdraw(pending, "placement no longer needed", {"officer-1"}, Now()) ==
          absl::OkStatus());
  CHECK(pending.award->approval == Approval::kRefused);

  Referral awarded = Evaluated(PcrLot());
  REQUIRE(AwardBid(awarded, {"bid-1", AwardBasis::kTopRanked, ""}, {"bid-1", 1, 90000},
                   std::nullopt, false, {"officer-1"}, Now()) == absl::OkStatus());
  const absl::Status refused = Withdraw(awarded, "changed mind", {"officer-1"}, Now());
  CHECK(refused.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(refused) == "referral: cannot withdraw a referral that is AWARDED");
  CHECK(Message(Withdraw(draft, "again", {"officer-1"}, Now())) ==
        "referral: cannot withdraw a referral that is WITHDRAWN");
}

}  // namespace
}  // namespace dps::referral
