// What the register checks of an establishment: each rule refused with the field it names, in
// order, and a whole draft accepted.
#include "services/qualification/domain/establishment.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "services/qualification/domain/test_fixtures.h"

namespace dps::qualification {
namespace {

std::string Refusal(const EstablishmentDetails& draft) {
  const absl::Status s = CheckEstablishment(draft, "spec");
  CHECK(s.code() == absl::StatusCode::kInvalidArgument);
  return std::string(s.message());
}

TEST_CASE("establishment: a whole draft is accepted") {
  CHECK(CheckEstablishment(testing::AcmeHouseDetails(), "spec").ok());
  EstablishmentDetails care_leavers = testing::AcmeHouseDetails();
  care_leavers.age_min_years = 16;
  care_leavers.age_max_years = 25;
  CHECK(CheckEstablishment(care_leavers, "spec").ok());
}

TEST_CASE("establishment: named and placed") {
  EstablishmentDetails d = testing::AcmeHouseDetails();
  d.name.clear();
  CHECK(Refusal(d) == "spec.name: required");
  d = testing::AcmeHouseDetails();
  d.address.postcode.clear();
  CHECK(Refusal(d) == "spec.address.postcode: required");
  d = testing::AcmeHouseDetails();
  d.latitude = 91;
  CHECK(Refusal(d) == "spec.location.latitude: must be -90 to 90, got 91");
  d.latitude = std::nan("");
  CHECK(Refusal(d) == "spec.location.latitude: must be -90 to 90, got nan");
  d = testing::AcmeHouseDetails();
  d.longitude = -180.5;
  CHECK(Refusal(d) == "spec.location.longitude: must be -180 to 180, got -180.5");
  d = testing::AcmeHouseDetails();
  d.latitude = 0;
  d.longitude = 0;
  CHECK(Refusal(d) == "spec.location: required");
}

TEST_CASE("establishment: ages and places") {
  EstablishmentDetails d = testing::AcmeHouseDetails();
  d.age_min_years = -1;
  CHECK(Refusal(d) == "spec.age_min_years: must be 0-25, got -1");
  d.age_min_years = 26;
  CHECK(Refusal(d) == "spec.age_min_years: must be 0-25, got 26");
  d = testing::AcmeHouseDetails();
  d.age_max_years = 10;
  CHECK(Refusal(d) == "spec.age_max_years: must be age_min_years-25, got 10");
  d.age_max_years = 26;
  CHECK(Refusal(d) == "spec.age_max_years: must be age_min_years-25, got 26");
  d = testing::AcmeHouseDetails();
  d.registered_places = -1;
  CHECK(Refusal(d) == "spec.registered_places: must not be negative");
}

TEST_CASE("establishment: its codes by the one code rule") {
  EstablishmentDetails d = testing::AcmeHouseDetails();
  d.specialism_codes.push_back("cse risk");
  CHECK(Refusal(d).rfind("spec.specialism_codes[2]: ", 0) == 0);
  d = testing::AcmeHouseDetails();
  d.placement_type_codes = {""};
  CHECK(Refusal(d).rfind("spec.placement_type_codes[0]: ", 0) == 0);
}

TEST_CASE("establishment: an inspectorate unless all it offers is regulated elsewhere") {
  EstablishmentDetails d = testing::AcmeHouseDetails();
  d.inspectorate = Inspectorate::kUnspecified;
  CHECK(Refusal(d) == "spec.inspectorate: required");
  d.inspectorate = Inspectorate::kNone;
  CHECK(Refusal(d) ==
        "spec.inspectorate: INSPECTORATE_NONE is only for an establishment whose every provision "
        "type is PROVISION_TYPE_BESPOKE_INTERVENTION");
  d.provision_types = {ProvisionType::kBespokeIntervention, ProvisionType::kResidentialHome};
  CHECK(Refusal(d).rfind("spec.inspectorate: INSPECTORATE_NONE is only", 0) == 0);
  d.provision_types = {ProvisionType::kBespokeIntervention};
  CHECK(OffersInterventionsOnly(d));
  CHECK(Refusal(d) ==
        "spec.inspectorate_ref: must be empty when the establishment has no inspectorate");
  d.inspectorate_ref.clear();
  CHECK(CheckEstablishment(d, "spec").ok());
}

}  // namespace
}  // namespace dps::qualification
