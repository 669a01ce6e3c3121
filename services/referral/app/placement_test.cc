// The placement use cases against a register in memory: what a change asks of the qualification
// service before its transaction opens, and what it re-checks under its lock.
#include "services/referral/app/placement.h"

#include <catch2/catch.hpp>
#include <string>

#include "services/referral/clients/testing/fake_qualification_client.h"

namespace dps::referral {
namespace {

using testing::FakeQualificationClient;

const platform::CallerIdentity kOfficer{.user_id = "officer-1",
                                        .role = dps::common::v1::ROLE_PLACING_OFFICER,
                                        .organisation_id = "brighton-and-hove"};

// West Sussex leads a LIVE system of two lots; Brighton and Hove calls off the fostering lot only.
FakeQualificationClient Register() {
  FakeQualificationClient qualification;
  qv1::PurchasingSystem& system = qualification.systems["sys-1"];
  system.set_id("sys-1");
  system.set_lead_authority_id("west-sussex");
  system.set_state(qv1::PURCHASING_SYSTEM_STATE_LIVE);
  qv1::ParticipatingAuthority& brighton = *system.add_authorities();
  brighton.set_authority_id("brighton-and-hove");
  brighton.add_lot_codes("IFA");
  for (const auto& [id, code] : {std::pair{"lot-ifa", "IFA"}, std::pair{"lot-res", "RES"}}) {
    qv1::Lot& lot = qualification.lots[id];
    lot.set_id(id);
    lot.set_system_id("sys-1");
    lot.set_code(code);
    lot.set_state(qv1::LOT_STATE_OPEN);
    lot.add_needs()->set_code("semh");
  }
  qualification.eligible.emplace_back().set_establishment_id("est-1");
  return qualification;
}

std::string Placed(const FakeQualificationClient& qualification, const std::string& system,
                   const std::string& lot) {
  absl::StatusOr<Placement> placement =
      PlacementOf(qualification, kOfficer, "req-1", system, lot, "spec.");
  return placement.ok() ? "OK" : placement.status().ToString();
}

TEST_CASE("a placement names an existing system and one of its lots the caller calls off") {
  FakeQualificationClient qualification = Register();
  CHECK(Placed(qualification, "sys-1", "lot-ifa") == "OK");
  CHECK(Placed(qualification, "", "lot-ifa") == "INVALID_ARGUMENT: spec.system_id: required");
  CHECK(Placed(qualification, "sys-1", "") == "INVALID_ARGUMENT: spec.lot_id: required");
  CHECK(Placed(qualification, "sys-9", "lot-ifa") ==
        "INVALID_ARGUMENT: spec.system_id: purchasing system 'sys-9' does not exist");
  CHECK(Placed(qualification, "sys-1", "lot-9") ==
        "INVALID_ARGUMENT: spec.lot_id: lot 'lot-9' is not a lot of purchasing system 'sys-1'");
  qualification.lots["lot-other"].set_system_id("sys-2");
  CHECK(Placed(qualification, "sys-1", "lot-other") ==
        "INVALID_ARGUMENT: spec.lot_id: lot 'lot-other' is not a lot of purchasing system "
        "'sys-1'");
  CHECK(Placed(qualification, "sys-1", "lot-res") ==
        "PERMISSION_DENIED: authority brighton-and-hove does not take part in lot RES of "
        "purchasing system sys-1 (it calls off IFA)");
  // A register that cannot be reached is not a missing system: its status comes through.
  qualification.down = true;
  CHECK(Placed(qualification, "sys-1", "lot-ifa") ==
        "UNAVAILABLE: qualification service: connection refused");
}

RoundFacts FactsFor(const std::string& lot) {
  RoundFacts facts;
  facts.asked.set_id("ref-1");
  facts.asked.set_state(v1::REFERRAL_STATE_DRAFT);
  facts.asked.mutable_spec()->set_system_id("sys-1");
  facts.asked.mutable_spec()->set_lot_id(lot);
  facts.asked.mutable_spec()->set_description("A placement near school.");
  facts.as_of = absl::FromUnixSeconds(1800000000);
  return facts;
}

TEST_CASE(
    "a round asks the lot's rules, then who is eligible, only while system and lot are open") {
  FakeQualificationClient qualification = Register();
  RoundFacts facts = FactsFor("lot-ifa");
  REQUIRE(AskRound(qualification, kOfficer, "req-1", facts).ok());
  CHECK(facts.eligible.size() == 1);
  CHECK(facts.round.rules.needs == std::vector<std::string>{"semh"});
  // The system configures no response period: PCR's ten days (docs/rules.md section 3).
  CHECK(facts.round.rules.min_response_period == absl::Hours(240));

  qualification.lots["lot-ifa"].set_state(qv1::LOT_STATE_CLOSED);
  facts = FactsFor("lot-ifa");
  CHECK(AskRound(qualification, kOfficer, "req-1", facts).ToString() ==
        "FAILED_PRECONDITION: lot: lot-ifa is CLOSED to new referrals");
  qualification.systems["sys-1"].set_state(qv1::PURCHASING_SYSTEM_STATE_CLOSED);
  CHECK(AskRound(qualification, kOfficer, "req-1", facts).ToString() ==
        "FAILED_PRECONDITION: purchasing system: sys-1 is not LIVE: referrals are published "
        "only while it is");
}

TEST_CASE("a spec the round's rules refuse costs no eligibility search") {
  FakeQualificationClient qualification = Register();
  RoundFacts facts = FactsFor("lot-ifa");
  const absl::Status refused =
      AskRound(qualification, kOfficer, "req-1", facts,
               [](const RoundRules&) { return absl::InvalidArgumentError("spec.needs: refused"); });
  CHECK(refused.ToString() == "INVALID_ARGUMENT: spec.needs: refused");
  CHECK(qualification.searches == 0);
  CHECK(facts.eligible.empty());
}

TEST_CASE("a round stands under the lock unless what it was asked with has moved") {
  RoundFacts facts = FactsFor("lot-ifa");
  facts.asked.mutable_spec()->set_radius_miles(30);
  v1::Referral locked = facts.asked;
  // The round sets its own radius and filters: the stored ones may still be the old.
  locked.mutable_spec()->set_radius_miles(20);
  CHECK(CheckRoundStands(facts, locked).ok());
  v1::Referral moved = locked;
  moved.mutable_spec()->set_planned_duration_months(12);
  CHECK(CheckRoundStands(facts, moved).ToString() ==
        "ABORTED: referral ref-1 changed while its round was prepared; retry");
  moved = locked;
  moved.set_state(v1::REFERRAL_STATE_OPEN);
  CHECK(CheckRoundStands(facts, moved).code() == absl::StatusCode::kAborted);
  moved = locked;
  moved.add_rounds();
  CHECK(CheckRoundStands(facts, moved).code() == absl::StatusCode::kAborted);
}

}  // namespace
}  // namespace dps::referral
