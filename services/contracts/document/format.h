// How the agreement writes money, days and percentages, the same in the HTML and the PDF:
//   FormatPence(123'456) == "£1,234.56"    FormatPence(-5'000) == "-£50.00"
//   FormatDay(absl::CivilDay(2027, 4, 1)) == "1 April 2027"
//   FormatBasisPoints(250) == "2.5%"
// English month names and a fixed pattern, never the process's locale, so the output depends on
// the value alone.
#ifndef DPS_SERVICES_CONTRACTS_DOCUMENT_FORMAT_H_
#define DPS_SERVICES_CONTRACTS_DOCUMENT_FORMAT_H_

#include <cstdint>
#include <string>

#include "absl/time/civil_time.h"

namespace dps::contracts::document {

// Pounds with thousands separators and two decimals; a minus before the pound sign if negative.
std::string FormatPence(int64_t pence);

// "1 April 2027": day without a leading zero, month in full, four-digit year.
std::string FormatDay(absl::CivilDay day);

// Basis points as a percentage with no trailing zeros: 500 -> "5%", 125 -> "1.25%".
std::string FormatBasisPoints(int32_t basis_points);

}  // namespace dps::contracts::document

#endif  // DPS_SERVICES_CONTRACTS_DOCUMENT_FORMAT_H_
