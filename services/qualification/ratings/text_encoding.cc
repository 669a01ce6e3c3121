#include "services/qualification/ratings/text_encoding.h"

#include <array>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/match.h"

namespace dps::qualification::ratings {
namespace {

constexpr absl::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Code points of Windows-1252's 0x80..0x9F; the rest of the byte range equals Latin-1.
constexpr std::array<char32_t, 32> kWindows1252High = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    // Windows-1252 never reaches past the Basic Multilingual Plane.
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace

absl::string_view SourceEncodingName(SourceEncoding encoding) {
  switch (encoding) {
    case SourceEncoding::kUtf8:
      return "UTF-8";
    case SourceEncoding::kUtf8WithBom:
      return "UTF-8 with BOM";
    case SourceEncoding::kWindows1252:
      return "Windows-1252";
  }
  return "unknown";
}

bool IsValidUtf8(absl::string_view bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    const auto b0 = static_cast<uint8_t>(bytes[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    int length = 0;
    char32_t cp = 0;
    if ((b0 & 0xE0) == 0xC0) {
      length = 2;
      cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
      length = 3;
      cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
      length = 4;
      cp = b0 & 0x07;
    } else {
      return false;
    }
    if (i + length > bytes.size()) return false;
    for (int k = 1; k < length; ++k) {
      const auto b = static_cast<uint8_t>(bytes[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    // Overlong forms and surrogates are how invalid text sneaks past a lax check.
    static constexpr char32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinimum[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

std::string Windows1252ToUtf8(absl::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (char c : bytes) {
    const auto b = static_cast<uint8_t>(c);
    if (b < 0x80) {
      out.push_back(c);
    } else if (b < 0xA0) {
      AppendUtf8(kWindows1252High[b - 0x80], &out);
    } else {
      AppendUtf8(b, &out);
    }
  }
  return out;
}

absl::StatusOr<DecodedText> DecodeToUtf8(absl::string_view bytes) {
  if (absl::StartsWith(bytes, "\xFF\xFE") || absl::StartsWith(bytes, "\xFE\xFF") ||
      absl::StartsWith(bytes, absl::string_view("\x00\x00\xFE\xFF", 4))) {
    return absl::InvalidArgumentError(
        "the file is UTF-16 or UTF-32 (a byte-order mark says so): save it as CSV UTF-8 or CSV");
  }
  if (absl::StartsWith(bytes, kUtf8Bom)) {
    absl::string_view rest = bytes.substr(kUtf8Bom.size());
    if (!IsValidUtf8(rest)) {
      return absl::InvalidArgumentError(
          "the file starts with a UTF-8 byte-order mark but is not valid UTF-8");
    }
    return DecodedText{std::string(rest), SourceEncoding::kUtf8WithBom};
  }
  if (IsValidUtf8(bytes)) return DecodedText{std::string(bytes), SourceEncoding::kUtf8};
  return DecodedText{Windows1252ToUtf8(bytes), SourceEncoding::kWindows1252};
}

}  // namespace dps::qualification::ratings
