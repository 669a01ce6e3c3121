#include "services/contracts/document/format.h"

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace dps::contracts::document {

std::string FormatPence(int64_t pence) {
  // Work in unsigned magnitude so the most negative int64 does not overflow on negation.
  const bool negative = pence < 0;
  const uint64_t magnitude =
      negative ? uint64_t{0} - static_cast<uint64_t>(pence) : static_cast<uint64_t>(pence);
  const std::string pounds = absl::StrCat(magnitude / 100);
  std::string grouped;
  for (size_t i = 0; i < pounds.size(); ++i) {
    if (i > 0 && (pounds.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(pounds[i]);
  }
  return absl::StrFormat("%s£%s.%02d", negative ? "-" : "", grouped,
                         static_cast<int>(magnitude % 100));
}

std::string FormatDay(absl::CivilDay day) {
  static constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};
  return absl::StrCat(day.day(), " ", kMonths[day.month() - 1], " ", day.year());
}

std::string FormatBasisPoints(int32_t basis_points) {
  std::string digits = absl::StrFormat("%d.%02d", basis_points / 100, basis_points % 100);
  while (digits.back() == '0') digits.pop_back();
  if (digits.back() == '.') digits.pop_back();
  return absl::StrCat(digits, "%");
}

}  // namespace dps::contracts::document
