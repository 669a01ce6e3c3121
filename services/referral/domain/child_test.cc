#include "services/referral/domain/child.h"

#include <catch2/catch.hpp>

#include "services/referral/domain/shared.h"
#include "services/referral/domain/test_fixtures.h"

namespace dps::referral {
namespace {

using testing::Message;

TEST_CASE("a postcode district is an outward code and nothing more") {
  for (const char* district : {"RH12", "M1", "W1A", "BN3", "SW1A", "EC1V"}) {
    INFO(district);
    CHECK(ValidatePostcodeDistrict("spec.location.postcode_district", district) ==
          absl::OkStatus());
  }
  const absl::Status full = ValidatePostcodeDistrict("spec.location.postcode_district", "RH12 1AB");
  CHECK(full.code() == absl::StatusCode::kInvalidArgument);
  CHECK(Message(full) ==
        "spec.location.postcode_district: must be the postcode district only (e.g. \"RH12\"), "
        "never a full postcode: a child's full postcode does not leave the placing authority");
  CHECK(Message(ValidatePostcodeDistrict("d", "RH121AB")) ==
        Message(ValidatePostcodeDistrict("d", "RH12 1AB")));
  CHECK(Message(ValidatePostcodeDistrict("d", "m1 1aa")) ==
        Message(ValidatePostcodeDistrict("d", "RH12 1AB")));
  CHECK(Message(ValidatePostcodeDistrict("d", "rh12")) ==
        "d: must be an outward code such as \"RH12\", got 'rh12'");
  CHECK(Message(ValidatePostcodeDistrict("d", "12RH")) ==
        "d: must be an outward code such as \"RH12\", got '12RH'");
  CHECK(Message(ValidatePostcodeDistrict("d", "")) == "d: required");
  // A near-postcode is never quoted back: not in the response, not in the log.
  CHECK(Message(ValidatePostcodeDistrict("d", "BN1-1AA")) ==
        Message(ValidatePostcodeDistrict("d", "RH12 1AB")));
  CHECK(Message(ValidatePostcodeDistrict("d", "BN1  1AA")) ==
        Message(ValidatePostcodeDistrict("d", "RH12 1AB")));
  CHECK(Message(ValidatePostcodeDistrict("d", "12 Acacia Avenue")) ==
        "d: must be an outward code such as \"RH12\"");
}

TEST_CASE("free text a provider reads refuses what identifies a child, other text passes") {
  CHECK(ValidateText("spec.description", "Needs a home near RH12, ideally rural.") ==
        absl::OkStatus());
  CHECK(ValidateText("spec.description", "Room 1AB, block RH12X 9ZZZ") == absl::OkStatus());
  const absl::Status found = ValidateText("spec.description", "Lives at rh12 1ab now");
  CHECK(found.code() == absl::StatusCode::kInvalidArgument);
  CHECK(Message(found).rfind(
            "spec.description: must not identify a child: it holds a full postcode (at character "
            "9)",
            0) == 0);
  // The examples: a name with a case number and a date of birth, and a phone number.
  CHECK_FALSE(ValidateText("d", "Jamie Smith LAC-204551 DOB 2013-04-03").ok());
  CHECK_FALSE(ValidateText("d", "Mum on 07700 900123").ok());
  CHECK_FALSE(ValidateText("d", "lives at BN1  1AA").ok());
}

TEST_CASE("a child's key is a short label, never a name or a case number") {
  CHECK(ValidateChildren("spec.children", {{"child-1", 9, Gender::kMale}}) == absl::OkStatus());
  CHECK(Message(ValidateChildren("spec.children",
                                 {{"Jamie Smith LAC-204551 DOB 2013-04-03", 9, Gender::kMale}})) ==
        "spec.children[0].child_key: must be a label of 1 to 16 letters, digits, '-' or '_' "
        "(such as \"child-1\"): a name or a case reference does not leave the placing authority");
  CHECK(
      Message(ValidateChildren("spec.children", {{"LAC-204551", 9, Gender::kMale}}))
          .rfind("spec.children[0].child_key: must not identify a child: it holds a case or record "
                 "number",
                 0) == 0);
}

TEST_CASE("children need a unique key and an age from 0 to 25") {
  CHECK(ValidateChildren("spec.children", {{"a", 0, Gender::kMale}, {"b", 25, Gender::kOther}}) ==
        absl::OkStatus());
  CHECK(Message(ValidateChildren("spec.children", {{"", 3, Gender::kMale}})) ==
        "spec.children[0].child_key: required");
  CHECK(Message(ValidateChildren("spec.children",
                                 {{"a", 3, Gender::kMale}, {"a", 4, Gender::kFemale}})) ==
        "spec.children[1].child_key: must be unique in the referral, 'a' is given twice");
  CHECK(Message(ValidateChildren("spec.children", {{"a", 26, Gender::kMale}})) ==
        "spec.children[0].age_years: must be 0 to 25, got 26");
  CHECK(Message(ValidateChildren("spec.children", {{"a", -1, Gender::kMale}})) ==
        "spec.children[0].age_years: must be 0 to 25, got -1");
}

}  // namespace
}  // namespace dps::referral
