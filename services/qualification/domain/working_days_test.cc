#include "services/qualification/domain/working_days.h"

#include <catch2/catch.hpp>
#include <vector>

namespace dps::qualification {
namespace {

using D = absl::CivilDay;

std::vector<D> Holidays(int year) {
  absl::StatusOr<std::vector<D>> days = BankHolidays(year);
  REQUIRE(days.ok());
  return *days;
}

TEST_CASE("bank holidays match the published gov.uk lists", "[working_days]") {
  CHECK(Holidays(2024) == std::vector<D>{D(2024, 1, 1), D(2024, 3, 29), D(2024, 4, 1),
                                         D(2024, 5, 6), D(2024, 5, 27), D(2024, 8, 26),
                                         D(2024, 12, 25), D(2024, 12, 26)});
  CHECK(Holidays(2025) == std::vector<D>{D(2025, 1, 1), D(2025, 4, 18), D(2025, 4, 21),
                                         D(2025, 5, 5), D(2025, 5, 26), D(2025, 8, 25),
                                         D(2025, 12, 25), D(2025, 12, 26)});
  // Boxing Day 2026 is a Saturday: substitute Monday 28 December.
  CHECK(Holidays(2026) == std::vector<D>{D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 4),
                                         D(2026, 5, 25), D(2026, 8, 31), D(2026, 12, 25),
                                         D(2026, 12, 28)});
}

TEST_CASE("one-off changes replace or add days", "[working_days]") {
  SECTION("2022: spring moved to 2 June, jubilee 3 June, state funeral 19 September") {
    CHECK(Holidays(2022) == std::vector<D>{D(2022, 1, 3), D(2022, 4, 15), D(2022, 4, 18),
                                           D(2022, 5, 2), D(2022, 6, 2), D(2022, 6, 3),
                                           D(2022, 8, 29), D(2022, 9, 19), D(2022, 12, 26),
                                           D(2022, 12, 27)});
    CHECK(*IsWorkingDay(D(2022, 5, 30)));  // The rule's spring Monday was worked.
  }
  SECTION("2023: coronation on 8 May beside the early May holiday") {
    CHECK(Holidays(2023) == std::vector<D>{D(2023, 1, 2), D(2023, 4, 7), D(2023, 4, 10),
                                           D(2023, 5, 1), D(2023, 5, 8), D(2023, 5, 29),
                                           D(2023, 8, 28), D(2023, 12, 25), D(2023, 12, 26)});
  }
  SECTION("2020: early May moved to Friday 8 May") {
    CHECK(Holidays(2020) == std::vector<D>{D(2020, 1, 1), D(2020, 4, 10), D(2020, 4, 13),
                                           D(2020, 5, 8), D(2020, 5, 25), D(2020, 8, 31),
                                           D(2020, 12, 25), D(2020, 12, 28)});
    CHECK(*IsWorkingDay(D(2020, 5, 4)));
  }
  SECTION("2012: spring moved to 4 June, diamond jubilee 5 June") {
    CHECK(Holidays(2012) == std::vector<D>{D(2012, 1, 2), D(2012, 4, 6), D(2012, 4, 9),
                                           D(2012, 5, 7), D(2012, 6, 4), D(2012, 6, 5),
                                           D(2012, 8, 27), D(2012, 12, 25), D(2012, 12, 26)});
  }
  SECTION("2011: royal wedding 29 April") {
    CHECK(Holidays(2011) == std::vector<D>{D(2011, 1, 3), D(2011, 4, 22), D(2011, 4, 25),
                                           D(2011, 4, 29), D(2011, 5, 2), D(2011, 5, 30),
                                           D(2011, 8, 29), D(2011, 12, 26), D(2011, 12, 27)});
  }
  SECTION("2002: golden jubilee 3 and 4 June instead of 27 May") {
    CHECK(Holidays(2002) == std::vector<D>{D(2002, 1, 1), D(2002, 3, 29), D(2002, 4, 1),
                                           D(2002, 5, 6), D(2002, 6, 3), D(2002, 6, 4),
                                           D(2002, 8, 26), D(2002, 12, 25), D(2002, 12, 26)});
  }
}

TEST_CASE("substitute days for New Year, Christmas and Boxing Day", "[working_days]") {
  // Christmas Saturday, Boxing Day Sunday: Monday 27 and Tuesday 28.
  CHECK(Holidays(2021).back() == D(2021, 12, 28));
  CHECK(*IsBankHoliday(D(2021, 12, 27)));
  CHECK_FALSE(*IsBankHoliday(D(2021, 12, 25)));  // A weekend day is not itself the holiday.
  // Christmas Sunday: Boxing Day keeps Monday 26, Christmas moves to Tuesday 27.
  CHECK(*IsBankHoliday(D(2022, 12, 26)));
  CHECK(*IsBankHoliday(D(2022, 12, 27)));
  // New Year's Day on Saturday (2022) and Sunday (2023).
  CHECK(Holidays(2022).front() == D(2022, 1, 3));
  CHECK(Holidays(2023).front() == D(2023, 1, 2));
  CHECK(Holidays(2027).front() == D(2027, 1, 1));  // Friday: no substitute needed.
}

TEST_CASE("Easter from the computus", "[working_days]") {
  // Good Friday is the holiday two days before Easter Sunday.
  const std::pair<int, D> easter[] = {{2000, D(2000, 4, 23)}, {2008, D(2008, 3, 23)},
                                      {2019, D(2019, 4, 21)}, {2038, D(2038, 4, 25)},
                                      {2049, D(2049, 4, 18)}, {2099, D(2099, 4, 12)}};
  for (const auto& [year, sunday] : easter) {
    INFO(year);
    CHECK(*IsBankHoliday(sunday - 2));
    CHECK(*IsBankHoliday(sunday + 1));
  }
}

TEST_CASE("every supported year has its holidays on weekdays, in order", "[working_days]") {
  for (int year = kFirstSupportedYear; year <= kLastSupportedYear; ++year) {
    INFO(year);
    const std::vector<D> days = Holidays(year);
    size_t expected = 8;
    if (year == 2002 || year == 2011 || year == 2012 || year == 2023) expected = 9;
    if (year == 2022) expected = 10;
    CHECK(days.size() == expected);
    for (size_t i = 0; i < days.size(); ++i) {
      CHECK(days[i].year() == year);
      CHECK(absl::GetWeekday(days[i]) != absl::Weekday::saturday);
      CHECK(absl::GetWeekday(days[i]) != absl::Weekday::sunday);
      if (i > 0) CHECK(days[i - 1] < days[i]);
    }
  }
}

TEST_CASE("IsWorkingDay", "[working_days]") {
  CHECK(*IsWorkingDay(D(2025, 12, 24)));        // Wednesday
  CHECK_FALSE(*IsWorkingDay(D(2025, 12, 25)));  // Christmas
  CHECK_FALSE(*IsWorkingDay(D(2025, 12, 27)));  // Saturday
  CHECK_FALSE(*IsWorkingDay(D(2025, 12, 28)));  // Sunday
  CHECK(*IsWorkingDay(D(2025, 12, 29)));
}

TEST_CASE("AddWorkingDays skips weekends and bank holidays", "[working_days]") {
  // Thursday 18 Dec 2025: 19, 22, 23, 24, (25, 26 holidays), 29, 30, 31, (1 Jan), 2, 5, 6.
  CHECK(*AddWorkingDays(D(2025, 12, 18), 10) == D(2026, 1, 6));
  // The extension to 15: 7, 8, 9, 12, 13 January.
  CHECK(*AddWorkingDays(D(2025, 12, 18), 15) == D(2026, 1, 13));
  CHECK(*AddWorkingDays(D(2025, 12, 18), 0) == D(2025, 12, 18));
  CHECK(*AddWorkingDays(D(2025, 12, 19), 1) == D(2025, 12, 22));  // Friday -> Monday
  CHECK(*AddWorkingDays(D(2025, 12, 20), 1) == D(2025, 12, 22));  // Saturday start excluded
  CHECK(*AddWorkingDays(D(2025, 4, 17), 1) == D(2025, 4, 22));    // over Easter
  CHECK(*AddWorkingDays(D(2022, 6, 1), 1) == D(2022, 6, 6));      // over the jubilee
}

TEST_CASE("WorkingDaysBetween is the inverse of AddWorkingDays", "[working_days]") {
  for (int n : {0, 1, 5, 10, 15, 40, 300}) {
    INFO(n);
    const D end = *AddWorkingDays(D(2025, 12, 18), n);
    CHECK(*WorkingDaysBetween(D(2025, 12, 18), end) == n);
    CHECK(*WorkingDaysBetween(end, D(2025, 12, 18)) == -n);
  }
  CHECK(*WorkingDaysBetween(D(2025, 12, 24), D(2025, 12, 29)) == 1);  // only Monday 29
}

TEST_CASE("the calendar refuses what it cannot know", "[working_days]") {
  CHECK(BankHolidays(1999).status().code() == absl::StatusCode::kOutOfRange);
  CHECK(BankHolidays(2100).status().code() == absl::StatusCode::kOutOfRange);
  CHECK(IsWorkingDay(D(1999, 12, 31)).status().code() == absl::StatusCode::kOutOfRange);
  CHECK(AddWorkingDays(D(2099, 12, 30), 2).status().code() == absl::StatusCode::kOutOfRange);
  CHECK(AddWorkingDays(D(2100, 1, 1), 0).status().code() == absl::StatusCode::kOutOfRange);
  CHECK(WorkingDaysBetween(D(2099, 1, 1), D(2100, 1, 1)).status().code() ==
        absl::StatusCode::kOutOfRange);
  const absl::Status negative = AddWorkingDays(D(2025, 1, 1), -1).status();
  CHECK(negative.code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(negative.message()) == "working days: n must not be negative, got -1");
}

TEST_CASE("AddMonths clamps to the end of a shorter month", "[working_days]") {
  CHECK(AddMonths(D(2025, 1, 31), 1) == D(2025, 2, 28));
  CHECK(AddMonths(D(2024, 1, 31), 1) == D(2024, 2, 29));
  CHECK(AddMonths(D(2024, 2, 29), 12) == D(2025, 2, 28));
  CHECK(AddMonths(D(2024, 4, 1), 36) == D(2027, 4, 1));
  CHECK(AddMonths(D(2025, 3, 31), -1) == D(2025, 2, 28));
  CHECK(AddMonths(D(2025, 6, 15), 6) == D(2025, 12, 15));
}

TEST_CASE("UTC days", "[working_days]") {
  const absl::Time late =
      absl::FromCivil(absl::CivilSecond(2025, 12, 18, 23, 59, 59), absl::UTCTimeZone());
  CHECK(UtcDay(late) == D(2025, 12, 18));
  CHECK(UtcDay(late + absl::Seconds(1)) == D(2025, 12, 19));
  CHECK(StartOfUtcDay(D(2025, 12, 19)) == late + absl::Seconds(1));
}

}  // namespace
}  // namespace dps::qualification
