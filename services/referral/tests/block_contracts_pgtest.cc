// Block contracts through gRPC: places reserved by a commissioner with a qualified member, called
// off without competition while places are free, and the voids costed.
#include <catch2/catch.hpp>

#include "platform/grpc/proto_time.h"
#include "services/referral/tests/referral_fixture.h"

namespace dps::referral::testing {
namespace {

using qualification::testing::At;
using qualification::testing::OtherProvider;
using qualification::testing::QualifiedMember;
using qualification::testing::ServiceFixture;

std::unique_ptr<grpc::ClientContext> Commissioner(const std::string& organisation = kPartner) {
  return As(ApiRole::ROLE_COMMISSIONER, organisation, "commissioner-1");
}

// Two places at £4,200 a week each from 1 March to 31 May 2027.
v1::CreateBlockContractRequest Reserve(const ReferralFixture& f, const std::string& establishment) {
  v1::CreateBlockContractRequest request;
  request.set_idempotency_key(ServiceFixture::Key());
  request.set_system_id(f.world().system_id);
  request.set_lot_id(f.world().lot_id);
  request.set_establishment_id(establishment);
  request.set_places(2);
  request.mutable_weekly_fee_per_place()->set_pence(420000);
  *request.mutable_period()->mutable_start() = platform::ToDate(absl::CivilDay(2027, 3, 1));
  *request.mutable_period()->mutable_end() = platform::ToDate(absl::CivilDay(2027, 5, 31));
  request.set_terms("Voids are paid; a refusal needs a written reason.");
  return request;
}

v1::CallOffBlockContractRequest CallOff(const std::string& block_id, int children) {
  v1::CallOffBlockContractRequest request;
  request.set_idempotency_key(ServiceFixture::Key());
  request.set_block_contract_id(block_id);
  for (int i = 0; i < children; ++i) {
    v1::ChildProfile& child = *request.add_children();
    child.set_child_key("child-" + std::to_string(i + 1));
    child.set_age_years(12 + i);
    child.set_gender(dps::common::v1::GENDER_MALE);
  }
  request.mutable_location()->set_postcode_district("BN3");
  *request.mutable_start_date() = platform::ToDate(absl::CivilDay(2027, 3, 1));
  *request.mutable_planned_end_date() = platform::ToDate(absl::CivilDay(2027, 4, 30));
  return request;
}

TEST_CASE("a commissioner reserves places with a qualified member, and only then") {
  ReferralFixture f(At(2027, 3, 1));
  QualifiedMember(f.qualification(), f.world());
  v1::BlockContract block;
  const grpc::Status officer =
      f.stub().CreateBlockContract(Officer().get(), Reserve(f, f.world().establishment_id), &block);
  CHECK(officer.error_code() == grpc::StatusCode::PERMISSION_DENIED);

  const std::string stranger = OtherProvider(f.qualification(), "provider-b");
  const grpc::Status not_member =
      f.stub().CreateBlockContract(Commissioner().get(), Reserve(f, stranger), &block);
  CHECK(not_member.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(not_member.error_message() ==
        "establishment: " + stranger + " is not a qualified, unsuspended member of the lot");

  v1::CreateBlockContractRequest backwards = Reserve(f, f.world().establishment_id);
  *backwards.mutable_period()->mutable_end() = platform::ToDate(absl::CivilDay(2027, 2, 1));
  const grpc::Status bad = f.stub().CreateBlockContract(Commissioner().get(), backwards, &block);
  CHECK(bad.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(bad.error_message().rfind("period.end: ", 0) == 0);

  CHECK_OK(f.stub().CreateBlockContract(Commissioner().get(),
                                        Reserve(f, f.world().establishment_id), &block));
  CHECK(block.state() == v1::BLOCK_CONTRACT_STATE_ACTIVE);
  CHECK(block.provider_id() == kProvider);
  CHECK(f.EventCount("referral.block.created") == 1);

  v1::GetBlockContractRequest get;
  get.set_id(block.id());
  v1::BlockContract read;
  CHECK_OK(f.stub().GetBlockContract(ProviderUser().get(), get, &read));
  CHECK(read.places_filled() == 0);
  const grpc::Status other = f.stub().GetBlockContract(Officer(kLead).get(), get, &read);
  CHECK(other.error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK_OK(f.stub().GetBlockContract(As(ApiRole::ROLE_AUDITOR, kLead).get(), get, &read));
}

TEST_CASE("call-offs fill free places only, and the voids are costed to the penny") {
  ReferralFixture f(At(2027, 3, 1));
  QualifiedMember(f.qualification(), f.world());
  v1::BlockContract block;
  CHECK_OK(f.stub().CreateBlockContract(Commissioner().get(),
                                        Reserve(f, f.world().establishment_id), &block));
  v1::BlockCallOff one;
  CHECK_OK(f.stub().CallOffBlockContract(Officer().get(), CallOff(block.id(), 1), &one));
  CHECK(one.location().centroid().latitude() > 50);  // placed at Hove's centroid
  CHECK(f.EventCount("referral.block.called_off") == 1);

  v1::BlockCallOff two;
  const grpc::Status full =
      f.stub().CallOffBlockContract(Officer().get(), CallOff(block.id(), 2), &two);
  CHECK(full.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(full.error_message() ==
        "block contract: 1 of its 2 places is free on 2027-03-01, and the call-off needs 2");
  const grpc::Status stranger =
      f.stub().CallOffBlockContract(Officer(kLead).get(), CallOff(block.id(), 1), &two);
  CHECK(stranger.error_code() == grpc::StatusCode::NOT_FOUND);

  v1::GetBlockContractRequest get;
  get.set_id(block.id());
  v1::BlockContract read;
  CHECK_OK(f.stub().GetBlockContract(Officer().get(), get, &read));
  CHECK(read.places_filled() == 1);
  CHECK(read.call_offs_size() == 1);

  // March: 2 places x 31 days reserved, 31 place-days filled, 31 void at £4,200 a week.
  v1::GetBlockVoidsRequest voids;
  voids.set_block_contract_id(block.id());
  *voids.mutable_period()->mutable_start() = platform::ToDate(absl::CivilDay(2027, 3, 1));
  *voids.mutable_period()->mutable_end() = platform::ToDate(absl::CivilDay(2027, 3, 31));
  v1::BlockVoidReport report;
  CHECK_OK(f.stub().GetBlockVoids(Officer().get(), voids, &report));
  CHECK(report.reserved_place_weeks() == Approx(62.0 / 7));
  CHECK(report.filled_place_weeks() == Approx(31.0 / 7));
  CHECK(report.void_place_weeks() == Approx(31.0 / 7));
  CHECK(report.void_cost().pence() == 1860000);
}

}  // namespace
}  // namespace dps::referral::testing
