#include "services/contracts/domain/fields.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "platform/errors/errors.h"

namespace dps::contracts {

using platform::InvalidField;
using platform::Quote;

size_t Characters(absl::string_view text) {
  size_t count = 0;
  // Every byte but UTF-8 continuation bytes (10xxxxxx) starts a character.
  for (const char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

std::string FormatDay(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

absl::Status ValidateLength(absl::string_view field, absl::string_view text, size_t max) {
  // Bytes bound characters from above, so most text is checked without counting.
  if (text.size() <= max) return absl::OkStatus();
  const size_t characters = Characters(text);
  if (characters > max) {
    return InvalidField(field,
                        absl::StrCat("must be at most ", max, " characters, got ", characters));
  }
  return absl::OkStatus();
}

absl::Status RequireText(absl::string_view field, absl::string_view text, size_t max) {
  if (text.find_first_not_of(" \t\r\n") == absl::string_view::npos) {
    return InvalidField(field, "required");
  }
  return ValidateLength(field, text, max);
}

absl::Status ValidateId(absl::string_view field, absl::string_view id) {
  if (id.empty()) return InvalidField(field, "required");
  if (auto s = ValidateLength(field, id, kMaxIdLength); !s.ok()) return s;
  for (const char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return InvalidField(
          field, absl::StrCat("must be letters, digits, '-', '_' or '.', got ", Quote(id)));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidatePence(absl::string_view field, int64_t pence) {
  if (pence <= 0) return InvalidField(field, absl::StrCat("must be positive, got ", pence));
  if (pence > kMaxPence) {
    return InvalidField(field, absl::StrCat("must be at most ", kMaxPence, " pence, got ", pence));
  }
  return absl::OkStatus();
}

absl::Status ValidateSha256Hex(absl::string_view field, absl::string_view hex) {
  bool lowercase_hex = hex.size() == 64;
  for (const char c : hex) {
    lowercase_hex = lowercase_hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  }
  if (!lowercase_hex) {
    return InvalidField(field, absl::StrCat("must be a SHA-256 digest as 64 lowercase hex digits, "
                                            "got ",
                                            Quote(hex)));
  }
  return absl::OkStatus();
}

absl::Status ValidateListSize(absl::string_view field, size_t size) {
  if (size > kMaxListItems) {
    return InvalidField(field, absl::StrCat("at most ", kMaxListItems, " entries, got ", size));
  }
  return absl::OkStatus();
}

}  // namespace dps::contracts
