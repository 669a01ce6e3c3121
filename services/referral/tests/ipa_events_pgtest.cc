// The contracts stream read by the referral service: a placement into a block contract ends when
// its agreement ends or is cancelled, and its places are free again (label redis, with the
// referral events test; the events are applied as the consumer applies them, in a transaction of
// the referral schema, from the bytes the contracts service writes).
#include <catch2/catch.hpp>

#include "dps/events/v1/events.pb.h"
#include "platform/proto/proto_time.h"
#include "services/referral/consumers/ipa_events.h"
#include "services/referral/tests/referral_fixture.h"

namespace dps::referral::testing {
namespace {

using qualification::testing::At;
using qualification::testing::QualifiedMember;
using qualification::testing::ServiceFixture;
namespace cv1 = ::dps::contracts::v1;
namespace ev = ::dps::events::v1;

std::unique_ptr<grpc::ClientContext> Commissioner() {
  return As(ApiRole::ROLE_COMMISSIONER, kPartner, "commissioner-1");
}

v1::BlockCallOff CallOff(ReferralFixture& f, const std::string& block_id, int children,
                         absl::CivilDay start, absl::CivilDay planned_end) {
  v1::CallOffBlockContractRequest request;
  request.set_idempotency_key(ServiceFixture::Key());
  request.set_block_contract_id(block_id);
  for (int i = 0; i < children; ++i) {
    v1::ChildProfile& child = *request.add_children();
    child.set_child_key("child-" + std::to_string(i + 1));
    child.set_age_years(12);
    child.set_gender(dps::common::v1::GENDER_FEMALE);
  }
  request.mutable_location()->set_postcode_district("BN3");
  *request.mutable_start_date() = platform::ToDate(start);
  *request.mutable_planned_end_date() = platform::ToDate(planned_end);
  v1::BlockCallOff made;
  REQUIRE(f.stub().CallOffBlockContract(Officer().get(), request, &made).ok());
  return made;
}

cv1::IpaSource SourceOf(const std::string& block_id, const std::string& call_off_id) {
  cv1::IpaSource source;
  source.set_kind(cv1::IPA_SOURCE_KIND_BLOCK_CALL_OFF);
  source.set_block_contract_id(block_id);
  source.set_block_call_off_id(call_off_id);
  return source;
}

platform::StreamEvent Delivered(const ev::EventEnvelope& envelope) {
  static int n = 0;
  return {.stream = "dps.contracts",
          .entry_id = absl::StrCat("1-", ++n),
          .event_id = absl::StrCat("event-", n),
          .type = envelope.type(),
          .request_id = absl::StrCat("req-contracts-", n),
          .payload = envelope.SerializeAsString()};
}

ev::EventEnvelope Ended(const cv1::IpaSource& source, std::optional<absl::CivilDay> last_day) {
  ev::EventEnvelope envelope;
  envelope.set_type("contracts.ipa.ended");
  ev::IpaEnded& ended = *envelope.mutable_ipa_ended();
  ended.set_ipa_id("ipa-1");
  *ended.mutable_source() = source;
  if (last_day) *ended.mutable_ended_on() = platform::ToDate(*last_day);
  return envelope;
}

ev::EventEnvelope Cancelled(const cv1::IpaSource& source) {
  ev::EventEnvelope envelope;
  envelope.set_type("contracts.ipa.cancelled");
  ev::IpaCancelled& cancelled = *envelope.mutable_ipa_cancelled();
  cancelled.set_ipa_id("ipa-2");
  *cancelled.mutable_source() = source;
  cancelled.set_previous_state(cv1::IPA_STATE_ISSUED);
  return envelope;
}

absl::Status Apply(ReferralFixture& f, const ev::EventEnvelope& envelope) {
  return f.pool().InTransaction([&](pqxx::work& tx) {
    return ApplyIpaEvent(tx, Delivered(envelope), f.qualification().clock());
  });
}

v1::BlockContract Read(ReferralFixture& f, const std::string& id) {
  v1::GetBlockContractRequest get;
  get.set_id(id);
  v1::BlockContract block;
  REQUIRE(f.stub().GetBlockContract(Officer().get(), get, &block).ok());
  return block;
}

std::optional<absl::CivilDay> EndedOn(const v1::BlockContract& block, const std::string& id) {
  for (const v1::BlockCallOff& call_off : block.call_offs()) {
    if (call_off.id() == id && call_off.has_ended_on()) {
      return absl::CivilDay(call_off.ended_on().year(), call_off.ended_on().month(),
                            call_off.ended_on().day());
    }
  }
  return std::nullopt;
}

TEST_CASE("a block place is freed when its agreement ends or is cancelled, once") {
  ReferralFixture f(At(2027, 3, 1));
  QualifiedMember(f.qualification(), f.world());
  v1::CreateBlockContractRequest reserve;
  reserve.set_idempotency_key(ServiceFixture::Key());
  reserve.set_system_id(f.world().system_id);
  reserve.set_lot_id(f.world().lot_id);
  reserve.set_establishment_id(f.world().establishment_id);
  reserve.set_places(2);
  reserve.mutable_weekly_fee_per_place()->set_pence(420000);
  *reserve.mutable_period()->mutable_start() = platform::ToDate(absl::CivilDay(2027, 3, 1));
  *reserve.mutable_period()->mutable_end() = platform::ToDate(absl::CivilDay(2027, 5, 31));
  reserve.set_terms("Voids are paid.");
  v1::BlockContract block;
  REQUIRE(f.stub().CreateBlockContract(Commissioner().get(), reserve, &block).ok());
  const v1::BlockCallOff both =
      CallOff(f, block.id(), 2, absl::CivilDay(2027, 3, 1), absl::CivilDay(2027, 4, 30));
  f.qualification().clock().Set(At(2027, 3, 20));
  CHECK(Read(f, block.id()).places_filled() == 2);

  // The agreement ended on the 19th: both places are free from the 20th, and it is announced.
  REQUIRE(Apply(f, Ended(SourceOf(block.id(), both.id()), absl::CivilDay(2027, 3, 19))).ok());
  CHECK(EndedOn(Read(f, block.id()), both.id()) == absl::CivilDay(2027, 3, 19));
  CHECK(Read(f, block.id()).places_filled() == 0);
  REQUIRE(f.EventCount("referral.block.call_off_ended") == 1);
  const ev::EventEnvelope announced = f.LastEvent("referral.block.call_off_ended");
  CHECK(announced.block_call_off_ended().call_off_id() == both.id());
  CHECK(announced.block_call_off_ended().places_freed() == 2);
  CHECK(announced.block_call_off_ended().ended_on().day() == 19);
  CHECK(announced.actor().role() == "ROLE_SERVICE");

  // Delivered again, or after the authority ended it itself: nothing more.
  REQUIRE(Apply(f, Ended(SourceOf(block.id(), both.id()), absl::CivilDay(2027, 3, 25))).ok());
  CHECK(EndedOn(Read(f, block.id()), both.id()) == absl::CivilDay(2027, 3, 19));
  CHECK(f.EventCount("referral.block.call_off_ended") == 1);

  // Cancelled before it was signed: the placement never began, so it ends the day before it
  // would have started, and the place was never filled.
  const v1::BlockCallOff later =
      CallOff(f, block.id(), 1, absl::CivilDay(2027, 3, 25), absl::CivilDay(2027, 4, 30));
  REQUIRE(Apply(f, Cancelled(SourceOf(block.id(), later.id()))).ok());
  CHECK(EndedOn(Read(f, block.id()), later.id()) == absl::CivilDay(2027, 3, 24));
  CHECK(f.EventCount("referral.block.call_off_ended") == 2);

  // An agreement varied past the call-off's planned end still frees the place on that end: the
  // block reserved it no longer.
  const v1::BlockCallOff short_stay =
      CallOff(f, block.id(), 1, absl::CivilDay(2027, 3, 20), absl::CivilDay(2027, 4, 10));
  REQUIRE(Apply(f, Ended(SourceOf(block.id(), short_stay.id()), absl::CivilDay(2027, 5, 1))).ok());
  CHECK(EndedOn(Read(f, block.id()), short_stay.id()) == absl::CivilDay(2027, 4, 10));

  // Agreements of awards and direct awards hold no block place.
  cv1::IpaSource award;
  award.set_kind(cv1::IPA_SOURCE_KIND_AWARD);
  award.set_referral_id("referral-1");
  award.set_bid_id("bid-1");
  REQUIRE(Apply(f, Ended(award, absl::CivilDay(2027, 3, 19))).ok());
  REQUIRE(Apply(f, Cancelled(award)).ok());
  CHECK(f.EventCount("referral.block.call_off_ended") == 3);

  // What can never be applied is refused for the dead letters, naming why, and changes nothing.
  const absl::Status unknown_block =
      Apply(f, Ended(SourceOf("block-nope", both.id()), absl::CivilDay(2027, 3, 19)));
  CHECK(unknown_block.code() == absl::StatusCode::kInvalidArgument);
  const absl::Status unknown_call_off =
      Apply(f, Ended(SourceOf(block.id(), "call-off-nope"), absl::CivilDay(2027, 3, 19)));
  CHECK(unknown_call_off.code() == absl::StatusCode::kInvalidArgument);
  CHECK(unknown_call_off.message() ==
        absl::StrCat("block contract ", block.id(), " has no call-off call-off-nope"));
  const v1::BlockCallOff open =
      CallOff(f, block.id(), 1, absl::CivilDay(2027, 4, 11), absl::CivilDay(2027, 4, 30));
  const absl::Status no_day = Apply(f, Ended(SourceOf(block.id(), open.id()), std::nullopt));
  CHECK(no_day.code() == absl::StatusCode::kInvalidArgument);
  CHECK(no_day.message().find("ended_on: required") != std::string::npos);
  CHECK_FALSE(EndedOn(Read(f, block.id()), open.id()).has_value());
  const absl::Status garbage = f.pool().InTransaction([&](pqxx::work& tx) {
    platform::StreamEvent event = Delivered(Cancelled(award));
    event.payload = "not a protobuf";
    return ApplyIpaEvent(tx, event, f.qualification().clock());
  });
  CHECK(garbage.code() == absl::StatusCode::kInvalidArgument);
  CHECK(f.EventCount("referral.block.call_off_ended") == 3);
}

}  // namespace
}  // namespace dps::referral::testing
