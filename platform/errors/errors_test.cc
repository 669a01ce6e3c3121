#include "platform/errors/errors.h"

#include <catch2/catch.hpp>
#include <string>

namespace dps::platform {
namespace {

TEST_CASE("Quote keeps a short value whole and escapes what would break the line") {
  CHECK(Quote("RH12") == "\"RH12\"");
  CHECK(Quote("say \"hi\"\\") == "\"say \\\"hi\\\"\\\\\"");
  CHECK(Quote(std::string("a\nb\0c", 5)) == "\"a\\x0ab\\x00c\"");
}

TEST_CASE("Quote keeps at most 64 characters of a long value") {
  const std::string megabyte(1 << 20, 'x');
  CHECK(Quote(megabyte) == "\"" + std::string(64, 'x') + "...\"");
  CHECK(Quote(std::string(64, 'y')) == "\"" + std::string(64, 'y') + "\"");
}

TEST_CASE("Truncated counts characters and never splits one") {
  std::string pounds;
  for (int i = 0; i < 70; ++i) pounds += "\xc2\xa3";  // U+00A3, two bytes each
  const std::string cut = Truncated(pounds);
  CHECK(cut.size() == 64 * 2 + 3);
  CHECK(cut.substr(0, 128) == pounds.substr(0, 128));
  CHECK(Truncated("abcdef", 3) == "abc...");
}

}  // namespace
}  // namespace dps::platform
