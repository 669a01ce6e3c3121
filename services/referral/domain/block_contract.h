// Block contracts (docs/rules.md section 5): a number of places reserved with one establishment at
// an agreed weekly fee per place for a period, paid whether filled or void. A call-off places
// children into free places without competition; voids are the reserved place-weeks nobody
// filled, and what they cost.
//
//   CreateBlockContract --> ACTIVE --EndBlockContract--> ENDED
//   ACTIVE: CallOffBlockContract adds a call-off; EndCallOff (in any state) frees its places
//
// Days are calendar days and every range is inclusive, as the API's DateRange: a block from
// 1 April to 30 June reserves its places on 91 days. A call-off fills one place per child on each
// day from its start date to its last day: the day it ended (`ended_on`, as an IPA "ends on" its
// last day), or its planned end date while it has not ended.
//
// Refusals are FailedPrecondition naming the block contract or call-off; bad input is
// InvalidArgument naming the field as the API spells it ("period.end", "children[0].age_years").
// A function changes the BlockContract passed in only when it succeeds. Nothing reads the clock:
// "today" is a parameter.

#ifndef DPS_SERVICES_REFERRAL_DOMAIN_BLOCK_CONTRACT_H_
#define DPS_SERVICES_REFERRAL_DOMAIN_BLOCK_CONTRACT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/referral/domain/child.h"
#include "services/referral/domain/referral.h"

namespace dps::referral {

// With at most this many places for at most this long at kMaxPence a week, every sum of money
// below stays inside int64; a block outliving a purchasing system (3 + 2 + 2 years at most) would
// be a mistake anyway.
inline constexpr int kMaxBlockPlaces = 1000;
inline constexpr int kMaxBlockYears = 10;

// An inclusive range of days, as the API's DateRange; either end may be absent in a request.
struct DateRange {
  std::optional<absl::CivilDay> start;
  std::optional<absl::CivilDay> end;
};

enum class BlockContractState { kActive, kEnded };

// "ACTIVE", "ENDED" as in the API.
absl::string_view BlockContractStateName(BlockContractState state);

// What the commissioner writes (CreateBlockContractRequest).
struct BlockContractSpec {
  std::string system_id;
  std::string lot_id;
  std::string establishment_id;
  int places = 0;
  int64_t weekly_fee_per_place_pence = 0;
  DateRange period;   // both ends required
  std::string terms;  // refusals, void management, variation of costs once filled
};

// What the placing officer writes (CallOffBlockContractRequest).
struct CallOffSpec {
  std::vector<Child> children;  // one place each
  std::string postcode_district;
  std::optional<absl::CivilDay> start_date;
  std::optional<absl::CivilDay> planned_end_date;
};

struct BlockCallOff {
  std::string id;
  std::vector<Child> children;
  std::string postcode_district;
  absl::CivilDay start_date;
  absl::CivilDay planned_end_date;
  std::optional<absl::CivilDay> ended_on;
  std::optional<Centroid> centroid;  // the district's; set by the caller
  absl::Time made_at;
  Actor made_by;

  int places() const { return static_cast<int>(children.size()); }
  // The last day it fills its places: `ended_on`, or the planned end date until it ends. Before
  // the start date when it ended before it began, so it fills no day.
  absl::CivilDay last_day() const { return ended_on.value_or(planned_end_date); }
};

struct BlockContract {
  std::string id;                    // set by the caller
  std::string placing_authority_id;  // set by the caller
  std::string provider_id;           // set by the caller
  BlockContractSpec spec;
  BlockContractState state = BlockContractState::kActive;
  std::vector<BlockCallOff> call_offs;
  // Set when it ends: the last day places were reserved (the period's last day, or earlier).
  std::optional<absl::CivilDay> ended_on;
  std::string end_reason;
  std::optional<absl::Time> ended_at;
  Actor ended_by;  // empty when the server ended it with its period

  absl::CivilDay first_day() const { return *spec.period.start; }
  // The last day places are reserved: the period's, or the day it ended early.
  absl::CivilDay last_day() const { return ended_on.value_or(*spec.period.end); }
};

// Names the system, lot and establishment; places 1 to kMaxBlockPlaces; a positive weekly fee
// per place; a period with both ends, the first not after the last, at most kMaxBlockYears long;
// terms of at most kMaxTextLength characters.
absl::Status ValidateBlockContract(const BlockContractSpec& spec);

// A new ACTIVE block contract with no call-offs.
absl::StatusOr<BlockContract> CreateBlockContract(BlockContractSpec spec);

// True when an ACTIVE block's period is over by `today`, so the server ends it.
bool BlockPeriodOver(const BlockContract& block, absl::CivilDay today);

// ACTIVE -> ENDED, reserving no place after `last_day` (the period's last day, or earlier to end
// it early), with a reason. Call-offs running past it stay as they are: the children stay placed,
// only no longer in the block.
absl::Status EndBlockContract(BlockContract& block, absl::CivilDay last_day,
                              absl::string_view reason, const Actor& by, absl::Time now);

// The places filled on `day`: one per child of each call-off filling that day.
int PlacesFilledOn(const BlockContract& block, absl::CivilDay day);

// Adds a call-off `call_off_id` (a new id from the caller) to an ACTIVE block: at least one child
// and a postcode district; a start date within the period and a planned end date from the start
// date to the period's end; and, on every day from its start to its planned end, a free place
// for each of its children.
absl::Status CallOffBlockContract(BlockContract& block, absl::string_view call_off_id,
                                  CallOffSpec spec, const Actor& by, absl::Time now);

// Records that call-off `call_off_id` ended on `ended_on` (its last day), freeing its places from
// the next day. Allowed in any state of the block, since the placement's end is a fact the
// contracts service reports. `ended_on` may not be after the planned end date, and before the
// start date means it never began.
absl::Status EndCallOff(BlockContract& block, absl::string_view call_off_id,
                        absl::CivilDay ended_on);

// Reserved, filled and void place-days over a period, counted within the block's own days, and
// the void cost: void place-days x the weekly fee / 7, rounded once to the nearest penny (a
// seventh is never exactly a half). Weeks are place-days / 7, for reading only.
struct VoidReport {
  DateRange period;  // as reported: both ends set
  int64_t reserved_place_days = 0;
  int64_t filled_place_days = 0;
  int64_t void_place_days = 0;
  int64_t void_cost_pence = 0;

  double reserved_place_weeks() const { return static_cast<double>(reserved_place_days) / 7; }
  double filled_place_weeks() const { return static_cast<double>(filled_place_days) / 7; }
  double void_place_weeks() const { return static_cast<double>(void_place_days) / 7; }
};

// The voids over `period`; an absent start is the block's first day, an absent end is `today`
// or the block's last day, whichever is earlier ("to date"). A period running past today counts
// call-offs to their planned end dates, so it is a forecast. A period with no day of the block
// (one not yet begun, "to date") reports zeros.
absl::StatusOr<VoidReport> ReportVoids(const BlockContract& block, const DateRange& period,
                                       absl::CivilDay today);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_DOMAIN_BLOCK_CONTRACT_H_
