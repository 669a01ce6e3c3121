#include "services/qualification/tools/establishment_generator.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <sstream>

namespace dps::qualification::tools {
namespace {

// Loaded once: parsing the Ofsted file is the slow part.
const GeneratorInput& Input() {
  static const GeneratorInput* input = [] {
    absl::StatusOr<GeneratorInput> loaded = LoadGeneratorInput(DPS_DATA_DIR);
    REQUIRE(loaded.ok());
    return new GeneratorInput(*std::move(loaded));
  }();
  return *input;
}

std::string Csv(const std::vector<Establishment>& rows) {
  std::ostringstream out;
  WriteEstablishmentsCsv(rows, out);
  return out.str();
}

TEST_CASE("The reference data loads England's councils and districts", "[generator]") {
  CHECK(Input().authorities.size() == 153);
  CHECK(Input().districts.size() > 2000);
  CHECK(Input().ofsted.records.size() == 5600);
  CHECK(AuthorityKey("County Durham") == AuthorityKey("Durham"));
  CHECK(AuthorityKey("Bristol, City of") == AuthorityKey("Bristol"));
  CHECK(AuthorityKey("Southend-on-Sea") == AuthorityKey("Southend on Sea"));
  CHECK(AuthorityKey("St. Helens") == AuthorityKey("St Helens"));
  CHECK(AuthorityKey("Bournemouth, Christchurch and Poole") ==
        AuthorityKey("Bournemouth, Christchurch & Poole"));
}

TEST_CASE("20,000 establishments, plausible and inside England", "[generator]") {
  absl::StatusOr<std::vector<Establishment>> rows =
      GenerateEstablishments(Input(), {.count = 20000, .seed = 7});
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 20000);

  struct FeeRange {
    int64_t lo;
    int64_t hi;
  };
  const std::map<EstablishmentType, FeeRange> fees = {
      {EstablishmentType::kChildrensHome, {400000, 900000}},
      {EstablishmentType::kShortBreaks, {250000, 600000}},
      {EstablishmentType::kSupportedAccommodation, {80000, 300000}},
      {EstablishmentType::kIndependentFosteringAgency, {80000, 150000}},
      {EstablishmentType::kResidentialSpecialSchool, {350000, 800000}},
      {EstablishmentType::kSpecialSchool, {100000, 350000}},
      {EstablishmentType::kCollege, {150000, 450000}},
  };
  std::map<EstablishmentType, int> by_type;
  std::set<std::string> ids;
  std::set<std::string> urns;
  std::set<std::string> providers;
  for (const Establishment& e : *rows) {
    ++by_type[e.type];
    ids.insert(e.establishment_id);
    urns.insert(e.urn);
    providers.insert(e.provider_id);
    INFO(e.establishment_id << " " << EstablishmentTypeName(e.type));
    // England's bounding box, Scilly to Lowestoft, Lizard to the Scottish border.
    CHECK(e.latitude > 49.8);
    CHECK(e.latitude < 55.85);
    CHECK(e.longitude > -6.45);
    CHECK(e.longitude < 1.8);
    CHECK(e.ceiling_fee_pence >= fees.at(e.type).lo);
    CHECK(e.ceiling_fee_pence <= fees.at(e.type).hi);
    CHECK(e.ceiling_fee_pence % 500 == 0);
    CHECK(e.min_age < e.max_age);
    CHECK(e.capacity > 0);
    CHECK_FALSE(e.specialisms.empty());
    CHECK(e.qualification_score >= 0);
    CHECK(e.qualification_score <= 100);
    CHECK_FALSE(e.local_authority.empty());
    CHECK_FALSE(e.postcode_district.empty());
  }
  CHECK(by_type.size() == kEstablishmentTypeCount);
  CHECK(ids.size() == 20000);
  CHECK(urns.size() == 20000);
  // Owners run several establishments, as in the real file, but most run few.
  CHECK(providers.size() > 4000);
  CHECK(providers.size() < 15000);
  // The real mix: children's homes dominate, special schools are about 12%.
  CHECK(by_type[EstablishmentType::kChildrensHome] > 12000);
  CHECK(by_type[EstablishmentType::kSpecialSchool] > 1800);
  CHECK(by_type[EstablishmentType::kSpecialSchool] < 3000);
}

TEST_CASE("The same seed gives the same data set, another seed a different one", "[generator]") {
  auto a = GenerateEstablishments(Input(), {.count = 3000, .seed = 42});
  auto b = GenerateEstablishments(Input(), {.count = 3000, .seed = 42});
  auto c = GenerateEstablishments(Input(), {.count = 3000, .seed = 43});
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(c.ok());
  CHECK(Csv(*a) == Csv(*b));
  CHECK(Csv(*a) != Csv(*c));
}

TEST_CASE("The CSV has the documented header and one line per establishment", "[generator]") {
  auto rows = GenerateEstablishments(Input(), {.count = 50, .seed = 1});
  REQUIRE(rows.ok());
  const std::string csv = Csv(*rows);
  CHECK(csv.rfind("establishment_id,provider_id,name,type,inspectorate,urn,local_authority,"
                  "postcode_district,latitude,longitude,min_age,max_age,genders,capacity,"
                  "specialisms,rating,ceiling_fee_pence,qualification_score\n",
                  0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 51);
}

TEST_CASE("A count that is not positive is refused", "[generator]") {
  CHECK(GenerateEstablishments(Input(), {.count = 0, .seed = 1}).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace dps::qualification::tools
