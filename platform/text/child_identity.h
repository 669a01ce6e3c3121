// What, in free text that a provider or another council will read, looks like something that
// identifies a child (docs/rules.md section 2: a referral carries age, gender and postcode
// district, never a name, date of birth, address, case reference or phone number). One function,
// used by every such field, so every field refuses the same things with the same words:
//   - a full postcode in any spacing or case ("RH12 1AB", "rh121ab", "BN1  1AA", "BN1-1AA");
//   - a date of birth: the words (DOB, D.O.B., "date of birth", "born on", "birthday"), or any
//     full calendar date ("03/04/2013", "2013-04-03", "3 April 2013"), since a birth date cannot
//     be told from other dates; a month and year ("April 2027") or a day and month are fine, and
//     the API has fields of their own for the dates it needs;
//   - a case or record number: a word holding letters and four or more digits ("LAC-204551",
//     "AB123456C"), or six or more digits in a row ("204551");
//   - a phone number: 0 or +44 followed by ten or eleven digits in all, spaces, hyphens and
//     brackets allowed between them ("07700 900123", "+44 (0)1273 123456").
// Names and street addresses cannot be recognised reliably; the API reference tells authors what
// not to write. The error never quotes what was found: it says what kind of thing and where.
#ifndef DPS_PLATFORM_TEXT_CHILD_IDENTITY_H_
#define DPS_PLATFORM_TEXT_CHILD_IDENTITY_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace dps::platform {

struct ChildIdentifier {
  std::string kind;  // "a full postcode", "a date of birth", "a case or record number", ...
  size_t at = 0;     // the byte offset it starts at
};

// The first thing in `text` that looks like it identifies a child, or nullopt.
std::optional<ChildIdentifier> FindChildIdentifier(absl::string_view text);

// InvalidArgument "FIELD: must not identify a child: it holds a date of birth (at character 12);
// ..." when FindChildIdentifier finds something; OK otherwise.
absl::Status RejectChildIdentifiers(absl::string_view field, absl::string_view text);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_TEXT_CHILD_IDENTITY_H_
