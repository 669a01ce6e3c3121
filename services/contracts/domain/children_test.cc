// The children of a placement: who may record them, when, and what is refused, never quoting a
// child's details back (label pure).
#include "services/contracts/domain/children.h"

#include <catch2/catch.hpp>

#include "services/contracts/domain/ipa.h"
#include "services/contracts/domain/test_fixtures.h"

namespace dps::contracts {
namespace {

using namespace dps::contracts::testing;  // NOLINT: the domain's fixtures

ChildIdentity Jamie() {
  return {.given_names = "Jamie",
          .family_name = "Smith",
          .preferred_name = "Jay",
          .date_of_birth = absl::CivilDay(2013, 4, 3),
          .gender = Gender::kFemale,
          .case_reference = "LAC-204551",
          .home_postcode = "BN1 1AA",
          .legal_status = "s.31 care order"};
}

TEST_CASE("the placing authority records the children of a draft and of a signed IPA") {
  Ipa ipa = Draft();
  REQUIRE(SetChildren(ipa, {Jamie()}, Officer(), Now()) == absl::OkStatus());
  CHECK(ipa.children == std::vector<ChildIdentity>{Jamie()});
  CHECK(ipa.history.back().what == "children recorded");
  Ipa signed_ipa = Signed();
  ChildIdentity corrected = Jamie();
  corrected.home_postcode = "rh121ab";
  CHECK(SetChildren(signed_ipa, {corrected}, Commissioner(), Now()) == absl::OkStatus());
  // An empty list clears them.
  CHECK(SetChildren(signed_ipa, {}, Officer(), Now()) == absl::OkStatus());
  CHECK(signed_ipa.children.empty());
}

TEST_CASE("nobody else records children and an ended placement takes none") {
  Ipa ipa = Draft();
  CHECK(SetChildren(ipa, {Jamie()}, ProviderUser(), Now()).code() ==
        absl::StatusCode::kPermissionDenied);
  CHECK(SetChildren(ipa, {Jamie()}, {"officer-9", Role::kPlacingOfficer, "surrey"}, Now()).code() ==
        absl::StatusCode::kPermissionDenied);
  Ipa cancelled = Cancelled();
  CHECK(SetChildren(cancelled, {Jamie()}, Officer(), Now()).code() ==
        absl::StatusCode::kFailedPrecondition);
  CHECK(ipa.children.empty());
}

TEST_CASE("a child's details are checked field by field and never quoted back") {
  const absl::CivilDay today(2027, 3, 1);
  auto refused = [&](ChildIdentity child) {
    return ValidateChildren("children", {Jamie(), child}, today);
  };
  ChildIdentity c = Jamie();
  c.given_names = " ";
  CHECK(refused(c) == absl::InvalidArgumentError("children[1].given_names: required"));
  c = Jamie();
  c.family_name = std::string(201, 'x');
  CHECK(refused(c).message() == "children[1].family_name: must be at most 200 characters, got 201");
  c = Jamie();
  c.date_of_birth.reset();
  CHECK(refused(c) == absl::InvalidArgumentError("children[1].date_of_birth: required"));
  c.date_of_birth = absl::CivilDay(2027, 3, 2);
  CHECK(refused(c) ==
        absl::InvalidArgumentError("children[1].date_of_birth: must not be in the future"));
  c.date_of_birth = absl::CivilDay(2001, 1, 1);
  CHECK(refused(c) ==
        absl::InvalidArgumentError("children[1].date_of_birth: must be within 25 years"));
  for (const char* postcode : {"BN1", "BN1 1AA extra", "not a postcode", "BN1 1AA BN2 2BB"}) {
    c = Jamie();
    c.home_postcode = postcode;
    const absl::Status s = refused(c);
    INFO(postcode);
    CHECK(s == absl::InvalidArgumentError(
                   "children[1].home_postcode: must be a full postcode such as \"RH12 1AB\""));
  }
  for (const char* postcode : {"BN1 1AA", "bn11aa", "RH12  1AB", "SW1A 2AA"}) {
    c = Jamie();
    c.home_postcode = postcode;
    INFO(postcode);
    CHECK(refused(c) == absl::OkStatus());
  }
  CHECK(ValidateChildren("children", std::vector<ChildIdentity>(101, Jamie()), today) ==
        absl::InvalidArgumentError("children: at most 100 children"));
}

}  // namespace
}  // namespace dps::contracts
