// The block-contract use cases against a register and a repository in memory: what is checked
// before the transaction, what each change stores and announces, who may change and read a
// block, and the ends by the block timer and by the contracts service's word.
#include "services/referral/app/block_contracts.h"

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
#include "services/referral/storage/testing/in_memory_block_contract_repository.h"

namespace dps::referral {
namespace {

using ::dps::platform::testing::RecordedEvent;
using ::dps::platform::testing::RecordedEvents;
using ::dps::referral::testing::CallerAs;
using ::dps::referral::testing::FakeQualificationClient;
using ::dps::referral::testing::OneLotRegister;
using ::dps::referral::testing::Utc;
using Day = absl::CivilDay;

const platform::CallerIdentity kCommissioner =
    CallerAs(dps::common::v1::ROLE_COMMISSIONER, "brighton-and-hove");
const Actor kBy = ActorFrom(kCommissioner);

v1::CreateBlockContractRequest Request() {
  v1::CreateBlockContractRequest request;
  request.set_system_id("system-1");
  request.set_lot_id("lot-homes");
  request.set_establishment_id("establishment-7");
  request.set_places(2);
  request.mutable_weekly_fee_per_place()->set_pence(420000);
  *request.mutable_period()->mutable_start() = platform::ToDate(Day(2027, 4, 1));
  *request.mutable_period()->mutable_end() = platform::ToDate(Day(2028, 3, 31));
  request.set_terms("Voids are paid in full.");
  return request;
}

CallOffRequest CallOffOf(int children, Day start, Day planned_end) {
  CallOffRequest request;
  for (int i = 1; i <= children; ++i) {
    request.spec.children.push_back({absl::StrCat("child-", i), 10 + i, Gender::kFemale});
  }
  request.spec.postcode_district = "BN3";
  request.spec.start_date = start;
  request.spec.planned_end_date = planned_end;
  request.centroid = Centroid{.latitude = 50.83, .longitude = -0.17};
  return request;
}

struct Store {
  InMemoryBlockContractRepository blocks;
  RecordedEvents events;
  BlockContractUseCases use_cases{blocks, events};
};

StoredBlockContract Created(Store& store) {
  absl::StatusOr<CheckedBlock> checked = CheckBlockContract(
      OneLotRegister(dps::common::v1::REGIME_LIGHT_TOUCH), kCommissioner, "req-1", Request());
  REQUIRE(checked.ok());
  absl::StatusOr<StoredBlockContract> made = store.use_cases.Create(*checked, kBy);
  REQUIRE(made.ok());
  return *made;
}

TEST_CASE("a block contract is checked against the register before its transaction opens") {
  const auto checked = [](const FakeQualificationClient& qualification,
                          const v1::CreateBlockContractRequest& request) {
    absl::StatusOr<CheckedBlock> out =
        CheckBlockContract(qualification, kCommissioner, "req-1", request);
    return out.ok() ? std::string("OK") : out.status().ToString();
  };
  CHECK(checked(OneLotRegister(dps::common::v1::REGIME_LIGHT_TOUCH), Request()) == "OK");
  FakeQualificationClient not_member = OneLotRegister(dps::common::v1::REGIME_LIGHT_TOUCH);
  not_member.establishments.clear();  // the fake register: members are the establishments it holds
  CHECK(checked(not_member, Request()) ==
        "FAILED_PRECONDITION: establishment: establishment-7 is not a qualified, unsuspended "
        "member of the lot");
  v1::CreateBlockContractRequest no_places = Request();
  no_places.set_places(0);
  CHECK(absl::StartsWith(checked(OneLotRegister(dps::common::v1::REGIME_LIGHT_TOUCH), no_places),
                         "INVALID_ARGUMENT: places: "));
  v1::CreateBlockContractRequest stranger_lot = Request();
  stranger_lot.set_lot_id("lot-9");
  CHECK(absl::StartsWith(checked(OneLotRegister(dps::common::v1::REGIME_LIGHT_TOUCH), stranger_lot),
                         "INVALID_ARGUMENT: lot_id: "));
}

TEST_CASE("a block contract made is stored for its system's lead authority and announced") {
  Store store;
  const StoredBlockContract made = Created(store);
  CHECK(made.version == 1);
  CHECK(made.lead_authority_id == "west-sussex");
  CHECK(made.block.state == BlockContractState::kActive);
  CHECK(made.block.placing_authority_id == "brighton-and-hove");
  CHECK(made.block.provider_id == "provider-3");
  REQUIRE(store.events.events.size() == 1);
  const RecordedEvent& event = store.events.events[0];
  CHECK(event.type == "referral.block.created");
  CHECK(event.aggregate_id == made.block.id);
  CHECK(event.envelope.block_contract_created().places() == 2);
  CHECK(event.envelope.block_contract_created().weekly_fee_per_place().pence() == 420000);
  CHECK(event.envelope.block_contract_created().period().end().year() == 2028);
}

TEST_CASE("a block is called off into free places by its own authority only") {
  Store store;
  const StoredBlockContract made = Created(store);
  const std::string& id = made.block.id;
  const Actor stranger{
      .user_id = "user-9", .role = "ROLE_PLACING_OFFICER", .organisation_id = "west-sussex"};
  CHECK(
      store.use_cases
          .CallOff(id, CallOffOf(1, Day(2027, 5, 1), Day(2027, 7, 31)), stranger, Utc(2027, 4, 20))
          .status() == absl::NotFoundError(absl::StrCat("block contract ", id, ": not found")));

  absl::StatusOr<BlockCallOff> first = store.use_cases.CallOff(
      id, CallOffOf(2, Day(2027, 5, 1), Day(2027, 7, 31)), kBy, Utc(2027, 4, 20));
  REQUIRE(first.ok());
  CHECK(first->made_by.organisation_id == "brighton-and-hove");
  REQUIRE(first->centroid.has_value());
  CHECK(store.blocks.Load(id, false)->version == 2);
  REQUIRE(store.events.events.size() == 2);
  CHECK(store.events.events[1].type == "referral.block.called_off");
  CHECK(store.events.events[1].envelope.block_call_off_made().children() == 2);
  CHECK(store.events.events[1].envelope.block_call_off_made().postcode_district() == "BN3");

  // Both places are taken until the end of July.
  CHECK(store.use_cases
            .CallOff(id, CallOffOf(1, Day(2027, 6, 1), Day(2027, 6, 30)), kBy, Utc(2027, 4, 20))
            .status()
            .code() == absl::StatusCode::kFailedPrecondition);
  CHECK(store.events.events.size() == 2);

  // Ended early by the authority, one place frees from the next day.
  absl::StatusOr<BlockCallOff> ended =
      store.use_cases.EndCallOff(id, first->id, Day(2027, 5, 31), kBy);
  REQUIRE(ended.ok());
  CHECK(ended->ended_on == Day(2027, 5, 31));
  REQUIRE(store.events.events.size() == 3);
  CHECK(store.events.events[2].type == "referral.block.call_off_ended");
  CHECK(store.events.events[2].envelope.block_call_off_ended().places_freed() == 2);
  CHECK(store.use_cases
            .CallOff(id, CallOffOf(1, Day(2027, 6, 1), Day(2027, 6, 30)), kBy, Utc(2027, 4, 20))
            .ok());
}

TEST_CASE("the contracts service's word ends a call-off once, and never an unknown one") {
  Store store;
  const std::string id = Created(store).block.id;
  absl::StatusOr<BlockCallOff> call_off = store.use_cases.CallOff(
      id, CallOffOf(1, Day(2027, 5, 1), Day(2027, 7, 31)), kBy, Utc(2027, 4, 20));
  REQUIRE(call_off.ok());

  CHECK(
      store.use_cases.EndCallOffForAgreement("block-none", call_off->id, Day(2027, 6, 1)).code() ==
      absl::StatusCode::kInvalidArgument);
  CHECK(store.use_cases.EndCallOffForAgreement(id, "call-off-none", Day(2027, 6, 1)) ==
        absl::InvalidArgumentError(
            absl::StrCat("block contract ", id, " has no call-off call-off-none")));

  // An agreement running past the planned end ends the call-off at its planned end.
  REQUIRE(store.use_cases.EndCallOffForAgreement(id, call_off->id, Day(2027, 9, 30)).ok());
  const auto ended_on = [&] { return store.blocks.Load(id, false)->block.call_offs[0].ended_on; };
  CHECK(ended_on() == Day(2027, 7, 31));
  const size_t announced = store.events.events.size();
  // Said twice, it changes nothing more.
  REQUIRE(store.use_cases.EndCallOffForAgreement(id, call_off->id, Day(2027, 6, 1)).ok());
  CHECK(ended_on() == Day(2027, 7, 31));
  CHECK(store.events.events.size() == announced);

  // A cancelled agreement: the call-off ends the day before it began.
  absl::StatusOr<BlockCallOff> second = store.use_cases.CallOff(
      id, CallOffOf(1, Day(2027, 8, 1), Day(2027, 8, 31)), kBy, Utc(2027, 4, 20));
  REQUIRE(second.ok());
  REQUIRE(store.use_cases.EndCallOffForAgreement(id, second->id, std::nullopt).ok());
  CHECK(store.blocks.Load(id, false)->block.call_offs[1].ended_on == Day(2027, 7, 31));
}

TEST_CASE("a block ends by its commissioner, or by the timer once its period has run out") {
  Store store;
  const std::string id = Created(store).block.id;
  CHECK(store.use_cases.DueToEnd(Day(2028, 3, 31))->empty());
  CHECK(*store.use_cases.EndWithPeriod(id, Utc(2028, 3, 31, 12)) == false);

  // The timer: due from the day after the period, ended with no one's name on it.
  REQUIRE(store.use_cases.DueToEnd(Day(2028, 4, 1))->size() == 1);
  CHECK(*store.use_cases.EndWithPeriod(id, Utc(2028, 4, 1, 0)) == true);
  const StoredBlockContract ended = *store.blocks.Load(id, false);
  CHECK(ended.block.state == BlockContractState::kEnded);
  CHECK(ended.block.ended_on == Day(2028, 3, 31));
  CHECK(ended.block.ended_by.user_id.empty());
  CHECK(store.events.events.back().type == "referral.block.ended");
  CHECK_FALSE(store.events.events.back().envelope.block_contract_ended().ended_early());
  // Twice, or after its commissioner, nothing more.
  CHECK(*store.use_cases.EndWithPeriod(id, Utc(2028, 4, 2)) == false);
  CHECK(store.use_cases.DueToEnd(Day(2028, 4, 2))->empty());

  Store early;
  const std::string other = Created(early).block.id;
  const Actor stranger{
      .user_id = "user-9", .role = "ROLE_COMMISSIONER", .organisation_id = "west-sussex"};
  CHECK(early.use_cases.End(other, Day(2027, 6, 30), "closing", stranger, Utc(2027, 5, 1))
            .status()
            .code() == absl::StatusCode::kNotFound);
  absl::StatusOr<StoredBlockContract> closed = early.use_cases.End(
      other, Day(2027, 6, 30), "provider closing the home", kBy, Utc(2027, 5, 1));
  REQUIRE(closed.ok());
  CHECK(closed->version == 2);
  CHECK(closed->block.ended_by.user_id == "user-1");
  CHECK(early.events.events.back().envelope.block_contract_ended().ended_early());
  // Without a last day, the period's.
  Store full;
  const std::string third = Created(full).block.id;
  absl::StatusOr<StoredBlockContract> at_end =
      full.use_cases.End(third, std::nullopt, "as agreed", kBy, Utc(2027, 5, 1));
  REQUIRE(at_end.ok());
  CHECK(at_end->block.ended_on == Day(2028, 3, 31));
}

TEST_CASE("a block is read by its authority, its provider, its lead authority and services") {
  Store store;
  const std::string id = Created(store).block.id;
  const auto reads = [&](dps::common::v1::Role role, const std::string& organisation) {
    return store.use_cases.Read(id, CallerAs(role, organisation)).ok();
  };
  CHECK(reads(dps::common::v1::ROLE_PLACING_OFFICER, "brighton-and-hove"));
  CHECK_FALSE(reads(dps::common::v1::ROLE_PLACING_OFFICER, "west-sussex"));
  CHECK(reads(dps::common::v1::ROLE_PROVIDER_USER, "provider-3"));
  CHECK_FALSE(reads(dps::common::v1::ROLE_PROVIDER_USER, "provider-4"));
  CHECK(reads(dps::common::v1::ROLE_LEAD_AUTHORITY_ADMIN, "west-sussex"));
  CHECK_FALSE(reads(dps::common::v1::ROLE_AUDITOR, "brighton-and-hove"));
  CHECK(reads(dps::common::v1::ROLE_SERVICE, "contracts"));
  CHECK(store.use_cases
            .Voids(id, {Day(2027, 4, 1), Day(2027, 4, 30)},
                   CallerAs(dps::common::v1::ROLE_AUDITOR, "brighton-and-hove"), Day(2027, 5, 1))
            .status()
            .code() == absl::StatusCode::kNotFound);
  absl::StatusOr<VoidReport> voids = store.use_cases.Voids(id, {Day(2027, 4, 1), Day(2027, 4, 30)},
                                                           kCommissioner, Day(2027, 5, 1));
  REQUIRE(voids.ok());
  CHECK(voids->void_place_days == 60);  // two places, thirty days, none filled

  const auto listed = [&](dps::common::v1::Role role, const std::string& organisation) {
    return store.use_cases.List({}, CallerAs(role, organisation), "", 10)->size();
  };
  CHECK(listed(dps::common::v1::ROLE_COMMISSIONER, "brighton-and-hove") == 1);
  CHECK(listed(dps::common::v1::ROLE_COMMISSIONER, "west-sussex") == 0);
  CHECK(listed(dps::common::v1::ROLE_AUDITOR, "west-sussex") == 1);
}

TEST_CASE("a stored block converts to the API's record and back unchanged") {
  Store store;
  const std::string id = Created(store).block.id;
  REQUIRE(store.use_cases
              .CallOff(id, CallOffOf(1, Day(2027, 5, 1), Day(2027, 7, 31)), kBy, Utc(2027, 4, 20))
              .ok());
  REQUIRE(store.use_cases.End(id, Day(2027, 8, 31), "closing", kBy, Utc(2027, 5, 1)).ok());
  const BlockContract block = store.blocks.Load(id, false)->block;
  absl::StatusOr<BlockContract> back = ToDomain(ToApi(block));
  REQUIRE(back.ok());
  CHECK(ToApi(*back).SerializeAsString() == ToApi(block).SerializeAsString());
}

}  // namespace
}  // namespace dps::referral
