#include "services/referral/domain/block_contract.h"

#include <catch2/catch.hpp>

#include "services/referral/domain/shared.h"
#include "services/referral/domain/test_fixtures.h"

namespace dps::referral {
namespace {

using testing::Message;
using testing::Now;
using testing::Utc;

using Day = absl::CivilDay;

// Three places in a children's home for a year from 1 April 2027 (366 days: 2028 is a leap year)
// at £4,200 a week each.
BlockContractSpec ValidSpec() {
  BlockContractSpec spec;
  spec.system_id = "system-1";
  spec.lot_id = "lot-homes";
  spec.establishment_id = "establishment-7";
  spec.places = 3;
  spec.weekly_fee_per_place_pence = 420000;
  spec.period = {Day(2027, 4, 1), Day(2028, 3, 31)};
  spec.terms = "Voids are paid in full; the provider may refuse a call-off only on matching risk.";
  return spec;
}

BlockContract Block(BlockContractSpec spec = ValidSpec()) {
  absl::StatusOr<BlockContract> block = CreateBlockContract(std::move(spec));
  REQUIRE(block.status() == absl::OkStatus());
  return *block;
}

CallOffSpec CallOff(int children, Day start, Day planned_end) {
  CallOffSpec spec;
  for (int i = 1; i <= children; ++i) {
    spec.children.push_back({"child-" + std::to_string(i), 10 + i, Gender::kFemale});
  }
  spec.postcode_district = "RH12";
  spec.start_date = start;
  spec.planned_end_date = planned_end;
  return spec;
}

void Add(BlockContract& block, const std::string& id, int children, Day start, Day planned_end) {
  REQUIRE(CallOffBlockContract(block, id, CallOff(children, start, planned_end), Actor{"officer-1"},
                               Now()) == absl::OkStatus());
}

// The InvalidArgument message of ValidateBlockContract after `change`.
template <typename Change>
std::string Error(Change change) {
  BlockContractSpec spec = ValidSpec();
  change(spec);
  const absl::Status status = ValidateBlockContract(spec);
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  return Message(status);
}

// The InvalidArgument message of a call-off into a fresh block after `change`; the block is left
// as it was.
template <typename Change>
std::string CallOffError(Change change) {
  BlockContract block = Block();
  CallOffSpec spec = CallOff(1, Day(2027, 5, 1), Day(2027, 7, 31));
  change(spec);
  const absl::Status status =
      CallOffBlockContract(block, "call-off-1", spec, Actor{"officer-1"}, Now());
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  CHECK(block.call_offs.empty());
  return Message(status);
}

TEST_CASE("a block contract reserves places at a weekly fee for a period and starts ACTIVE") {
  const BlockContract block = Block();
  CHECK(block.state == BlockContractState::kActive);
  CHECK(BlockContractStateName(block.state) == "ACTIVE");
  CHECK(block.first_day() == Day(2027, 4, 1));
  CHECK(block.last_day() == Day(2028, 3, 31));
  CHECK(block.call_offs.empty());
  CHECK(PlacesFilledOn(block, Day(2027, 4, 1)) == 0);
}

TEST_CASE("a block contract's places, fee, period and terms stay within their rules") {
  CHECK(Error([](BlockContractSpec& s) { s.system_id.clear(); }) == "system_id: required");
  CHECK(Error([](BlockContractSpec& s) { s.lot_id.clear(); }) == "lot_id: required");
  CHECK(Error([](BlockContractSpec& s) { s.establishment_id.clear(); }) ==
        "establishment_id: required");
  CHECK(Error([](BlockContractSpec& s) { s.places = 0; }) == "places: must be 1 to 1000, got 0");
  CHECK(Error([](BlockContractSpec& s) { s.places = 1001; }) ==
        "places: must be 1 to 1000, got 1001");
  CHECK(Error([](BlockContractSpec& s) { s.weekly_fee_per_place_pence = 0; }) ==
        "weekly_fee_per_place: must be positive, got 0");
  CHECK(Error([](BlockContractSpec& s) { s.weekly_fee_per_place_pence = kMaxPence + 1; }) ==
        "weekly_fee_per_place: must be at most 100000000000 pence, got 100000000001");
  CHECK(Error([](BlockContractSpec& s) { s.period.start.reset(); }) == "period.start: required");
  CHECK(Error([](BlockContractSpec& s) { s.period.end.reset(); }) == "period.end: required");
  CHECK(Error([](BlockContractSpec& s) { s.period.end = Day(2027, 3, 31); }) ==
        "period.end: must not be before period.start, 2027-04-01");
  CHECK(Error([](BlockContractSpec& s) { s.period.end = Day(2037, 4, 1); }) ==
        "period.end: the period may be at most 10 years, so must end before 2037-04-01");
  CHECK(Error([](BlockContractSpec& s) { s.terms = std::string(20'001, 'x'); }) ==
        "terms: must be at most 20000 characters, got 20001");

  BlockContractSpec one_day = ValidSpec();
  one_day.period.end = Day(2027, 4, 1);
  CHECK(ValidateBlockContract(one_day) == absl::OkStatus());
  BlockContractSpec ten_years = ValidSpec();
  ten_years.period.end = Day(2037, 3, 31);
  CHECK(ValidateBlockContract(ten_years) == absl::OkStatus());
  // Terms may give the establishment's own address: no child's postcode is at stake.
  BlockContractSpec address = ValidSpec();
  address.terms = "Notices to the home at RH12 1AB.";
  CHECK(ValidateBlockContract(address) == absl::OkStatus());
}

TEST_CASE("a call-off places its children within the block's period, one place each") {
  BlockContract block = Block();
  REQUIRE(CallOffBlockContract(block, "call-off-1", CallOff(2, Day(2027, 5, 1), Day(2027, 7, 31)),
                               Actor{"officer-1"}, Now()) == absl::OkStatus());
  REQUIRE(block.call_offs.size() == 1);
  const BlockCallOff& call_off = block.call_offs[0];
  CHECK(call_off.id == "call-off-1");
  CHECK(call_off.places() == 2);
  CHECK(call_off.made_at == Now());
  CHECK(call_off.made_by.user_id == "officer-1");
  CHECK_FALSE(call_off.ended_on.has_value());
  CHECK(PlacesFilledOn(block, Day(2027, 4, 30)) == 0);
  CHECK(PlacesFilledOn(block, Day(2027, 5, 1)) == 2);
  CHECK(PlacesFilledOn(block, Day(2027, 7, 31)) == 2);
  CHECK(PlacesFilledOn(block, Day(2027, 8, 1)) == 0);

  CHECK(CallOffError([](CallOffSpec& s) { s.children.clear(); }) ==
        "children: at least one child required");
  CHECK(CallOffError([](CallOffSpec& s) { s.children[0].key.clear(); }) ==
        "children[0].child_key: required");
  CHECK(CallOffError([](CallOffSpec& s) { s.postcode_district = "RH12 1AB"; }) ==
        "location.postcode_district: must be the postcode district only (e.g. \"RH12\"), never a "
        "full postcode: a child's full postcode does not leave the placing authority");
  CHECK(CallOffError([](CallOffSpec& s) { s.start_date.reset(); }) == "start_date: required");
  CHECK(CallOffError([](CallOffSpec& s) { s.start_date = Day(2027, 3, 31); }) ==
        "start_date: must be within the block's period, 2027-04-01 to 2028-03-31, got "
        "2027-03-31");
  CHECK(CallOffError([](CallOffSpec& s) { s.planned_end_date.reset(); }) ==
        "planned_end_date: required");
  CHECK(CallOffError([](CallOffSpec& s) { s.planned_end_date = Day(2027, 4, 30); }) ==
        "planned_end_date: must not be before the start date, 2027-05-01");
  CHECK(CallOffError([](CallOffSpec& s) { s.planned_end_date = Day(2028, 4, 1); }) ==
        "planned_end_date: must be within the block's period, ending 2028-03-31, got "
        "2028-04-01");

  // A placement of one day, on the block's last day.
  REQUIRE(CallOffBlockContract(block, "call-off-2", CallOff(1, Day(2028, 3, 31), Day(2028, 3, 31)),
                               Actor{"officer-1"}, Now()) == absl::OkStatus());
  CHECK(PlacesFilledOn(block, Day(2028, 3, 31)) == 1);
}

TEST_CASE("a call-off is refused when its children would not fit on some day of its span") {
  BlockContract block = Block();
  Add(block, "a", 2, Day(2027, 4, 1), Day(2027, 6, 30));
  Add(block, "b", 1, Day(2027, 5, 1), Day(2027, 5, 31));
  // The third place is free until "b" takes it on 1 May, and again in June.
  Add(block, "c", 1, Day(2027, 4, 10), Day(2027, 4, 20));

  // Fits on its first day, but not from 1 May.
  const absl::Status later_day = CallOffBlockContract(
      block, "d", CallOff(1, Day(2027, 4, 25), Day(2027, 5, 10)), Actor{"o"}, Now());
  CHECK(later_day.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(later_day) ==
        "block contract: 0 of its 3 places are free on 2027-05-01, and the call-off needs 1");
  CHECK(block.call_offs.size() == 3);

  // The day after "c" ends its place is free again.
  Add(block, "d", 1, Day(2027, 4, 21), Day(2027, 4, 30));
  CHECK(PlacesFilledOn(block, Day(2027, 4, 21)) == 3);

  CHECK(Message(CallOffBlockContract(block, "e", CallOff(2, Day(2027, 6, 1), Day(2027, 7, 31)),
                                     Actor{"o"}, Now())) ==
        "block contract: 1 of its 3 places is free on 2027-06-01, and the call-off needs 2");
  Add(block, "e", 2, Day(2027, 7, 1), Day(2027, 7, 31));
  Add(block, "f", 1, Day(2027, 6, 1), Day(2027, 7, 31));
  CHECK(PlacesFilledOn(block, Day(2027, 7, 1)) == 3);

  BlockContract empty = Block();
  CHECK(Message(CallOffBlockContract(empty, "g", CallOff(4, Day(2027, 4, 1), Day(2027, 4, 7)),
                                     Actor{"o"}, Now())) ==
        "block contract: 3 of its 3 places are free on 2027-04-01, and the call-off needs 4");
}

TEST_CASE("ending a call-off frees its places from the next day") {
  BlockContract block = Block();
  Add(block, "a", 3, Day(2027, 4, 1), Day(2027, 6, 30));
  CHECK(Message(CallOffBlockContract(block, "b", CallOff(1, Day(2027, 5, 1), Day(2027, 5, 31)),
                                     Actor{"o"}, Now())) ==
        "block contract: 0 of its 3 places are free on 2027-05-01, and the call-off needs 1");

  CHECK(Message(EndCallOff(block, "x", Day(2027, 4, 30))) ==
        "call_off_id: 'x' is not a call-off of this block contract");
  CHECK(Message(EndCallOff(block, "a", Day(2027, 7, 1))) ==
        "ended_on: must not be after the planned end date, 2027-06-30, got 2027-07-01");
  REQUIRE(EndCallOff(block, "a", Day(2027, 4, 30)) == absl::OkStatus());
  CHECK(block.call_offs[0].ended_on == Day(2027, 4, 30));
  CHECK(PlacesFilledOn(block, Day(2027, 4, 30)) == 3);
  CHECK(PlacesFilledOn(block, Day(2027, 5, 1)) == 0);
  const absl::Status again = EndCallOff(block, "a", Day(2027, 4, 29));
  CHECK(again.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(again) == "call-off: already ended on 2027-04-30");

  CHECK(Message(CallOffBlockContract(block, "b", CallOff(1, Day(2027, 4, 30), Day(2027, 5, 31)),
                                     Actor{"o"}, Now())) ==
        "block contract: 0 of its 3 places are free on 2027-04-30, and the call-off needs 1");
  Add(block, "b", 3, Day(2027, 5, 1), Day(2027, 5, 31));

  // A placement that never began: ended the day before its start, it fills no day.
  Add(block, "c", 1, Day(2027, 6, 1), Day(2027, 6, 30));
  REQUIRE(EndCallOff(block, "c", Day(2027, 5, 31)) == absl::OkStatus());
  CHECK(PlacesFilledOn(block, Day(2027, 6, 1)) == 0);
}

TEST_CASE("a block contract ends at its period's end or earlier, then takes no call-offs") {
  BlockContract block = Block();
  Add(block, "a", 1, Day(2027, 4, 1), Day(2027, 9, 30));
  CHECK_FALSE(BlockPeriodOver(block, Day(2028, 3, 31)));
  CHECK(BlockPeriodOver(block, Day(2028, 4, 1)));

  const absl::Time now = Utc(2027, 5, 10);
  CHECK(Message(EndBlockContract(block, Day(2028, 4, 1), "period over", Actor{"commissioner-1"},
                                 now)) ==
        "last_day: must be within the period, 2027-04-01 to 2028-03-31, got 2028-04-01");
  CHECK(Message(EndBlockContract(block, Day(2027, 5, 9), "provider closing",
                                 Actor{"commissioner-1"}, now)) ==
        "last_day: an early end may not be in the past: places were reserved up to today, "
        "2027-05-10, got 2027-05-09");
  CHECK(Message(EndBlockContract(block, Day(2027, 6, 30), "", Actor{"commissioner-1"}, now)) ==
        "reason: required");
  CHECK(block.state == BlockContractState::kActive);

  REQUIRE(EndBlockContract(block, Day(2027, 6, 30), "provider closing the home",
                           Actor{"commissioner-1"}, now) == absl::OkStatus());
  CHECK(block.state == BlockContractState::kEnded);
  CHECK(block.ended_on == Day(2027, 6, 30));
  CHECK(block.last_day() == Day(2027, 6, 30));
  CHECK(block.end_reason == "provider closing the home");
  CHECK(block.ended_at == now);
  CHECK(block.ended_by.user_id == "commissioner-1");
  CHECK_FALSE(BlockPeriodOver(block, Day(2028, 4, 1)));

  const absl::Status call_off = CallOffBlockContract(
      block, "b", CallOff(1, Day(2027, 6, 1), Day(2027, 6, 30)), Actor{"o"}, now);
  CHECK(call_off.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(call_off) == "block contract: cannot call off a block contract that is ENDED");
  CHECK(Message(EndBlockContract(block, Day(2027, 6, 30), "again", Actor{"commissioner-1"}, now)) ==
        "block contract: cannot end a block contract that is ENDED");
  // The child placed through "a" stays; the contracts service later reports the placement's end.
  REQUIRE(EndCallOff(block, "a", Day(2027, 8, 15)) == absl::OkStatus());

  // At the period's end, after the fact: the timer's case.
  BlockContract over = Block();
  REQUIRE(EndBlockContract(over, Day(2028, 3, 31), "period over", Actor{}, Utc(2028, 4, 1, 0)) ==
          absl::OkStatus());
}

TEST_CASE("voids are the reserved place-days nobody filled, costed once from place-days") {
  BlockContract block = Block();
  Add(block, "a", 2, Day(2027, 4, 1), Day(2027, 4, 30));
  Add(block, "b", 1, Day(2027, 4, 15), Day(2027, 6, 30));
  REQUIRE(EndCallOff(block, "b", Day(2027, 5, 14)) == absl::OkStatus());

  // April: 3 x 30 reserved; "a" fills 2 x 30, "b" 16 days; 14 place-days (2 place-weeks) void.
  absl::StatusOr<VoidReport> april =
      ReportVoids(block, {Day(2027, 4, 1), Day(2027, 4, 30)}, Day(2027, 5, 10));
  REQUIRE(april.status() == absl::OkStatus());
  CHECK(april->period.start == Day(2027, 4, 1));
  CHECK(april->period.end == Day(2027, 4, 30));
  CHECK(april->reserved_place_days == 90);
  CHECK(april->filled_place_days == 76);
  CHECK(april->void_place_days == 14);
  CHECK(april->void_place_weeks() == 2.0);
  CHECK(april->reserved_place_weeks() == Approx(90.0 / 7));
  CHECK(april->filled_place_weeks() == Approx(76.0 / 7));
  CHECK(april->void_cost_pence == 840000);

  // To date, today included: 1 April to 10 May.
  absl::StatusOr<VoidReport> to_date = ReportVoids(block, {}, Day(2027, 5, 10));
  REQUIRE(to_date.status() == absl::OkStatus());
  CHECK(to_date->period.start == Day(2027, 4, 1));
  CHECK(to_date->period.end == Day(2027, 5, 10));
  CHECK(to_date->reserved_place_days == 120);
  CHECK(to_date->filled_place_days == 60 + 26);
  CHECK(to_date->void_place_days == 34);
  CHECK(to_date->void_cost_pence == 2040000);

  // Only the block's own days count, whatever period is asked for.
  absl::StatusOr<VoidReport> wider =
      ReportVoids(block, {Day(2027, 1, 1), Day(2027, 4, 30)}, Day(2027, 5, 10));
  REQUIRE(wider.status() == absl::OkStatus());
  CHECK(wider->period.start == Day(2027, 1, 1));
  CHECK(wider->reserved_place_days == 90);
  CHECK(wider->void_cost_pence == 840000);

  // A period reaching past today is a forecast from the planned end dates.
  absl::StatusOr<VoidReport> ahead =
      ReportVoids(block, {Day(2027, 5, 1), Day(2027, 6, 30)}, Day(2027, 5, 10));
  REQUIRE(ahead.status() == absl::OkStatus());
  CHECK(ahead->reserved_place_days == 183);
  CHECK(ahead->filled_place_days == 14);
  CHECK(ahead->void_place_days == 169);

  const absl::StatusOr<VoidReport> reversed =
      ReportVoids(block, {Day(2027, 5, 1), Day(2027, 4, 30)}, Day(2027, 5, 10));
  CHECK(Message(reversed.status()) == "period.end: must not be before period.start, 2027-05-01");

  // Not begun yet: nothing reserved to date.
  absl::StatusOr<VoidReport> early = ReportVoids(block, {}, Day(2027, 3, 1));
  REQUIRE(early.status() == absl::OkStatus());
  CHECK(early->reserved_place_days == 0);
  CHECK(early->void_place_days == 0);
  CHECK(early->void_cost_pence == 0);

  // Ended early: nothing reserved after its last day.
  REQUIRE(EndBlockContract(block, Day(2027, 6, 30), "provider closing the home",
                           Actor{"commissioner-1"}, Utc(2027, 5, 10)) == absl::OkStatus());
  absl::StatusOr<VoidReport> ended = ReportVoids(block, {}, Day(2027, 12, 1));
  REQUIRE(ended.status() == absl::OkStatus());
  CHECK(ended->period.end == Day(2027, 6, 30));
  CHECK(ended->reserved_place_days == 3 * 91);
}

TEST_CASE("a void cost is rounded once, to the nearest penny, and stays exact at the limits") {
  BlockContractSpec spec = ValidSpec();
  spec.places = 1;
  spec.weekly_fee_per_place_pence = 100003;  // £1,000.03: a day is 14,286.14p
  spec.period = {Day(2027, 4, 1), Day(2027, 4, 30)};
  const BlockContract block = Block(spec);
  auto cost = [&](Day first, Day last) {
    absl::StatusOr<VoidReport> report = ReportVoids(block, {first, last}, Day(2027, 5, 1));
    REQUIRE(report.status() == absl::OkStatus());
    return report->void_cost_pence;
  };
  CHECK(cost(Day(2027, 4, 1), Day(2027, 4, 1)) == 14286);    // 14,286.14
  CHECK(cost(Day(2027, 4, 1), Day(2027, 4, 4)) == 57145);    // 57,144.57
  CHECK(cost(Day(2027, 4, 1), Day(2027, 4, 30)) == 428584);  // 428,584.29, not 30 x 14,286

  // A thousand places for ten years at the largest fee, all void.
  spec.places = kMaxBlockPlaces;
  spec.weekly_fee_per_place_pence = kMaxPence;
  spec.period = {Day(2027, 4, 1), Day(2037, 3, 31)};
  absl::StatusOr<VoidReport> largest = ReportVoids(Block(spec), {}, Day(2040, 1, 1));
  REQUIRE(largest.status() == absl::OkStatus());
  CHECK(largest->reserved_place_days == 3'653'000);
  CHECK(largest->void_cost_pence == 52'185'714'285'714'286);
}

}  // namespace
}  // namespace dps::referral
