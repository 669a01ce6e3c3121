// The England and Wales working-day calendar, and the calendar-month arithmetic the qualification
// rules use ("a year after qualification", "prices hold for 12 months", "3 years + 2 + 2").
//
// A working day is a Monday to Friday that is not an England and Wales bank holiday. Bank holidays
// are computed by rule (New Year's Day, Good Friday, Easter Monday, early May, spring and summer
// Mondays, Christmas and Boxing Day, with substitute days) and corrected by one table of the
// one-off changes proclaimed since 2000. Both live in working_days.cc and nowhere else.
//
// Years outside [kFirstSupportedYear, kLastSupportedYear] are refused with absl::OutOfRange: a
// future proclamation cannot be known, and a deadline silently computed on a guess is worse than
// an error.
//
// Example:
//   absl::StatusOr<absl::CivilDay> deadline = AddWorkingDays(absl::CivilDay(2025, 12, 18), 10);
//   // *deadline == 2026-01-06 (skips 25 and 26 Dec 2025 and 1 Jan 2026)

#ifndef DPS_SERVICES_QUALIFICATION_DOMAIN_WORKING_DAYS_H_
#define DPS_SERVICES_QUALIFICATION_DOMAIN_WORKING_DAYS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace dps::qualification {

inline constexpr int kFirstSupportedYear = 2000;
inline constexpr int kLastSupportedYear = 2099;

// The England and Wales bank holidays of `year`, in date order.
// OutOfRange outside the supported years.
absl::StatusOr<std::vector<absl::CivilDay>> BankHolidays(int year);

// Whether `day` is an England and Wales bank holiday (weekends are not bank holidays).
absl::StatusOr<bool> IsBankHoliday(absl::CivilDay day);

// Whether `day` is Monday to Friday and not a bank holiday.
absl::StatusOr<bool> IsWorkingDay(absl::CivilDay day);

// The date `n` working days after `start`; `start` itself never counts, whether or not it is a
// working day (a Saturday submission plus 1 working day is the Monday, if that is a working day).
// n == 0 gives `start`. InvalidArgument for n < 0; OutOfRange if the walk leaves the supported
// years.
absl::StatusOr<absl::CivilDay> AddWorkingDays(absl::CivilDay start, int n);

// The number of working days in (from, to]: the inverse of AddWorkingDays, so
// WorkingDaysBetween(d, *AddWorkingDays(d, n)) == n. Negative when to < from.
absl::StatusOr<int> WorkingDaysBetween(absl::CivilDay from, absl::CivilDay to);

// `day` plus `months` calendar months, clamped to the end of a shorter month
// (31 Jan + 1 month = 28 or 29 Feb; 29 Feb 2024 + 12 months = 28 Feb 2025). `months` may be
// negative.
absl::CivilDay AddMonths(absl::CivilDay day, int months);

// The UTC calendar day of an instant: every rule here counts days in UTC (docs/rules.md section 9).
absl::CivilDay UtcDay(absl::Time at);

// The instant a UTC calendar day starts.
absl::Time StartOfUtcDay(absl::CivilDay day);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_DOMAIN_WORKING_DAYS_H_
