// The one rule for vocabulary codes, wherever a code is written or read: a lot's needs, features,
// specialisms, placement types and additional services; an establishment's specialisms and
// placement types; the codes a referral lists and filters by; the eligibility query's filters.
// One rule in one place, so a code the lot and the establishment accept (the SEND acronyms
// "PMLD", "SEMH") is never refused further on, by a query or a referral.
//
// A code is 1 to 32 (the API's limit) of the ASCII letters of either case, digits, '-' and '_':
// "PMLD", "cse-risk", "52-week", "one_to_one". Codes are identifiers, compared exactly as written:
// "PMLD" and "pmld" are two codes, and a referral names a code as its lot's vocabulary spells it.
// No ',' (the eligibility query joins codes with it), no space, nothing outside ASCII.
//
//   CheckCode("spec.needs[0].code", "PMLD")     -> OK
//   CheckCode("spec.needs[0].code", "cse risk")
//     -> "spec.needs[0].code: must be a code of 1 to 32 letters, digits, '-' or '_', got \"cse
//     risk\""
#ifndef DPS_PLATFORM_CODES_CODES_H_
#define DPS_PLATFORM_CODES_CODES_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace dps::platform {

inline constexpr size_t kMaxCodeLength = 32;

// Whether `code` is a code by the rule above.
bool IsCode(absl::string_view code);

// OK, or InvalidArgument naming `field` and the rule, with the code quoted.
absl::Status CheckCode(absl::string_view field, absl::string_view code);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_CODES_CODES_H_
