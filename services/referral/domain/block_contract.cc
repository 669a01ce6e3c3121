#include "services/referral/domain/block_contract.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "services/referral/domain/referral.h"
#include "services/referral/domain/shared.h"

namespace dps::referral {
namespace {

using platform::Forbidden;
using platform::InvalidField;

std::string Day(absl::CivilDay day) { return absl::FormatCivilTime(day); }

absl::CivilDay DayOf(absl::Time t) { return absl::ToCivilDay(t, absl::UTCTimeZone()); }

// Days in [first, last], 0 when last is before first.
int64_t DaysIn(absl::CivilDay first, absl::CivilDay last) {
  return last < first ? 0 : (last - first) + 1;
}

// Days a call-off fills within [first, last].
int64_t FilledDaysWithin(const BlockCallOff& call_off, absl::CivilDay first, absl::CivilDay last) {
  return DaysIn(std::max(first, call_off.start_date), std::min(last, call_off.last_day()));
}

// The index of the call-off with `id`, or the number of call-offs when there is none.
size_t IndexOfCallOff(const BlockContract& block, absl::string_view id) {
  size_t i = 0;
  while (i < block.call_offs.size() && block.call_offs[i].id != id) ++i;
  return i;
}

absl::Status ValidatePeriod(const DateRange& period) {
  if (!period.start) return InvalidField("period.start", "required");
  if (!period.end) return InvalidField("period.end", "required");
  if (*period.end < *period.start) {
    return InvalidField("period.end",
                        absl::StrCat("must not be before period.start, ", Day(*period.start)));
  }
  // Counted in calendar years, so a leap day neither shortens nor lengthens the limit.
  const absl::CivilDay limit(period.start->year() + kMaxBlockYears, period.start->month(),
                             period.start->day());
  if (*period.end >= limit) {
    return InvalidField("period.end", absl::StrCat("the period may be at most ", kMaxBlockYears,
                                                   " years, so must end before ", Day(limit)));
  }
  return absl::OkStatus();
}

// The first day of [start, end] on which the block has fewer than `needed` places free, if any.
// What is filled changes only when a call-off starts, so the days to look at are `start` and each
// later start within the span.
std::optional<absl::CivilDay> FirstDayShort(const BlockContract& block, absl::CivilDay start,
                                            absl::CivilDay end, int needed) {
  std::vector<absl::CivilDay> days = {start};
  for (const BlockCallOff& call_off : block.call_offs) {
    if (call_off.start_date > start && call_off.start_date <= end) {
      days.push_back(call_off.start_date);
    }
  }
  std::sort(days.begin(), days.end());
  for (absl::CivilDay day : days) {
    if (PlacesFilledOn(block, day) + needed > block.spec.places) return day;
  }
  return std::nullopt;
}

}  // namespace

absl::string_view BlockContractStateName(BlockContractState state) {
  switch (state) {
    case BlockContractState::kActive:
      return "ACTIVE";
    case BlockContractState::kEnded:
      return "ENDED";
  }
  return "UNKNOWN";
}

absl::Status ValidateBlockContract(const BlockContractSpec& spec) {
  if (spec.system_id.empty()) return InvalidField("system_id", "required");
  if (spec.lot_id.empty()) return InvalidField("lot_id", "required");
  if (spec.establishment_id.empty()) return InvalidField("establishment_id", "required");
  if (spec.places < 1 || spec.places > kMaxBlockPlaces) {
    return InvalidField("places",
                        absl::StrCat("must be 1 to ", kMaxBlockPlaces, ", got ", spec.places));
  }
  if (auto s = ValidatePence("weekly_fee_per_place", spec.weekly_fee_per_place_pence); !s.ok()) {
    return s;
  }
  if (auto s = ValidatePeriod(spec.period); !s.ok()) return s;
  // Terms are between the authority and the provider and may well hold the establishment's own
  // address, so only their length is checked.
  if (spec.terms.size() > static_cast<size_t>(kMaxTextLength)) {
    return InvalidField("terms", absl::StrCat("must be at most ", kMaxTextLength,
                                              " characters, got ", spec.terms.size()));
  }
  return absl::OkStatus();
}

absl::StatusOr<BlockContract> CreateBlockContract(BlockContractSpec spec) {
  if (auto s = ValidateBlockContract(spec); !s.ok()) return s;
  BlockContract block;
  block.spec = std::move(spec);
  block.state = BlockContractState::kActive;
  return block;
}

bool BlockPeriodOver(const BlockContract& block, absl::CivilDay today) {
  return block.state == BlockContractState::kActive && today > *block.spec.period.end;
}

absl::Status EndBlockContract(BlockContract& block, absl::CivilDay last_day,
                              absl::string_view reason, const Actor& by, absl::Time now) {
  if (block.state != BlockContractState::kActive) {
    return Forbidden("block contract", absl::StrCat("cannot end a block contract that is ",
                                                    BlockContractStateName(block.state)));
  }
  if (last_day < block.first_day() || last_day > *block.spec.period.end) {
    return InvalidField("last_day",
                        absl::StrCat("must be within the period, ", Day(block.first_day()), " to ",
                                     Day(*block.spec.period.end), ", got ", Day(last_day)));
  }
  // Places reserved up to today were reserved: ending early cannot undo them.
  if (last_day < *block.spec.period.end && last_day < DayOf(now)) {
    return InvalidField("last_day",
                        absl::StrCat("an early end may not be in the past: places were reserved "
                                     "up to today, ",
                                     Day(DayOf(now)), ", got ", Day(last_day)));
  }
  if (auto s = RequireReason("reason", reason); !s.ok()) return s;
  block.state = BlockContractState::kEnded;
  block.ended_on = last_day;
  block.end_reason = std::string(reason);
  block.ended_at = now;
  block.ended_by = by;
  return absl::OkStatus();
}

int PlacesFilledOn(const BlockContract& block, absl::CivilDay day) {
  int filled = 0;
  for (const BlockCallOff& call_off : block.call_offs) {
    if (call_off.start_date <= day && day <= call_off.last_day()) filled += call_off.places();
  }
  return filled;
}

absl::Status CallOffBlockContract(BlockContract& block, absl::string_view call_off_id,
                                  CallOffSpec spec, const Actor& by, absl::Time now) {
  if (block.state != BlockContractState::kActive) {
    return Forbidden("block contract", absl::StrCat("cannot call off a block contract that is ",
                                                    BlockContractStateName(block.state)));
  }
  if (call_off_id.empty() || IndexOfCallOff(block, call_off_id) < block.call_offs.size()) {
    return absl::InternalError(absl::StrCat("call-off id '", call_off_id, "' is empty or taken"));
  }
  if (spec.children.empty()) return InvalidField("children", "at least one child required");
  if (auto s = ValidateChildren("children", spec.children); !s.ok()) return s;
  if (auto s = ValidatePostcodeDistrict("location.postcode_district", spec.postcode_district);
      !s.ok()) {
    return s;
  }
  const absl::CivilDay first = block.first_day(), last = block.last_day();
  if (!spec.start_date) return InvalidField("start_date", "required");
  if (*spec.start_date < first || *spec.start_date > last) {
    return InvalidField("start_date",
                        absl::StrCat("must be within the block's period, ", Day(first), " to ",
                                     Day(last), ", got ", Day(*spec.start_date)));
  }
  if (!spec.planned_end_date) return InvalidField("planned_end_date", "required");
  if (*spec.planned_end_date < *spec.start_date) {
    return InvalidField("planned_end_date",
                        absl::StrCat("must not be before the start date, ", Day(*spec.start_date)));
  }
  if (*spec.planned_end_date > last) {
    return InvalidField("planned_end_date",
                        absl::StrCat("must be within the block's period, ending ", Day(last),
                                     ", got ", Day(*spec.planned_end_date)));
  }
  const int needed = static_cast<int>(spec.children.size());
  if (auto day = FirstDayShort(block, *spec.start_date, *spec.planned_end_date, needed)) {
    const int free = block.spec.places - PlacesFilledOn(block, *day);
    return Forbidden(
        "block contract",
        absl::StrCat(free, " of its ", block.spec.places, free == 1 ? " places is" : " places are",
                     " free on ", Day(*day), ", and the call-off needs ", needed));
  }
  BlockCallOff call_off;
  call_off.id = std::string(call_off_id);
  call_off.children = std::move(spec.children);
  call_off.postcode_district = std::move(spec.postcode_district);
  call_off.start_date = *spec.start_date;
  call_off.planned_end_date = *spec.planned_end_date;
  call_off.made_at = now;
  call_off.made_by = by;
  block.call_offs.push_back(std::move(call_off));
  return absl::OkStatus();
}

absl::Status EndCallOff(BlockContract& block, absl::string_view call_off_id,
                        absl::CivilDay ended_on) {
  const size_t index = IndexOfCallOff(block, call_off_id);
  if (index == block.call_offs.size()) {
    return InvalidField("call_off_id", absl::StrCat("'", call_off_id,
                                                    "' is not a call-off of this block contract"));
  }
  BlockCallOff& call_off = block.call_offs[index];
  if (call_off.ended_on) {
    return Forbidden("call-off", absl::StrCat("already ended on ", Day(*call_off.ended_on)));
  }
  // A placement kept on past its planned end would take a place the block may have promised to
  // a later call-off; that is a change to the call-off, not its end.
  if (ended_on > call_off.planned_end_date) {
    return InvalidField("ended_on",
                        absl::StrCat("must not be after the planned end date, ",
                                     Day(call_off.planned_end_date), ", got ", Day(ended_on)));
  }
  call_off.ended_on = ended_on;
  return absl::OkStatus();
}

absl::StatusOr<VoidReport> ReportVoids(const BlockContract& block, const DateRange& period,
                                       absl::CivilDay today) {
  if (period.start && period.end && *period.end < *period.start) {
    return InvalidField("period.end",
                        absl::StrCat("must not be before period.start, ", Day(*period.start)));
  }
  VoidReport report;
  report.period.start = period.start.value_or(block.first_day());
  report.period.end = period.end.value_or(std::min(today, block.last_day()));
  // Only the block's own days were reserved.
  const absl::CivilDay first = std::max(*report.period.start, block.first_day());
  const absl::CivilDay last = std::min(*report.period.end, block.last_day());
  report.reserved_place_days = DaysIn(first, last) * block.spec.places;
  for (const BlockCallOff& call_off : block.call_offs) {
    report.filled_place_days += FilledDaysWithin(call_off, first, last) * call_off.places();
  }
  // Call-offs never take more places than the block has, so this is never negative; the floor
  // keeps a report sane should the records ever say otherwise.
  report.void_place_days =
      std::max<int64_t>(0, report.reserved_place_days - report.filled_place_days);
  // One rounding, of the whole: place-days x weekly fee / 7, to the nearest penny.
  report.void_cost_pence = (report.void_place_days * block.spec.weekly_fee_per_place_pence + 3) / 7;
  return report;
}

}  // namespace dps::referral
