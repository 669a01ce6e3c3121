#include "services/referral/domain/child.h"

#include <catch2/catch.hpp>

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
}

TEST_CASE("free text holding a full postcode is refused, other text is not") {
  CHECK(ValidateNoFullPostcode("spec.description", "Needs a home near RH12, ideally rural.") ==
        absl::OkStatus());
  CHECK(ValidateNoFullPostcode("spec.description", "Room 1AB, block RH12X 9ZZZ") ==
        absl::OkStatus());
  const absl::Status found = ValidateNoFullPostcode("spec.description", "Lives at rh12 1ab now");
  CHECK(found.code() == absl::StatusCode::kInvalidArgument);
  CHECK(Message(found) ==
        "spec.description: must not contain a full postcode (found one at character 9): a "
        "child's address does not leave the placing authority");
  CHECK(Message(ValidateNoFullPostcode("t", "M11AA")) ==
        "t: must not contain a full postcode (found one at character 0): a child's address does "
        "not leave the placing authority");
  CHECK(Message(ValidateNoFullPostcode("t", "SW1A2AA")) ==
        "t: must not contain a full postcode (found one at character 0): a child's address does "
        "not leave the placing authority");
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
