#include "services/qualification/domain/participation.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "services/qualification/domain/test_fixtures.h"

namespace dps::qualification {
namespace {

using testing::Message;

// Northamptonshire's framework: the county, its police and its schools.
std::vector<Participant> Northamptonshire() {
  return {{.authority_id = "north-northamptonshire"},
          {.authority_id = "west-northamptonshire"},
          {.authority_id = "northamptonshire-police",
           .body_type = BodyType::kPolice,
           .lot_codes = {"ASSESSMENTS", "TESTING"}},
          {.authority_id = "northamptonshire-schools",
           .body_type = BodyType::kSchool,
           .lot_codes = {"THERAPIES"}}};
}

const std::vector<std::string> kLots = {"ASSESSMENTS", "THERAPIES", "TESTING"};

std::string Refusal(const absl::Status& status) {
  REQUIRE(status.code() == absl::StatusCode::kInvalidArgument);
  return Message(status);
}

TEST_CASE("bodies other than local authorities call off only where the system allows them",
          "[participation]") {
  CHECK(CheckParticipants(Northamptonshire(), true, &kLots, "spec.authorities").ok());
  CHECK(Refusal(CheckParticipants(Northamptonshire(), false, &kLots, "spec.authorities")) ==
        "spec.authorities[2].body_type: a POLICE body may call off only where "
        "other_bodies_may_call_off is set; this system is for local authorities");
  // Councils alone need nothing allowed.
  const std::vector<Participant> councils = {Northamptonshire()[0], Northamptonshire()[1]};
  CHECK(CheckParticipants(councils, false, &kLots, "spec.authorities").ok());
  CHECK(Refusal(CheckParticipant(Northamptonshire()[3], false, nullptr, "authority")) ==
        "authority.body_type: a SCHOOL body may call off only where other_bodies_may_call_off "
        "is set; this system is for local authorities");
  for (BodyType type : {BodyType::kHealth, BodyType::kOtherPublicBody}) {
    CHECK_FALSE(
        CheckParticipant({.authority_id = "x", .body_type = type}, false, nullptr, "a").ok());
    CHECK(CheckParticipant({.authority_id = "x", .body_type = type}, true, nullptr, "a").ok());
  }
}

TEST_CASE("a participant's lots are codes of the system's lots, each once", "[participation]") {
  std::vector<Participant> participants = Northamptonshire();
  SECTION("by the code rule, even before the system has lots") {
    participants[3].lot_codes = {"THERAPIES", "speech therapy"};
    CHECK(Refusal(CheckParticipants(participants, true, nullptr, "spec.authorities")) ==
          "spec.authorities[3].lot_codes[1]: must be a code of 1 to 32 letters, digits, '-' or "
          "'_', got \"speech therapy\"");
  }
  SECTION("once") {
    participants[2].lot_codes = {"TESTING", "TESTING"};
    CHECK(Refusal(CheckParticipants(participants, true, nullptr, "spec.authorities")) ==
          "spec.authorities[2].lot_codes[1]: duplicate code \"TESTING\"");
  }
  SECTION("a lot of the system, once its lots are known") {
    participants[3].lot_codes = {"DRAMA"};
    CHECK(CheckParticipants(participants, true, nullptr, "spec.authorities").ok());
    CHECK(Refusal(CheckParticipants(participants, true, &kLots, "spec.authorities")) ==
          "spec.authorities[3].lot_codes[0]: no lot \"DRAMA\" in the system");
  }
  SECTION("compared exactly as written") {
    participants[3].lot_codes = {"therapies"};
    CHECK(Refusal(CheckParticipants(participants, true, &kLots, "spec.authorities")) ==
          "spec.authorities[3].lot_codes[0]: no lot \"therapies\" in the system");
  }
}

TEST_CASE("an authority calls off the lots it takes part in", "[participation]") {
  const std::vector<Participant> participants = Northamptonshire();
  const std::string lead = "north-northamptonshire";
  // No lots listed: every lot.
  CHECK(CheckMayCallOffLot(lead, participants, "west-northamptonshire", "THERAPIES").ok());
  CHECK(CheckMayCallOffLot(lead, participants, "northamptonshire-police", "TESTING").ok());
  const absl::Status refused =
      CheckMayCallOffLot(lead, participants, "northamptonshire-police", "THERAPIES");
  CHECK(refused.code() == absl::StatusCode::kPermissionDenied);
  CHECK(refused.message() ==
        "authority northamptonshire-police does not take part in lot THERAPIES (it calls off "
        "ASSESSMENTS, TESTING)");
  const absl::Status outsider = CheckMayCallOffLot(lead, participants, "kent", "THERAPIES");
  CHECK(outsider.code() == absl::StatusCode::kPermissionDenied);
  CHECK(outsider.message() == "organisation kent takes no part in the purchasing system");
  CHECK(CheckMayCallOffLot(lead, participants, "", "THERAPIES").code() ==
        absl::StatusCode::kPermissionDenied);
  SECTION("the lead, unlisted, in every lot; listed, in its own") {
    CHECK(CheckMayCallOffLot("northamptonshire", participants, "northamptonshire", "TESTING").ok());
    std::vector<Participant> listed = participants;
    listed.push_back({.authority_id = "northamptonshire", .lot_codes = {"ASSESSMENTS"}});
    CHECK(CheckMayCallOffLot("northamptonshire", listed, "northamptonshire", "TESTING").code() ==
          absl::StatusCode::kPermissionDenied);
  }
}

TEST_CASE("body type names", "[participation]") {
  CHECK(BodyTypeName(BodyType::kLocalAuthority) == "LOCAL_AUTHORITY");
  CHECK(BodyTypeName(BodyType::kOtherPublicBody) == "OTHER_PUBLIC_BODY");
}

}  // namespace
}  // namespace dps::qualification
