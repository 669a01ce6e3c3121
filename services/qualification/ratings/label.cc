#include "services/qualification/ratings/label.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace dps::qualification::ratings {

std::string NormaliseLabel(absl::string_view text) {
  static constexpr absl::string_view kNoBreakSpace = "\xC2\xA0";
  static constexpr absl::string_view kRightSingleQuote = "\xE2\x80\x99";
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  size_t i = 0;
  while (i < text.size()) {
    if (absl::StartsWith(text.substr(i), kNoBreakSpace) || absl::ascii_isspace(text[i])) {
      pending_space = !out.empty();
      i += absl::ascii_isspace(text[i]) ? 1 : kNoBreakSpace.size();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    if (absl::StartsWith(text.substr(i), kRightSingleQuote)) {
      out.push_back('\'');
      i += kRightSingleQuote.size();
      continue;
    }
    out.push_back(absl::ascii_tolower(text[i]));
    ++i;
  }
  return out;
}

}  // namespace dps::qualification::ratings
