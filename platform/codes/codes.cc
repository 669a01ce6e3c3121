#include "platform/codes/codes.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"

namespace dps::platform {

bool IsCode(absl::string_view code) {
  if (code.empty() || code.size() > kMaxCodeLength) return false;
  return std::all_of(code.begin(), code.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

absl::Status CheckCode(absl::string_view field, absl::string_view code) {
  if (IsCode(code)) return absl::OkStatus();
  return InvalidField(field, absl::StrCat("must be a code of 1 to ", kMaxCodeLength,
                                          " letters, digits, '-' or '_', got ", Quote(code)));
}

}  // namespace dps::platform
