// The two shapes every service's domain errors take, so a caller can read any of them the same way:
//   InvalidField("lots[1].terms.affordability_cap_pence", "must be positive, got -5")
//     -> InvalidArgument "lots[1].terms.affordability_cap_pence: must be positive, got -5"
//   Forbidden("membership", "cannot reinstate an EXCLUDED membership")
//     -> FailedPrecondition "membership: cannot reinstate an EXCLUDED membership"
// Bad input names the field and the rule; a refused transition names the entity first.
// A value the caller gave is quoted with Quote(), which keeps at most kMaxQuotedLength
// characters of it, so a 1 MB value makes a short error and a short log line:
//   InvalidField("spec.code", absl::StrCat("must be letters and digits, got ", Quote(code)))

#ifndef DPS_PLATFORM_ERRORS_ERRORS_H_
#define DPS_PLATFORM_ERRORS_ERRORS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace dps::platform {

inline absl::Status InvalidField(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

inline absl::Status Forbidden(absl::string_view entity, absl::string_view why) {
  return absl::FailedPreconditionError(absl::StrCat(entity, ": ", why));
}

// The most characters of a caller's value an error message or a log line repeats.
inline constexpr size_t kMaxQuotedLength = 64;

// `value` cut to at most `max` characters (UTF-8 code points, never split), with "..." after it
// when something was cut.
inline std::string Truncated(absl::string_view value, size_t max = kMaxQuotedLength) {
  size_t characters = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    // A byte that is not a UTF-8 continuation byte starts a character.
    if ((static_cast<unsigned char>(value[i]) & 0xC0) == 0x80) continue;
    if (characters == max) return absl::StrCat(value.substr(0, i), "...");
    ++characters;
  }
  return std::string(value);
}

// `value` in double quotes for an error message: at most kMaxQuotedLength characters of it (see
// Truncated), with quotes, backslashes and control characters escaped so the message stays one
// readable line.
inline std::string Quote(absl::string_view value) {
  std::string out = "\"";
  for (const char c : Truncated(value)) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (byte < 0x20 || byte == 0x7F) {
      constexpr char kHex[] = "0123456789abcdef";
      out.append({'\\', 'x', kHex[byte >> 4], kHex[byte & 0xF]});
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace dps::platform

#endif  // DPS_PLATFORM_ERRORS_ERRORS_H_
