// Who calls off a purchasing system, through gRPC against a real PostgreSQL: bodies other than
// local authorities (Northamptonshire's police and schools) only where the system allows them,
// and authorities taking part in some lots only (West Sussex), held to them by the eligibility
// query (domain/participation.h).
#include <catch2/catch.hpp>
#include <string>

#include "absl/strings/match.h"
#include "services/qualification/tests/service_fixture.h"
#include "services/qualification/tests/world.h"

namespace dps::qualification::testing {
namespace {

constexpr char kPolice[] = "northants-police";

v1::ParticipatingAuthority Body(const std::string& id, v1::BodyType type) {
  v1::ParticipatingAuthority authority;
  authority.set_authority_id(id);
  authority.set_body_type(type);
  return authority;
}

grpc::Status Update(ServiceFixture& f, const v1::PurchasingSystem& system,
                    const v1::PurchasingSystemSpec& spec, v1::PurchasingSystem* changed) {
  v1::UpdatePurchasingSystemRequest update;
  update.set_idempotency_key(ServiceFixture::Key());
  update.set_id(system.id());
  update.set_expected_version(system.version());
  *update.mutable_spec() = spec;
  update.set_reason("participants changed");
  return f.stub().UpdatePurchasingSystem(Lead().get(), update, changed);
}

grpc::Status Join(ServiceFixture& f, const std::string& system_id,
                  const v1::ParticipatingAuthority& authority, v1::PurchasingSystem* joined) {
  v1::AddParticipatingAuthorityRequest add;
  add.set_idempotency_key(ServiceFixture::Key());
  add.set_system_id(system_id);
  *add.mutable_authority() = authority;
  add.set_access_agreement_ref("AA-2026-07");
  return f.stub().AddParticipatingAuthority(Lead().get(), add, joined);
}

// The message of a call that must fail with `code`.
std::string Refused(const grpc::Status& status, grpc::StatusCode code) {
  INFO(status.error_message());
  CHECK(status.error_code() == code);
  return status.error_message();
}

v1::EligibilityQuery Query(const std::string& lot_id) {
  v1::EligibilityQuery query;
  query.set_lot_id(lot_id);
  query.mutable_location()->set_latitude(51.06);
  query.mutable_location()->set_longitude(-0.33);
  query.add_child_ages_years(12);
  query.add_child_genders(dps::common::v1::GENDER_FEMALE);
  return query;
}

grpc::Status Find(ServiceFixture& f, ApiRole role, const std::string& organisation,
                  const std::string& lot_id) {
  v1::FindEligibleEstablishmentsRequest find;
  *find.mutable_query() = Query(lot_id);
  v1::FindEligibleEstablishmentsResponse found;
  return f.stub().FindEligibleEstablishments(ServiceFixture::As(role, organisation).get(), find,
                                             &found);
}

grpc::Status Explain(ServiceFixture& f, ApiRole role, const std::string& organisation,
                     const std::string& lot_id, const std::string& establishment_id) {
  v1::ExplainEligibilityRequest explain;
  *explain.mutable_query() = Query(lot_id);
  explain.set_establishment_id(establishment_id);
  v1::ExplainEligibilityResponse response;
  return f.stub().ExplainEligibility(ServiceFixture::As(role, organisation).get(), explain,
                                     &response);
}

}  // namespace

TEST_CASE("a body that is not a local authority calls off only where the system allows it",
          "[qualification][service][participants]") {
  ServiceFixture f(At(2026, 7, 1));
  const World w = SetUp(f);  // councils only: other_bodies_may_call_off is not set
  const v1::PurchasingSystem system = GetSystem(f, w.system_id);
  v1::PurchasingSystem changed;

  // Set up with the police among its participants.
  v1::CreatePurchasingSystemRequest create;
  create.set_idempotency_key(ServiceFixture::Key());
  *create.mutable_spec() = SpecOf(system);
  *create.mutable_spec()->add_authorities() = Body(kPolice, v1::BODY_TYPE_POLICE);
  v1::PurchasingSystem created;
  CHECK(Refused(f.stub().CreatePurchasingSystem(Lead().get(), create, &created),
                grpc::StatusCode::INVALID_ARGUMENT) ==
        "spec.authorities[1].body_type: a POLICE body may call off only where "
        "other_bodies_may_call_off is set; this system is for local authorities");
  create.set_idempotency_key(ServiceFixture::Key());
  create.mutable_spec()->set_other_bodies_may_call_off(true);
  CHECK_OK(f.stub().CreatePurchasingSystem(Lead().get(), create, &created));
  REQUIRE(created.authorities_size() == 2);
  CHECK(created.authorities(1).body_type() == v1::BODY_TYPE_POLICE);
  CHECK(created.other_bodies_may_call_off());
  const v1::PurchasingSystem stored = GetSystem(f, created.id());
  CHECK(stored.authorities(1).body_type() == v1::BODY_TYPE_POLICE);
  CHECK(stored.authorities(0).body_type() == v1::BODY_TYPE_UNSPECIFIED);  // a local authority

  // Changed to take a school in.
  v1::PurchasingSystemSpec spec = SpecOf(system);
  *spec.add_authorities() = Body("northants-schools", v1::BODY_TYPE_SCHOOL);
  CHECK(Refused(Update(f, system, spec, &changed), grpc::StatusCode::INVALID_ARGUMENT) ==
        "spec.authorities[1].body_type: a SCHOOL body may call off only where "
        "other_bodies_may_call_off is set; this system is for local authorities");
  CHECK(GetSystem(f, w.system_id).authorities_size() == 1);

  // Joining by access agreement.
  CHECK(Refused(Join(f, w.system_id, Body("nhs-icb", v1::BODY_TYPE_HEALTH), &changed),
                grpc::StatusCode::INVALID_ARGUMENT) ==
        "authority.body_type: a HEALTH body may call off only where other_bodies_may_call_off "
        "is set; this system is for local authorities");
  CHECK_OK(Join(f, w.system_id, Body("surrey", v1::BODY_TYPE_LOCAL_AUTHORITY), &changed));

  // Once the system allows other bodies, they join.
  spec = SpecOf(changed);
  spec.set_other_bodies_may_call_off(true);
  CHECK_OK(Update(f, changed, spec, &changed));
  CHECK_OK(Join(f, w.system_id, Body(kPolice, v1::BODY_TYPE_POLICE), &changed));
  CHECK(changed.authorities(2).body_type() == v1::BODY_TYPE_POLICE);
  CHECK(GetSystem(f, w.system_id).authorities(2).body_type() == v1::BODY_TYPE_POLICE);
  // And a system with other bodies in it cannot be closed to them while they are.
  spec = SpecOf(changed);
  spec.set_other_bodies_may_call_off(false);
  CHECK(absl::StartsWith(
      Refused(Update(f, changed, spec, &changed), grpc::StatusCode::INVALID_ARGUMENT),
      "spec.authorities[2].body_type: a POLICE body"));
}

TEST_CASE("an authority taking part in some lots only is refused the others",
          "[qualification][service][participants]") {
  ServiceFixture f(At(2026, 7, 1));
  const World w = SetUp(f);
  const std::string member = QualifiedMember(f, w);
  // A second lot, fostering, beside the residential one (code RES).
  v1::CreateLotRequest create_lot;
  create_lot.set_idempotency_key(ServiceFixture::Key());
  create_lot.set_system_id(w.system_id);
  *create_lot.mutable_spec() = ResidentialLotSpec();
  create_lot.mutable_spec()->set_code("FOS");
  create_lot.mutable_spec()->set_name("Fostering");
  v1::Lot fostering;
  CHECK_OK(f.stub().CreateLot(Lead().get(), create_lot, &fostering));

  // Every lot, as before.
  CHECK_OK(Find(f, ApiRole::ROLE_PLACING_OFFICER, kPartner, w.lot_id));

  v1::PurchasingSystem system = GetSystem(f, w.system_id);
  v1::PurchasingSystem changed;
  v1::PurchasingSystemSpec spec = SpecOf(system);
  SECTION("a lot code by the code rule, naming a lot of the system") {
    spec.mutable_authorities(0)->add_lot_codes("fostering care");
    CHECK(Refused(Update(f, system, spec, &changed), grpc::StatusCode::INVALID_ARGUMENT) ==
          "spec.authorities[0].lot_codes[0]: must be a code of 1 to 32 letters, digits, '-' or "
          "'_', got \"fostering care\"");
    spec.mutable_authorities(0)->set_lot_codes(0, "SEN");
    CHECK(Refused(Update(f, system, spec, &changed), grpc::StatusCode::INVALID_ARGUMENT) ==
          "spec.authorities[0].lot_codes[0]: no lot \"SEN\" in the system");
    v1::ParticipatingAuthority surrey = Body("surrey", v1::BODY_TYPE_LOCAL_AUTHORITY);
    surrey.add_lot_codes("SEN");
    CHECK(Refused(Join(f, w.system_id, surrey, &changed), grpc::StatusCode::INVALID_ARGUMENT) ==
          "authority.lot_codes[0]: no lot \"SEN\" in the system");
  }
  SECTION("stored and returned, and the eligibility query held to it") {
    spec.mutable_authorities(0)->add_lot_codes("FOS");
    CHECK_OK(Update(f, system, spec, &changed));
    REQUIRE(changed.authorities(0).lot_codes_size() == 1);
    CHECK(changed.authorities(0).lot_codes(0) == "FOS");
    CHECK(GetSystem(f, w.system_id).authorities(0).lot_codes(0) == "FOS");

    const std::string refusal =
        "authority brighton does not take part in lot RES (it calls off FOS)";
    CHECK(Refused(Find(f, ApiRole::ROLE_PLACING_OFFICER, kPartner, w.lot_id),
                  grpc::StatusCode::PERMISSION_DENIED) == refusal);
    CHECK(Refused(Find(f, ApiRole::ROLE_COMMISSIONER, kPartner, w.lot_id),
                  grpc::StatusCode::PERMISSION_DENIED) == refusal);
    CHECK(Refused(Explain(f, ApiRole::ROLE_PLACING_OFFICER, kPartner, w.lot_id, w.establishment_id),
                  grpc::StatusCode::PERMISSION_DENIED) == refusal);
    CHECK_OK(Find(f, ApiRole::ROLE_PLACING_OFFICER, kPartner, fostering.id()));
    // The lead (unlisted) places in every lot; its staff and the services read every lot.
    CHECK_OK(Find(f, ApiRole::ROLE_PLACING_OFFICER, kLead, w.lot_id));
    CHECK_OK(Find(f, ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kLead, w.lot_id));
    CHECK_OK(Find(f, ApiRole::ROLE_SERVICE, "referral", w.lot_id));
    CHECK_OK(Explain(f, ApiRole::ROLE_SERVICE, "referral", w.lot_id, w.establishment_id));

    // A lot a participant names keeps its code.
    v1::UpdateLotRequest rename;
    rename.set_idempotency_key(ServiceFixture::Key());
    rename.set_id(fostering.id());
    rename.set_expected_version(fostering.version());
    *rename.mutable_spec() = create_lot.spec();
    rename.mutable_spec()->set_code("IFA");
    rename.set_reason("renamed");
    v1::Lot renamed;
    CHECK(Refused(f.stub().UpdateLot(Lead().get(), rename, &renamed),
                  grpc::StatusCode::FAILED_PRECONDITION) ==
          "lot: code FOS is named by authority brighton: change its lot_codes first");
  }
}

TEST_CASE("a system set up with participants' lots checks them against its lots when it goes LIVE",
          "[qualification][service][participants]") {
  ServiceFixture f(At(2026, 7, 1));
  const World w = SetUp(f);
  v1::CreatePurchasingSystemRequest create;
  create.set_idempotency_key(ServiceFixture::Key());
  *create.mutable_spec() = SpecOf(GetSystem(f, w.system_id));
  create.mutable_spec()->mutable_authorities(0)->add_lot_codes("FOS");
  v1::PurchasingSystem created;
  // No lots yet: the code rule only.
  CHECK_OK(f.stub().CreatePurchasingSystem(Lead().get(), create, &created));
  CHECK(created.authorities(0).lot_codes(0) == "FOS");
  v1::CreateLotRequest lot;
  lot.set_idempotency_key(ServiceFixture::Key());
  lot.set_system_id(created.id());
  *lot.mutable_spec() = ResidentialLotSpec();  // RES, not FOS
  v1::Lot residential;
  CHECK_OK(f.stub().CreateLot(Lead().get(), lot, &residential));
  v1::CreateCriterionRequest criterion;
  criterion.set_idempotency_key(ServiceFixture::Key());
  criterion.set_system_id(created.id());
  criterion.mutable_spec()->set_code("workforce");
  criterion.mutable_spec()->set_title("Workforce");
  criterion.mutable_spec()->set_kind(v1::CRITERION_KIND_WEIGHTED);
  criterion.mutable_spec()->set_weight(100);
  v1::Criterion made;
  CHECK_OK(f.stub().CreateCriterion(Lead().get(), criterion, &made));
  v1::SetPurchasingSystemStateRequest live;
  live.set_idempotency_key(ServiceFixture::Key());
  live.set_id(created.id());
  live.set_state(v1::PURCHASING_SYSTEM_STATE_LIVE);
  v1::PurchasingSystem after;
  CHECK(Refused(f.stub().SetPurchasingSystemState(Lead().get(), live, &after),
                grpc::StatusCode::INVALID_ARGUMENT) ==
        "authorities[0].lot_codes[0]: no lot \"FOS\" in the system");
}

}  // namespace dps::qualification::testing
