// The demo's plan from the real data we ship: every seed system gets establishments its lots buy,
// near its councils, within its caps, in its vocabulary, and the same plan every time.
#include "tools/demo/demo_plan.h"

#include <catch2/catch.hpp>
#include <map>

#include "services/scoring/domain/geo.h"
#include "tools/api_client/system_loader.h"

namespace dps::demo {
namespace {

using Json = nlohmann::json;

const qualification::tools::GeneratorInput& Input() {
  static const auto* input = [] {
    absl::StatusOr<qualification::tools::GeneratorInput> loaded =
        qualification::tools::LoadGeneratorInput(DPS_DATA_DIR);
    REQUIRE(loaded.ok());
    return new qualification::tools::GeneratorInput(*std::move(loaded));
  }();
  return *input;
}

const std::vector<qualification::tools::Establishment>& Pool() {
  static const auto* pool = [] {
    absl::StatusOr<std::vector<qualification::tools::Establishment>> made =
        qualification::tools::GenerateEstablishments(Input(), {.count = 6000, .seed = 2026});
    REQUIRE(made.ok());
    return new std::vector<qualification::tools::Establishment>(*std::move(made));
  }();
  return *pool;
}

Json Config(const std::string& file) {
  absl::StatusOr<Json> config =
      api_client::ReadSystemConfig(std::string(DPS_DATA_DIR) + "/systems/" + file);
  REQUIRE(config.ok());
  return *config;
}

const std::vector<std::string> kFiles = {"000_south_east.json", "001_north_west.json",
                                         "002_west_sussex_cposs.json", "003_west_london.json",
                                         "004_northamptonshire.json"};

const Json& LotSpec(const Json& config, const std::string& code) {
  for (const Json& lot : config["lots"]) {
    if (lot["spec"]["code"] == code) return lot["spec"];
  }
  FAIL("no lot " << code);
  return config;
}

bool Contains(const Json& array, const Json& value) {
  return std::find(array.begin(), array.end(), value) != array.end();
}

TEST_CASE("Each seed system gets establishments its lots buy, within caps and vocabulary") {
  std::set<std::string> taken;
  std::set<std::string> every_key;
  for (const std::string& file : kFiles) {
    INFO(file);
    const Json config = Config(file);
    absl::StatusOr<std::vector<DemoSite>> sites = PlanSites(config, Input(), Pool(), 50, taken);
    REQUIRE(sites.ok());
    REQUIRE(sites->size() == 50);
    std::map<std::string, int> per_lot;
    for (const DemoSite& site : *sites) {
      INFO(site.key << " in " << site.lot_code << ": " << site.establishment_spec.dump());
      CHECK(every_key.insert(site.key).second);  // no establishment in two plans
      ++per_lot[site.lot_code];
      const Json& lot = LotSpec(config, site.lot_code);
      const Json& spec = site.establishment_spec;
      CHECK(Contains(lot["provision_types"], spec["provision_types"][0]));
      CHECK(site.ceiling_pence > 0);
      if (lot["terms"].contains("affordability_cap_weekly")) {
        CHECK(site.ceiling_pence <=
              std::stoll(lot["terms"]["affordability_cap_weekly"]["pence"].get<std::string>()));
      }
      for (const Json& code : spec.value("specialism_codes", Json::array())) {
        Json vocabulary = Json::array();
        for (const Json& entry : lot["specialisms"]) vocabulary.push_back(entry["code"]);
        CHECK(Contains(vocabulary, code));
      }
      CHECK(spec.contains("specialism_codes") == lot.contains("specialisms"));
      CHECK(spec.contains("placement_type_codes") == lot.contains("placement_types"));
      CHECK(site.age_min <= site.age_max);
      if (spec["provision_types"][0] == "PROVISION_TYPE_BESPOKE_INTERVENTION") {
        // Practices with no inspectorate, priced per unit of work in the lot's own services.
        CHECK(spec["inspectorate"] == "INSPECTORATE_NONE");
        CHECK_FALSE(spec.contains("inspectorate_ref"));
        REQUIRE(site.rate_card.size() == 1);
        Json services = Json::array();
        for (const Json& entry : lot["additional_services"]) services.push_back(entry["code"]);
        CHECK(Contains(services, site.rate_card[0]["code"]));
        CHECK(site.rate_card[0]["unit"] != "RATE_UNIT_WEEKLY");
      } else {
        CHECK(spec["inspectorate"] == "INSPECTORATE_OFSTED");
        CHECK_FALSE(spec.value("inspectorate_ref", "").empty());
        CHECK(site.rate_card.empty());
      }
    }
    // Spread over every lot in turn.
    CHECK(per_lot.size() == config["lots"].size());

    // Near the lead authority: the first establishment of each lot is within reach of a referral.
    for (const auto& [code, count] : per_lot) {
      const ReferralPlace place = PlaceReferral(*sites, code, 40);
      INFO(code);
      CHECK_FALSE(place.postcode_district.empty());
      CHECK(place.establishments_in_reach >= 2);
      CHECK(place.age_years >= 8);
      CHECK(place.age_years <= 16);
    }
  }
}

TEST_CASE("The plan is the same every time, so a second load replays the first") {
  std::set<std::string> first_taken, second_taken;
  const Json config = Config("003_west_london.json");
  absl::StatusOr<std::vector<DemoSite>> first = PlanSites(config, Input(), Pool(), 20, first_taken);
  absl::StatusOr<std::vector<DemoSite>> second =
      PlanSites(config, Input(), Pool(), 20, second_taken);
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  REQUIRE(first->size() == second->size());
  for (size_t i = 0; i < first->size(); ++i) {
    CHECK((*first)[i].key == (*second)[i].key);
    CHECK((*first)[i].establishment_spec == (*second)[i].establishment_spec);
    CHECK((*first)[i].ceiling_pence == (*second)[i].ceiling_pence);
  }
}

TEST_CASE("A system's centre is its lead authority, or the councils that succeeded it") {
  const absl::StatusOr<std::pair<double, double>> sussex =
      SystemCentre(Config("000_south_east.json"), Input().authorities);
  REQUIRE(sussex.ok());
  // West Sussex's centroid is near Horsham.
  CHECK(scoring::HaversineMiles({sussex->first, sussex->second}, {51.06, -0.33}) < 15);
  // Northamptonshire is now North and West Northamptonshire: between the two.
  const absl::StatusOr<std::pair<double, double>> northamptonshire =
      SystemCentre(Config("004_northamptonshire.json"), Input().authorities);
  REQUIRE(northamptonshire.ok());
  CHECK(scoring::HaversineMiles({northamptonshire->first, northamptonshire->second},
                                {52.24, -0.89}) < 25);

  Json unknown = Config("000_south_east.json");
  unknown["system"]["spec"]["lead_authority_id"] = "atlantis";
  const absl::StatusOr<std::pair<double, double>> nowhere =
      SystemCentre(unknown, Input().authorities);
  CHECK(nowhere.status().code() == absl::StatusCode::kNotFound);
  CHECK(nowhere.status().message().find("lead_authority_id") != std::string::npos);
}

TEST_CASE("A pool with no establishment of a lot's type is refused, naming the lot") {
  std::set<std::string> taken;
  std::vector<qualification::tools::Establishment> homes_only;
  for (const auto& row : Pool()) {
    if (row.type == qualification::tools::EstablishmentType::kChildrensHome) {
      homes_only.push_back(row);
    }
  }
  const absl::StatusOr<std::vector<DemoSite>> sites =
      PlanSites(Config("003_west_london.json"), Input(), homes_only, 4, taken);
  REQUIRE_FALSE(sites.ok());
  CHECK(sites.status().message().find("lot IFA") != std::string::npos);
}

TEST_CASE("The two sites most alike are the nearest in score and in location band") {
  auto site = [](int score, double latitude) {
    DemoSite made;
    made.score = score;
    made.latitude = latitude;
    made.longitude = 0;
    return made;
  };
  // From (51.0, 0): 0.1 degrees of latitude is about 6.9 miles, so 51.2 is band 4 and 51.3 band 3.
  const DemoSite near_80 = site(80, 51.0), near_60 = site(60, 51.05), far_78 = site(78, 51.3),
                 mid_62 = site(62, 51.1);
  CHECK(MostAlike({&near_80, &near_60, &far_78, &mid_62}, 51.0, 0) == std::make_pair(1ul, 3ul));
  // A score apart by two but two bands apart loses to a score apart by five in the same band.
  const DemoSite near_65 = site(65, 51.01);
  CHECK(MostAlike({&near_60, &far_78, &near_65, &near_80}, 51.0, 0) == std::make_pair(0ul, 2ul));
}

}  // namespace
}  // namespace dps::demo
