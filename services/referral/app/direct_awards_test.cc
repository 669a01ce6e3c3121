// The direct-award use cases against a register and a repository in memory: what is checked
// before the transaction, what is stored and announced, and who may review and read an award.
#include "services/referral/app/direct_awards.h"

#include <catch2/catch.hpp>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "platform/proto/proto_time.h"
#include "platform/work/testing/recorded_events.h"
#include "services/referral/app/testing/callers.h"
#include "services/referral/clients/testing/fake_qualification_client.h"
#include "services/referral/convert/convert.h"
#include "services/referral/domain/test_fixtures.h"
#include "services/referral/storage/testing/in_memory_direct_award_repository.h"

namespace dps::referral {
namespace {

using ::dps::platform::testing::RecordedEvent;
using ::dps::platform::testing::RecordedEvents;
using ::dps::referral::testing::CallerAs;
using ::dps::referral::testing::FakeQualificationClient;
using ::dps::referral::testing::Now;
using ::dps::referral::testing::OneLotRegister;
using ::dps::referral::testing::Utc;

const platform::CallerIdentity kOfficer =
    CallerAs(dps::common::v1::ROLE_PLACING_OFFICER, "brighton-and-hove");

// The request as the handler passes it on: its district already placed at its centroid.
v1::MakeDirectAwardRequest Request() {
  v1::MakeDirectAwardRequest request;
  request.set_system_id("system-1");
  request.set_lot_id("lot-homes");
  request.set_establishment_id("establishment-7");
  v1::ChildProfile& child = *request.add_children();
  child.set_child_key("child-1");
  child.set_age_years(14);
  child.set_gender(dps::common::v1::GENDER_FEMALE);
  request.mutable_location()->set_postcode_district("BN3");
  request.mutable_location()->mutable_centroid()->set_latitude(50.83);
  request.mutable_location()->mutable_centroid()->set_longitude(-0.17);
  request.set_justification("Placement broke down overnight; the child needs a bed tonight.");
  *request.mutable_start_date() = platform::ToDate(absl::CivilDay(2027, 3, 1));
  *request.mutable_review_on() = platform::ToDate(absl::CivilDay(2027, 3, 29));
  request.set_planned_duration_months(3);
  request.mutable_core_fee()->set_pence(450000);
  return request;
}

std::string Checked(const FakeQualificationClient& qualification,
                    const v1::MakeDirectAwardRequest& request) {
  absl::StatusOr<CheckedDirectAward> checked =
      CheckDirectAward(qualification, kOfficer, "req-1", Now(), request);
  return checked.ok() ? "OK" : checked.status().ToString();
}

struct Store {
  InMemoryDirectAwardRepository awards;
  RecordedEvents events;
  DirectAwardUseCases use_cases{awards, events};
};

DirectAward Made(Store& store) {
  const FakeQualificationClient qualification = OneLotRegister(dps::common::v1::REGIME_LIGHT_TOUCH);
  absl::StatusOr<CheckedDirectAward> checked =
      CheckDirectAward(qualification, kOfficer, "req-1", Now(), Request());
  REQUIRE(checked.ok());
  absl::StatusOr<DirectAward> made = store.use_cases.Make(*checked, ActorFrom(kOfficer), Now());
  REQUIRE(made.ok());
  return *made;
}

TEST_CASE("a direct award is checked against the register before its transaction opens") {
  CHECK(Checked(OneLotRegister(dps::common::v1::REGIME_LIGHT_TOUCH), Request()) == "OK");
  CHECK(Checked(OneLotRegister(dps::common::v1::REGIME_PCR2015_DPS), Request()) ==
        "FAILED_PRECONDITION: direct award: this purchasing system does not allow direct award: "
        "never under PCR 2015, and a LIGHT_TOUCH or PA2023 system must enable it");

  FakeQualificationClient not_eligible = OneLotRegister(dps::common::v1::REGIME_LIGHT_TOUCH);
  not_eligible.eligible.clear();
  CHECK(Checked(not_eligible, Request()) ==
        "FAILED_PRECONDITION: establishment: establishment-7 cannot take this placement: not "
        "among the eligible establishments of this register");

  v1::MakeDirectAwardRequest no_justification = Request();
  no_justification.clear_justification();
  CHECK(Checked(OneLotRegister(dps::common::v1::REGIME_LIGHT_TOUCH), no_justification) ==
        "INVALID_ARGUMENT: justification: required");

  FakeQualificationClient down = OneLotRegister(dps::common::v1::REGIME_LIGHT_TOUCH);
  down.down = true;
  CHECK(absl::StrContains(Checked(down, Request()), "UNAVAILABLE"));

  // A ranked call-off in a system that does not call off by ranking.
  v1::MakeDirectAwardRequest ranked = Request();
  ranked.set_basis(v1::DIRECT_AWARD_BASIS_RANKED_CALL_OFF);
  CHECK(absl::StartsWith(Checked(OneLotRegister(dps::common::v1::REGIME_LIGHT_TOUCH), ranked),
                         "FAILED_PRECONDITION: basis: "));
}

TEST_CASE("a direct award made is stored for its system's lead authority and announced") {
  Store store;
  const DirectAward made = Made(store);
  CHECK(made.state == DirectAwardState::kMade);
  CHECK(made.placing_authority_id == "brighton-and-hove");
  CHECK(made.provider_id == "provider-3");
  CHECK(made.price_basis == "PRICE_BASIS_WEEKLY");
  REQUIRE(made.centroid.has_value());
  CHECK(made.centroid->latitude == 50.83);
  CHECK(made.made_by.user_id == "user-1");
  CHECK(made.made_by.organisation_id == "brighton-and-hove");

  absl::StatusOr<StoredDirectAward> stored = store.awards.Load(made.id, false);
  REQUIRE(stored.ok());
  CHECK(stored->lead_authority_id == "west-sussex");
  CHECK(stored->award.spec.core_fee_pence == 450000);

  REQUIRE(store.events.events.size() == 1);
  const RecordedEvent& event = store.events.events[0];
  CHECK(event.type == "referral.direct_award.made");
  CHECK(event.aggregate_id == made.id);
  CHECK(event.system_id == "system-1");
  const auto& payload = event.envelope.direct_award_made();
  CHECK(payload.establishment_id() == "establishment-7");
  CHECK(payload.provider_id() == "provider-3");
  CHECK(payload.core_fee().pence() == 450000);
  CHECK(payload.price_basis() == dps::common::v1::PRICE_BASIS_WEEKLY);
  CHECK(payload.children() == 1);
  CHECK(payload.postcode_district() == "BN3");
}

TEST_CASE("a direct award is reviewed by the authority that made it, once, and announced") {
  Store store;
  const DirectAward made = Made(store);
  const Actor stranger{
      .user_id = "user-9", .role = "ROLE_PLACING_OFFICER", .organisation_id = "west-sussex"};
  CHECK(store.use_cases.Review(made.id, "Settled", stranger, Utc(2027, 3, 29, 9)).status() ==
        absl::NotFoundError(absl::StrCat("direct award ", made.id, ": not found")));
  CHECK(store.use_cases.Review("direct-award-none", "Settled", ActorFrom(kOfficer), Now())
            .status()
            .code() == absl::StatusCode::kNotFound);
  CHECK(
      store.use_cases.Review(made.id, "Settled", ActorFrom(kOfficer), Utc(2027, 3, 28)).status() ==
      absl::FailedPreconditionError("direct award: the review is due on 2027-03-29, not before"));
  CHECK(store.events.events.size() == 1);

  absl::StatusOr<DirectAward> reviewed =
      store.use_cases.Review(made.id, "Settled", ActorFrom(kOfficer), Utc(2027, 3, 29, 9));
  REQUIRE(reviewed.ok());
  CHECK(reviewed->state == DirectAwardState::kReviewed);
  CHECK(reviewed->reviewed_by.user_id == "user-1");
  CHECK(store.awards.Load(made.id, false)->award.state == DirectAwardState::kReviewed);
  REQUIRE(store.events.events.size() == 2);
  CHECK(store.events.events[1].type == "referral.direct_award.reviewed");
  CHECK(store.events.events[1].envelope.direct_award_reviewed().review_on().day() == 29);

  CHECK(store.use_cases.Review(made.id, "Again", ActorFrom(kOfficer), Utc(2027, 4, 5))
            .status()
            .code() == absl::StatusCode::kFailedPrecondition);
  CHECK(store.events.events.size() == 2);
}

TEST_CASE(
    "a direct award is read by its authority, its provider, its lead authority and services") {
  Store store;
  const DirectAward made = Made(store);
  const auto reads = [&](dps::common::v1::Role role, const std::string& organisation) {
    return store.use_cases.Read(made.id, CallerAs(role, organisation)).ok();
  };
  CHECK(reads(dps::common::v1::ROLE_PLACING_OFFICER, "brighton-and-hove"));
  CHECK(reads(dps::common::v1::ROLE_COMMISSIONER, "brighton-and-hove"));
  CHECK_FALSE(reads(dps::common::v1::ROLE_PLACING_OFFICER, "west-sussex"));
  CHECK(reads(dps::common::v1::ROLE_PROVIDER_USER, "provider-3"));
  CHECK_FALSE(reads(dps::common::v1::ROLE_PROVIDER_USER, "provider-4"));
  CHECK(reads(dps::common::v1::ROLE_LEAD_AUTHORITY_ADMIN, "west-sussex"));
  CHECK(reads(dps::common::v1::ROLE_AUDITOR, "west-sussex"));
  CHECK_FALSE(reads(dps::common::v1::ROLE_AUDITOR, "brighton-and-hove"));
  CHECK(reads(dps::common::v1::ROLE_SERVICE, "contracts"));

  // Lists: an author sees their authority's, anyone else the systems their authority leads.
  const auto listed = [&](dps::common::v1::Role role, const std::string& organisation) {
    absl::StatusOr<std::vector<DirectAward>> awards =
        store.use_cases.List({}, CallerAs(role, organisation), "", 10);
    REQUIRE(awards.ok());
    return awards->size();
  };
  CHECK(listed(dps::common::v1::ROLE_PLACING_OFFICER, "brighton-and-hove") == 1);
  CHECK(listed(dps::common::v1::ROLE_PLACING_OFFICER, "west-sussex") == 0);
  CHECK(listed(dps::common::v1::ROLE_AUDITOR, "west-sussex") == 1);
  CHECK(listed(dps::common::v1::ROLE_AUDITOR, "brighton-and-hove") == 0);
  DirectAwardFilter due{.review_due_by = absl::CivilDay(2027, 3, 28)};
  CHECK(store.use_cases.List(due, kOfficer, "", 10)->empty());
  due.review_due_by = absl::CivilDay(2027, 3, 29);
  CHECK(store.use_cases.List(due, kOfficer, "", 10)->size() == 1);
}

TEST_CASE("a stored direct award converts to the API's record and back unchanged") {
  Store store;
  const DirectAward made = Made(store);
  absl::StatusOr<DirectAward> back = ToDomain(ToApi(made));
  REQUIRE(back.ok());
  CHECK(ToApi(*back).SerializeAsString() == ToApi(made).SerializeAsString());
}

}  // namespace
}  // namespace dps::referral
