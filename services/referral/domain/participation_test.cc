#include "services/referral/domain/participation.h"

#include <catch2/catch.hpp>

namespace dps::referral {
namespace {

// West Sussex CPOSS: the partners take part in the schools category only.
SystemParticipants Cposs() {
  return {.lead = "west-sussex",
          .participants = {{"brighton-and-hove", {"CAT1-SCHOOLS"}},
                           {"east-sussex", {"CAT1-SCHOOLS", "CAT2-CARE"}},
                           {"surrey", {}}}};
}

TEST_CASE("an authority places only in the lots it takes part in", "[participation]") {
  const SystemParticipants system = Cposs();
  CHECK(CheckCallsOffLot(system, "brighton-and-hove", "CAT1-SCHOOLS", "sys-1").ok());
  CHECK(CheckCallsOffLot(system, "east-sussex", "CAT2-CARE", "sys-1").ok());
  CHECK(CheckCallsOffLot(system, "surrey", "CAT3-HOMES", "sys-1").ok());  // none listed: every lot
  CHECK(CheckCallsOffLot(system, "west-sussex", "CAT3-HOMES", "sys-1").ok());  // the lead

  const absl::Status other_lot =
      CheckCallsOffLot(system, "brighton-and-hove", "CAT2-CARE", "sys-1");
  CHECK(other_lot.code() == absl::StatusCode::kPermissionDenied);
  CHECK(other_lot.message() ==
        "authority brighton-and-hove does not take part in lot CAT2-CARE of purchasing system "
        "sys-1 (it calls off CAT1-SCHOOLS)");
  const absl::Status outsider = CheckCallsOffLot(system, "kent", "CAT1-SCHOOLS", "sys-1");
  CHECK(outsider.code() == absl::StatusCode::kPermissionDenied);
  CHECK(outsider.message() == "organisation kent takes no part in purchasing system sys-1");
  CHECK(CheckCallsOffLot(system, "", "CAT1-SCHOOLS", "sys-1").code() ==
        absl::StatusCode::kPermissionDenied);
}

TEST_CASE("a lead that lists itself takes part in the lots it lists", "[participation]") {
  SystemParticipants system = Cposs();
  system.participants.push_back({"west-sussex", {"CAT1-SCHOOLS"}});
  CHECK(CheckCallsOffLot(system, "west-sussex", "CAT1-SCHOOLS", "sys-1").ok());
  CHECK(CheckCallsOffLot(system, "west-sussex", "CAT3-HOMES", "sys-1").code() ==
        absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace dps::referral
