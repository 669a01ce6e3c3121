#include "services/qualification/ratings/text_encoding.h"

#include <catch2/catch.hpp>

#include "services/qualification/ratings/label.h"

namespace dps::qualification::ratings {
namespace {

TEST_CASE("DecodeToUtf8 passes plain UTF-8 through", "[encoding]") {
  auto decoded = DecodeToUtf8(
      "Children\xE2\x80\x99s home \xC2\xA3"
      "5");
  REQUIRE(decoded.ok());
  CHECK(decoded->encoding == SourceEncoding::kUtf8);
  CHECK(decoded->utf8 ==
        "Children\xE2\x80\x99s home \xC2\xA3"
        "5");
}

TEST_CASE("DecodeToUtf8 removes a UTF-8 byte-order mark", "[encoding]") {
  auto decoded = DecodeToUtf8("\xEF\xBB\xBFURN,Name");
  REQUIRE(decoded.ok());
  CHECK(decoded->encoding == SourceEncoding::kUtf8WithBom);
  CHECK(decoded->utf8 == "URN,Name");
}

TEST_CASE("DecodeToUtf8 reads other bytes as Windows-1252", "[encoding]") {
  // 0x92 is the curly apostrophe, 0xA3 the pound sign, 0x96 the en dash, 0xE9 e-acute.
  auto decoded = DecodeToUtf8(
      "Children\x92s \xA3"
      "5 \x96 caf\xE9");
  REQUIRE(decoded.ok());
  CHECK(decoded->encoding == SourceEncoding::kWindows1252);
  CHECK(decoded->utf8 ==
        "Children\xE2\x80\x99s \xC2\xA3"
        "5 \xE2\x80\x93 caf\xC3\xA9");
}

TEST_CASE("DecodeToUtf8 rejects UTF-16 and a BOM before invalid UTF-8", "[encoding]") {
  CHECK_FALSE(DecodeToUtf8("\xFF\xFEU\0R\0").ok());
  CHECK_FALSE(DecodeToUtf8("\xEF\xBB\xBF\x92").ok());
}

TEST_CASE("IsValidUtf8 rejects overlong forms, surrogates and truncation", "[encoding]") {
  CHECK(IsValidUtf8("plain \xF0\x9F\x98\x80"));
  CHECK_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  CHECK_FALSE(IsValidUtf8("\xE2\x80"));          // cut short
  CHECK_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
}

TEST_CASE("NormaliseLabel collapses whitespace, case and curly apostrophes", "[label]") {
  CHECK(NormaliseLabel("\nLatest Full  inspection\r\ndate ") == "latest full inspection date");
  CHECK(NormaliseLabel("Children\xE2\x80\x99s\xC2\xA0Home") == "children's home");
  CHECK(NormaliseLabel("   ").empty());
}

}  // namespace
}  // namespace dps::qualification::ratings
