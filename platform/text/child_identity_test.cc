#include "platform/text/child_identity.h"

#include <catch2/catch.hpp>
#include <optional>
#include <string>

namespace dps::platform {
namespace {

std::string KindIn(const std::string& text) {
  const std::optional<ChildIdentifier> found = FindChildIdentifier(text);
  return found ? found->kind : "";
}

TEST_CASE("full postcodes are found in any spacing and case", "[text]") {
  for (const char* text : {"lives at RH12 1AB now", "rh121ab", "BN1  1AA", "BN1-1AA", "W1A 0AX",
                           "M1 1AE.", "(EC1A\t1BB)", "SW1A 2AA"}) {
    INFO(text);
    CHECK(KindIn(text) == "a full postcode");
  }
  const std::optional<ChildIdentifier> found = FindChildIdentifier("near RH12 1AB");
  REQUIRE(found.has_value());
  CHECK(found->at == 5);
  // Districts alone, and codes inside longer words, are not postcodes.
  for (const char* text : {"RH12", "near BN1 and RH12", "SEN-52", "ASD SEMH", "XRH12 1ABX"}) {
    INFO(text);
    CHECK(KindIn(text).empty());
  }
}

TEST_CASE("dates of birth: the words, and any full date, since a birth date looks like others",
          "[text]") {
  for (const char* text : {"DOB 2013-04-03", "d.o.b. unknown", "her date of birth is known",
                           "born on a Tuesday", "Birthday in May"}) {
    INFO(text);
    CHECK(KindIn(text) == "a date of birth");
  }
  for (const char* text : {"03/04/2013", "3.4.13", "2013-04-03", "3 April 2013", "3rd Apr 2013",
                           "on 14 february, 2010", "start 2027-01-01"}) {
    INFO(text);
    CHECK(KindIn(text) == "a full date, which may be a date of birth");
  }
  // A month and year, a day and month, a year alone or an impossible date are not full dates.
  for (const char* text :
       {"from April 2027", "on 3 March", "in 2013", "aged 12 to 14", "32/13/2013", "10.5 hours"}) {
    INFO(text);
    CHECK(KindIn(text).empty());
  }
}

TEST_CASE("case and record numbers: letters with four digits, or six digits in a row", "[text]") {
  for (const char* text : {"LAC-204551", "ref AB123456C", "case 204551", "UPN A12345678901"}) {
    INFO(text);
    CHECK(KindIn(text) == "a case or record number");
  }
  for (const char* text : {"£4,200 a week", "Year 10", "SEN-52", "2 to 3 hours", "fee 45000"}) {
    INFO(text);
    CHECK(KindIn(text).empty());
  }
}

TEST_CASE("UK phone numbers, with the spacing people write", "[text]") {
  for (const char* text : {"call 07700 900123", "01273 123456", "0123 456 7890",
                           "+44 (0)1273 123456", "+447700900123", "020-7946-0018"}) {
    INFO(text);
    CHECK(KindIn(text) == "a phone number");
  }
  for (const char* text : {"0 to 25 years", "0800", "from 09:00 to 17:00"}) {
    INFO(text);
    CHECK(KindIn(text).empty());
  }
}

TEST_CASE("the error names the field and what kind of thing, never the text", "[text]") {
  const absl::Status status =
      RejectChildIdentifiers("spec.description", "Jamie Smith LAC-204551 lives at BN1 1AA");
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  CHECK(status.message().rfind("spec.description: must not identify a child: it holds a case or "
                               "record number (at character 12)",
                               0) == 0);
  CHECK(status.message().find("204551") == std::string::npos);
  CHECK(status.message().find("BN1") == std::string::npos);
  CHECK(RejectChildIdentifiers("spec.description", "Needs a calm home near the coast.").ok());
}

}  // namespace
}  // namespace dps::platform
