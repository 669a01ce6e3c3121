#include "services/qualification/domain/working_days.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace dps::qualification {
namespace {

// One-off changes to the rule-based dates, by proclamation. `moved_from` is the rule date that was
// replaced (none for an extra day). Source: gov.uk/bank-holidays and the proclamations it lists.
struct OneOff {
  absl::CivilDay moved_from;  // absl::CivilDay() (1970-01-01) when the day is an extra one.
  absl::CivilDay day;
};

constexpr absl::CivilDay kExtra{};

constexpr OneOff kOneOffs[] = {
    // 2002: Golden Jubilee; the spring holiday moved from 27 May to 4 June.
    {absl::CivilDay(2002, 5, 27), absl::CivilDay(2002, 6, 4)},
    {kExtra, absl::CivilDay(2002, 6, 3)},
    // 2011: royal wedding.
    {kExtra, absl::CivilDay(2011, 4, 29)},
    // 2012: Diamond Jubilee; the spring holiday moved from 28 May to 4 June.
    {absl::CivilDay(2012, 5, 28), absl::CivilDay(2012, 6, 4)},
    {kExtra, absl::CivilDay(2012, 6, 5)},
    // 2020: the early May holiday moved to VE Day's 75th anniversary.
    {absl::CivilDay(2020, 5, 4), absl::CivilDay(2020, 5, 8)},
    // 2022: Platinum Jubilee (spring holiday moved from 30 May to 2 June, extra 3 June) and the
    // state funeral of Queen Elizabeth II.
    {absl::CivilDay(2022, 5, 30), absl::CivilDay(2022, 6, 2)},
    {kExtra, absl::CivilDay(2022, 6, 3)},
    {kExtra, absl::CivilDay(2022, 9, 19)},
    // 2023: coronation of King Charles III.
    {kExtra, absl::CivilDay(2023, 5, 8)},
};

bool IsWeekend(absl::CivilDay day) {
  const absl::Weekday w = absl::GetWeekday(day);
  return w == absl::Weekday::saturday || w == absl::Weekday::sunday;
}

// Easter Sunday by the anonymous Gregorian computus (Meeus/Jones/Butcher).
absl::CivilDay EasterSunday(int year) {
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = ((h + l - 7 * m + 114) % 31) + 1;
  return absl::CivilDay(year, month, day);
}

absl::CivilDay FirstMonday(int year, int month) {
  return absl::NextWeekday(absl::CivilDay(year, month, 1) - 1, absl::Weekday::monday);
}

absl::CivilDay LastMonday(int year, int month) {
  const absl::CivilDay first_of_next = absl::CivilDay(absl::CivilMonth(year, month) + 1);
  return absl::PrevWeekday(first_of_next, absl::Weekday::monday);
}

// A holiday that falls on a weekend is observed on the next weekday not already a holiday.
// Weekday holidays are placed first so that, e.g., Christmas on a Sunday yields Tuesday 27th
// (Boxing Day keeps Monday 26th).
void AddWithSubstitutes(std::vector<absl::CivilDay> days, std::vector<absl::CivilDay>& out) {
  std::vector<absl::CivilDay> placed;
  for (absl::CivilDay d : days) {
    if (!IsWeekend(d)) placed.push_back(d);
  }
  for (absl::CivilDay d : days) {
    if (!IsWeekend(d)) continue;
    absl::CivilDay sub = d;
    while (IsWeekend(sub) || std::find(placed.begin(), placed.end(), sub) != placed.end()) ++sub;
    placed.push_back(sub);
  }
  out.insert(out.end(), placed.begin(), placed.end());
}

std::vector<absl::CivilDay> ComputeYear(int year) {
  std::vector<absl::CivilDay> days;
  AddWithSubstitutes({absl::CivilDay(year, 1, 1)}, days);
  const absl::CivilDay easter = EasterSunday(year);
  days.push_back(easter - 2);  // Good Friday
  days.push_back(easter + 1);  // Easter Monday
  days.push_back(FirstMonday(year, 5));
  days.push_back(LastMonday(year, 5));
  days.push_back(LastMonday(year, 8));
  AddWithSubstitutes({absl::CivilDay(year, 12, 25), absl::CivilDay(year, 12, 26)}, days);
  for (const OneOff& change : kOneOffs) {
    if (change.day.year() != year) continue;
    if (change.moved_from != kExtra) {
      days.erase(std::remove(days.begin(), days.end(), change.moved_from), days.end());
    }
    days.push_back(change.day);
  }
  std::sort(days.begin(), days.end());
  return days;
}

// Computed once: the walk in AddWorkingDays asks about every day it passes.
const std::vector<std::vector<absl::CivilDay>>& Table() {
  static const auto* const kTable = [] {
    auto* table = new std::vector<std::vector<absl::CivilDay>>();
    for (int year = kFirstSupportedYear; year <= kLastSupportedYear; ++year) {
      table->push_back(ComputeYear(year));
    }
    return table;
  }();
  return *kTable;
}

absl::Status CheckYear(absl::civil_year_t year) {
  if (year < kFirstSupportedYear || year > kLastSupportedYear) {
    return absl::OutOfRangeError(absl::StrCat("working days: year ", year,
                                              " is outside the supported calendar ",
                                              kFirstSupportedYear, "-", kLastSupportedYear));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<absl::CivilDay>> BankHolidays(int year) {
  if (absl::Status s = CheckYear(year); !s.ok()) return s;
  return Table()[year - kFirstSupportedYear];
}

absl::StatusOr<bool> IsBankHoliday(absl::CivilDay day) {
  if (absl::Status s = CheckYear(day.year()); !s.ok()) return s;
  const std::vector<absl::CivilDay>& days = Table()[day.year() - kFirstSupportedYear];
  return std::binary_search(days.begin(), days.end(), day);
}

absl::StatusOr<bool> IsWorkingDay(absl::CivilDay day) {
  absl::StatusOr<bool> holiday = IsBankHoliday(day);
  if (!holiday.ok()) return holiday.status();
  return !IsWeekend(day) && !*holiday;
}

absl::StatusOr<absl::CivilDay> AddWorkingDays(absl::CivilDay start, int n) {
  if (n < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("working days: n must not be negative, got ", n));
  }
  if (absl::Status s = CheckYear(start.year()); !s.ok()) return s;
  absl::CivilDay day = start;
  while (n > 0) {
    ++day;
    absl::StatusOr<bool> working = IsWorkingDay(day);
    if (!working.ok()) return working.status();
    if (*working) --n;
  }
  return day;
}

absl::StatusOr<int> WorkingDaysBetween(absl::CivilDay from, absl::CivilDay to) {
  if (to < from) {
    absl::StatusOr<int> reverse = WorkingDaysBetween(to, from);
    if (!reverse.ok()) return reverse.status();
    return -*reverse;
  }
  if (absl::Status s = CheckYear(from.year()); !s.ok()) return s;
  if (absl::Status s = CheckYear(to.year()); !s.ok()) return s;
  int count = 0;
  for (absl::CivilDay day = from + 1; day <= to; ++day) {
    if (*IsWorkingDay(day)) ++count;  // Both ends checked above, so every day is in range.
  }
  return count;
}

absl::CivilDay AddMonths(absl::CivilDay day, int months) {
  const absl::CivilMonth month = absl::CivilMonth(day) + months;
  const absl::CivilDay last_of_month = absl::CivilDay(month + 1) - 1;
  return std::min(absl::CivilDay(month.year(), month.month(), day.day()), last_of_month);
}

absl::CivilDay UtcDay(absl::Time at) { return absl::ToCivilDay(at, absl::UTCTimeZone()); }

absl::Time StartOfUtcDay(absl::CivilDay day) { return absl::FromCivil(day, absl::UTCTimeZone()); }

}  // namespace dps::qualification
