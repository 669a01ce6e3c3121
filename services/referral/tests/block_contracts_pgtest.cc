// Block contracts through gRPC: places reserved by a commissioner with a qualified member, called
// off without competition while places are free, and the voids costed.
#include <catch2/catch.hpp>

#include "platform/proto/proto_time.h"
#include "services/referral/tests/referral_fixture.h"
#include "services/referral/timers/block_period_timer.h"

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

TEST_CASE("a call-off ends and frees its places, and a block ends early with its reason") {
  ReferralFixture f(At(2027, 3, 1));
  QualifiedMember(f.qualification(), f.world());
  v1::BlockContract block;
  CHECK_OK(f.stub().CreateBlockContract(Commissioner().get(),
                                        Reserve(f, f.world().establishment_id), &block));
  v1::BlockCallOff both;
  CHECK_OK(f.stub().CallOffBlockContract(Officer().get(), CallOff(block.id(), 2), &both));
  f.qualification().clock().Set(At(2027, 3, 20));

  v1::EndBlockCallOffRequest end;
  end.set_idempotency_key(ServiceFixture::Key());
  end.set_block_contract_id(block.id());
  end.set_call_off_id(both.id());
  *end.mutable_ended_on() = platform::ToDate(absl::CivilDay(2027, 5, 1));
  v1::BlockCallOff ended;
  const grpc::Status late = f.stub().EndBlockCallOff(Officer().get(), end, &ended);
  CHECK(late.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(late.error_message() ==
        "ended_on: must not be after the planned end date, 2027-04-30, got 2027-05-01");
  end.set_idempotency_key(ServiceFixture::Key());
  *end.mutable_ended_on() = platform::ToDate(absl::CivilDay(2027, 3, 19));
  const grpc::Status stranger = f.stub().EndBlockCallOff(Officer(kLead).get(), end, &ended);
  CHECK(stranger.error_code() == grpc::StatusCode::NOT_FOUND);
  end.set_idempotency_key(ServiceFixture::Key());
  CHECK_OK(f.stub().EndBlockCallOff(Officer().get(), end, &ended));
  CHECK(ended.ended_on().day() == 19);
  CHECK(f.EventCount("referral.block.call_off_ended") == 1);
  end.set_idempotency_key(ServiceFixture::Key());
  const grpc::Status twice = f.stub().EndBlockCallOff(Officer().get(), end, &ended);
  CHECK(twice.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  end.set_idempotency_key(ServiceFixture::Key());
  end.set_call_off_id("call-off-nope");
  const grpc::Status unknown = f.stub().EndBlockCallOff(Officer().get(), end, &ended);
  CHECK(unknown.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(unknown.error_message().rfind("call_off_id:", 0) == 0);

  // Both places are free again from the 20th: a new call-off for two children fits.
  v1::GetBlockContractRequest get;
  get.set_id(block.id());
  v1::BlockContract read;
  CHECK_OK(f.stub().GetBlockContract(Officer().get(), get, &read));
  CHECK(read.places_filled() == 0);
  v1::CallOffBlockContractRequest again = CallOff(block.id(), 2);
  *again.mutable_start_date() = platform::ToDate(absl::CivilDay(2027, 3, 20));
  v1::BlockCallOff refilled;
  CHECK_OK(f.stub().CallOffBlockContract(Officer().get(), again, &refilled));

  v1::EndBlockContractRequest finish;
  finish.set_idempotency_key(ServiceFixture::Key());
  finish.set_id(block.id());
  *finish.mutable_last_day() = platform::ToDate(absl::CivilDay(2027, 4, 30));
  v1::BlockContract finished;
  const grpc::Status no_reason = f.stub().EndBlockContract(Commissioner().get(), finish, &finished);
  CHECK(no_reason.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(no_reason.error_message().rfind("reason:", 0) == 0);
  finish.set_idempotency_key(ServiceFixture::Key());
  finish.set_reason("Demand moved to fostering; the block is not renewed past April.");
  const grpc::Status officer = f.stub().EndBlockContract(Officer().get(), finish, &finished);
  CHECK(officer.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  finish.set_idempotency_key(ServiceFixture::Key());
  *finish.mutable_last_day() = platform::ToDate(absl::CivilDay(2027, 3, 10));
  const grpc::Status past = f.stub().EndBlockContract(Commissioner().get(), finish, &finished);
  CHECK(past.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(past.error_message().rfind("last_day: an early end may not be in the past", 0) == 0);
  finish.set_idempotency_key(ServiceFixture::Key());
  *finish.mutable_last_day() = platform::ToDate(absl::CivilDay(2027, 4, 30));
  CHECK_OK(f.stub().EndBlockContract(Commissioner().get(), finish, &finished));
  CHECK(finished.state() == v1::BLOCK_CONTRACT_STATE_ENDED);
  CHECK(finished.ended_on().month() == 4);
  CHECK(finished.ended_on().day() == 30);
  CHECK(finished.end_reason() == "Demand moved to fostering; the block is not renewed past April.");
  CHECK(finished.ended_by().user_id() == "commissioner-1");
  CHECK(f.EventCount("referral.block.ended") == 1);
  CHECK_OK(f.stub().GetBlockContract(Officer().get(), get, &read));
  CHECK(read.state() == v1::BLOCK_CONTRACT_STATE_ENDED);
  CHECK(read.end_reason() == finished.end_reason());

  // Ended: no further call-off, and it ends once.
  v1::CallOffBlockContractRequest more = CallOff(block.id(), 1);
  *more.mutable_start_date() = platform::ToDate(absl::CivilDay(2027, 3, 25));
  const grpc::Status closed = f.stub().CallOffBlockContract(Officer().get(), more, &refilled);
  CHECK(closed.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  finish.set_idempotency_key(ServiceFixture::Key());
  const grpc::Status again_ended =
      f.stub().EndBlockContract(Commissioner().get(), finish, &finished);
  CHECK(again_ended.error_code() == grpc::StatusCode::FAILED_PRECONDITION);

  // March's voids: both places filled 1-19 March, then both again from the 20th: none void.
  v1::GetBlockVoidsRequest voids;
  voids.set_block_contract_id(block.id());
  *voids.mutable_period()->mutable_start() = platform::ToDate(absl::CivilDay(2027, 3, 1));
  *voids.mutable_period()->mutable_end() = platform::ToDate(absl::CivilDay(2027, 3, 31));
  v1::BlockVoidReport report;
  CHECK_OK(f.stub().GetBlockVoids(Officer().get(), voids, &report));
  CHECK(report.void_place_weeks() == Approx(0));
}

TEST_CASE("a block contract ends by itself when its period runs out, once") {
  ReferralFixture f(At(2027, 3, 1));
  QualifiedMember(f.qualification(), f.world());
  v1::BlockContract block;
  CHECK_OK(f.stub().CreateBlockContract(Commissioner().get(),
                                        Reserve(f, f.world().establishment_id), &block));
  v1::BlockContract early;
  CHECK_OK(f.stub().CreateBlockContract(Commissioner().get(),
                                        Reserve(f, f.world().establishment_id), &early));
  v1::EndBlockContractRequest finish;
  finish.set_idempotency_key(ServiceFixture::Key());
  finish.set_id(early.id());
  *finish.mutable_last_day() = platform::ToDate(absl::CivilDay(2027, 4, 30));
  finish.set_reason("Demand moved to fostering.");
  CHECK_OK(f.stub().EndBlockContract(Commissioner().get(), finish, &early));
  BlockPeriodTimer timer(f.pool(), f.qualification().clock());

  // The period's last day (31 May) still reserves its places.
  f.qualification().clock().Set(At(2027, 5, 31, 23));
  CHECK(timer.RunOnce() == 0);
  v1::GetBlockContractRequest get;
  get.set_id(block.id());
  v1::BlockContract read;
  CHECK_OK(f.stub().GetBlockContract(Officer().get(), get, &read));
  CHECK(read.state() == v1::BLOCK_CONTRACT_STATE_ACTIVE);

  // The day after, the server ends it on the period's last day: no one ended it early.
  f.qualification().clock().Set(At(2027, 6, 1));
  CHECK(timer.RunOnce() == 1);
  CHECK_OK(f.stub().GetBlockContract(Officer().get(), get, &read));
  CHECK(read.state() == v1::BLOCK_CONTRACT_STATE_ENDED);
  CHECK(read.ended_on().month() == 5);
  CHECK(read.ended_on().day() == 31);
  CHECK_FALSE(read.has_ended_by());
  CHECK(read.end_reason() == "its period ran out");
  REQUIRE(f.EventCount("referral.block.ended") == 2);  // the early end, then this one
  const dps::events::v1::EventEnvelope ended = f.LastEvent("referral.block.ended");
  CHECK(ended.block_contract_ended().block_contract_id() == block.id());
  CHECK_FALSE(ended.block_contract_ended().ended_early());
  CHECK(ended.actor().role() == "ROLE_SERVICE");

  // Nothing ends twice; the block its commissioner ended early keeps its own end.
  CHECK(timer.RunOnce() == 0);
  CHECK(f.EventCount("referral.block.ended") == 2);
  get.set_id(early.id());
  CHECK_OK(f.stub().GetBlockContract(Officer().get(), get, &read));
  CHECK(read.ended_on().month() == 4);
  CHECK(read.has_ended_by());
}

}  // namespace
}  // namespace dps::referral::testing
