#include "services/contracts/document/format.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>

namespace dps::contracts::document {
namespace {

TEST_CASE("FormatPence writes pounds with thousands separators and two decimals") {
  CHECK(FormatPence(0) == "£0.00");
  CHECK(FormatPence(5) == "£0.05");
  CHECK(FormatPence(99'999) == "£999.99");
  CHECK(FormatPence(123'456) == "£1,234.56");
  CHECK(FormatPence(100'000'000'000) == "£1,000,000,000.00");
  CHECK(FormatPence(-6'173) == "-£61.73");
  CHECK(FormatPence(std::numeric_limits<int64_t>::min()) == "-£92,233,720,368,547,758.08");
}

TEST_CASE("FormatDay writes the day, the month in full and the year") {
  CHECK(FormatDay(absl::CivilDay(2027, 4, 1)) == "1 April 2027");
  CHECK(FormatDay(absl::CivilDay(2028, 12, 31)) == "31 December 2028");
}

TEST_CASE("FormatBasisPoints drops trailing zeros") {
  CHECK(FormatBasisPoints(0) == "0%");
  CHECK(FormatBasisPoints(500) == "5%");
  CHECK(FormatBasisPoints(250) == "2.5%");
  CHECK(FormatBasisPoints(125) == "1.25%");
  CHECK(FormatBasisPoints(10'000) == "100%");
}

}  // namespace
}  // namespace dps::contracts::document
