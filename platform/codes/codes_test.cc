#include "platform/codes/codes.h"

#include <catch2/catch.hpp>
#include <string>

namespace dps::platform {
namespace {

std::string ErrorOf(absl::string_view code) {
  const absl::Status status = CheckCode("spec.needs[0].code", code);
  REQUIRE(status.code() == absl::StatusCode::kInvalidArgument);
  return std::string(status.message());
}

TEST_CASE("a code is letters of either case, digits, '-' and '_'", "[codes]") {
  for (const char* code : {"PMLD", "pmld", "SEMH", "cse-risk", "CSE-risk", "52-week", "one_to_one",
                           "1to1", "a", "abcdefghijklmnopqrstuvwxyz012345"}) {
    CAPTURE(code);
    CHECK(IsCode(code));
    CHECK(CheckCode("f", code).ok());
  }
}

TEST_CASE("anything else is refused, naming the field, the rule and the code", "[codes]") {
  CHECK(ErrorOf("") ==
        "spec.needs[0].code: must be a code of 1 to 32 letters, digits, '-' or "
        "'_', got \"\"");
  CHECK(ErrorOf("cse risk") ==
        "spec.needs[0].code: must be a code of 1 to 32 letters, digits, "
        "'-' or '_', got \"cse risk\"");
  // ',' would split one code in two where the eligibility query joins them.
  CHECK(ErrorOf("a,b") ==
        "spec.needs[0].code: must be a code of 1 to 32 letters, digits, '-' or "
        "'_', got \"a,b\"");
  CHECK(!IsCode("abcdefghijklmnopqrstuvwxyz0123456"));  // 33
  for (const char* code : {"Children's home", "a.b", "a/b", "caf\xC3\xA9", "tab\t", "x\n"}) {
    CAPTURE(code);
    CHECK(!IsCode(code));
    CHECK(CheckCode("f", code).code() == absl::StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace dps::platform
