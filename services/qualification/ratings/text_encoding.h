// Turning a downloaded text file into UTF-8, whatever its publisher's spreadsheet saved it as.
//
// Offers DecodeToUtf8(): bytes in, UTF-8 out plus the encoding that was found. Ofsted's files have
// come as UTF-8 with a byte-order mark (Excel's "CSV UTF-8"), plain UTF-8, and Windows-1252
// (Excel's older "CSV"), where a curly apostrophe is 0x92 and a pound sign 0xA3. Bytes that are
// valid UTF-8 are taken as UTF-8 (a Windows-1252 file of plain English almost never is); anything
// else is read as Windows-1252, the only other encoding English spreadsheets write by default.
#ifndef DPS_SERVICES_QUALIFICATION_RATINGS_TEXT_ENCODING_H_
#define DPS_SERVICES_QUALIFICATION_RATINGS_TEXT_ENCODING_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace dps::qualification::ratings {

enum class SourceEncoding { kUtf8, kUtf8WithBom, kWindows1252 };

// "UTF-8", "UTF-8 with BOM" or "Windows-1252", for logs and import reports.
absl::string_view SourceEncodingName(SourceEncoding encoding);

struct DecodedText {
  std::string utf8;  // without a byte-order mark
  SourceEncoding encoding = SourceEncoding::kUtf8;
};

// Decodes `bytes`. A UTF-8 byte-order mark is removed; what follows it must be valid UTF-8.
// Errors (InvalidArgument): a UTF-16 or UTF-32 byte-order mark (Excel's "Unicode text", which is
// tab-separated anyway: save the sheet as CSV instead), or a UTF-8 BOM followed by invalid UTF-8.
//
//   DecodeToUtf8("It\x92s \xA3" "5")->utf8 == "It’s £5"  (encoding kWindows1252)
absl::StatusOr<DecodedText> DecodeToUtf8(absl::string_view bytes);

// True if `bytes` is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF).
bool IsValidUtf8(absl::string_view bytes);

// Converts Windows-1252 to UTF-8. The five bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F,
// 0x90, 0x9D) become the C1 controls of the same value, as the WHATWG encoding standard decodes
// them.
std::string Windows1252ToUtf8(absl::string_view bytes);

}  // namespace dps::qualification::ratings

#endif  // DPS_SERVICES_QUALIFICATION_RATINGS_TEXT_ENCODING_H_
