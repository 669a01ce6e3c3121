#include "tools/demo/demo_plan.h"

#include <algorithm>
#include <map>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "services/scoring/domain/geo.h"

namespace dps::demo {

using Json = nlohmann::json;
using qualification::tools::Authority;
using qualification::tools::Establishment;
using qualification::tools::EstablishmentType;

namespace {

// The provision type a generated establishment is registered as; empty for a type no seed lot
// buys (supported accommodation).
std::string ProvisionTypeOf(EstablishmentType type) {
  switch (type) {
    case EstablishmentType::kChildrensHome:
      return "PROVISION_TYPE_RESIDENTIAL_HOME";
    case EstablishmentType::kShortBreaks:
      return "PROVISION_TYPE_SHORT_BREAKS";
    case EstablishmentType::kIndependentFosteringAgency:
      return "PROVISION_TYPE_FOSTERING";
    case EstablishmentType::kResidentialSpecialSchool:
    case EstablishmentType::kSpecialSchool:
      return "PROVISION_TYPE_INMSS";
    case EstablishmentType::kCollege:
      return "PROVISION_TYPE_SPECIALIST_COLLEGE";
    case EstablishmentType::kSupportedAccommodation:
      return "";
  }
  return "";
}

constexpr char kIntervention[] = "PROVISION_TYPE_BESPOKE_INTERVENTION";

// An intervention lot's unit of price and what a practice charges for one (spec: interventions
// are priced per assessment, session or test).
struct InterventionPrice {
  const char* unit;
  const char* practice;  // what the practice is called
  int64_t base_pence;
};
InterventionPrice InterventionPriceOf(const std::string& lot_code) {
  if (absl::StrContains(lot_code, "THERAP")) {
    return {"RATE_UNIT_PER_SESSION", "Therapy Practice", 9000};
  }
  if (absl::StrContains(lot_code, "TEST")) {
    return {"RATE_UNIT_PER_TEST", "Testing Laboratory", 15000};
  }
  return {"RATE_UNIT_PER_ASSESSMENT", "Psychology Practice", 120000};
}

// The authority id a council's name is written as in the configuration files.
std::string AuthorityId(const std::string& name) {
  return absl::StrReplaceAll(qualification::tools::AuthorityKey(name), {{" ", "-"}});
}

std::vector<std::string> Codes(const Json& vocabulary) {
  std::vector<std::string> codes;
  for (const Json& entry : vocabulary) codes.push_back(entry.value("code", ""));
  return codes;
}

bool Buys(const Json& lot_spec, const std::string& provision_type) {
  for (const Json& type : lot_spec.value("provision_types", Json::array())) {
    if (type == provision_type) return true;
  }
  return false;
}

int64_t CapOf(const Json& lot_spec) {
  const Json terms = lot_spec.value("terms", Json::object());
  if (!terms.contains("affordability_cap_weekly")) return 0;
  return std::stoll(terms["affordability_cap_weekly"].value("pence", "0"));
}

// A stable small number from an id, to vary what the generator does not say.
size_t Spread(const std::string& id) {
  size_t value = 0;
  for (char c : id) value = value * 31 + static_cast<unsigned char>(c);
  return value;
}

DemoSite SiteOf(const Establishment& row, const Json& lot_spec) {
  const std::string lot_code = lot_spec.value("code", "");
  const bool intervention = Buys(lot_spec, kIntervention);
  DemoSite site;
  site.provider_id = absl::AsciiStrToLower(row.provider_id);
  site.key = absl::AsciiStrToLower(row.establishment_id);
  site.lot_code = lot_code;
  site.postcode_district = row.postcode_district;
  site.latitude = row.latitude;
  site.longitude = row.longitude;
  site.score = std::clamp(row.qualification_score, 0, 100);
  site.age_min = intervention ? 0 : row.min_age;
  site.age_max = intervention ? 18 : row.max_age;
  site.genders = intervention ? "mixed" : row.genders;

  std::string name = row.name;
  std::string provision_type = ProvisionTypeOf(row.type);
  site.ceiling_pence = row.ceiling_fee_pence;
  site.rate_card = Json::array();
  if (intervention) {
    const InterventionPrice price = InterventionPriceOf(lot_code);
    name = absl::StrCat(row.local_authority, " ", price.practice, " ",
                        row.establishment_id.substr(row.establishment_id.size() - 4));
    provision_type = kIntervention;
    site.ceiling_pence = price.base_pence + static_cast<int64_t>(Spread(site.key) % 20) * 1000;
    const std::vector<std::string> services = Codes(lot_spec.value("additional_services", Json()));
    site.rate_card.push_back(
        {{"code", services.empty() ? "session" : services[Spread(site.key) % services.size()]},
         {"description", absl::StrCat(price.practice, ": one unit of work")},
         {"unit", price.unit},
         {"rate", {{"pence", std::to_string(site.ceiling_pence)}}}});
  }
  const int64_t cap = CapOf(lot_spec);
  if (cap > 0) site.ceiling_pence = std::min(site.ceiling_pence, cap);
  site.provider_name = absl::StrCat("Care provider ", row.provider_id);

  Json spec = {
      {"name", name},
      {"address",
       {{"postcode", absl::StrCat(row.postcode_district, " 1AA")}, {"town", row.local_authority}}},
      {"location", {{"latitude", row.latitude}, {"longitude", row.longitude}}},
      {"provision_types", {provision_type}},
      {"inspectorate", intervention ? "INSPECTORATE_NONE" : "INSPECTORATE_OFSTED"},
      {"age_min_years", site.age_min},
      {"age_max_years", site.age_max}};
  if (!intervention) {
    spec["inspectorate_ref"] = row.urn;
    spec["registered_places"] = std::max(row.capacity, 1);
  }
  if (site.genders == "male") spec["genders_accepted"] = {"GENDER_MALE"};
  if (site.genders == "female") spec["genders_accepted"] = {"GENDER_FEMALE"};
  const std::vector<std::string> specialisms = Codes(lot_spec.value("specialisms", Json()));
  if (!specialisms.empty()) {
    const size_t first = Spread(site.key) % specialisms.size();
    spec["specialism_codes"] = {specialisms[first], specialisms[(first + 1) % specialisms.size()]};
  }
  const std::vector<std::string> placement_types = Codes(lot_spec.value("placement_types", Json()));
  if (!placement_types.empty()) spec["placement_type_codes"] = placement_types;
  site.establishment_spec = spec;
  return site;
}

}  // namespace

absl::StatusOr<std::pair<double, double>> SystemCentre(const Json& config,
                                                       const std::vector<Authority>& authorities) {
  const std::string lead = config["system"]["spec"].value("lead_authority_id", "");
  double latitude = 0, longitude = 0;
  int found = 0;
  for (const Authority& authority : authorities) {
    const std::string id = AuthorityId(authority.name);
    if (id == lead) return std::make_pair(authority.latitude, authority.longitude);
    if (!lead.empty() && absl::StrContains(id, lead)) {
      latitude += authority.latitude;
      longitude += authority.longitude;
      ++found;
    }
  }
  if (found == 0) {
    return absl::NotFoundError(absl::StrCat("system.spec.lead_authority_id: ", lead,
                                            " is not among England's authorities"));
  }
  return std::make_pair(latitude / found, longitude / found);
}

absl::StatusOr<std::vector<DemoSite>> PlanSites(const Json& config,
                                                const qualification::tools::GeneratorInput& input,
                                                const std::vector<Establishment>& pool, int count,
                                                std::set<std::string>& taken) {
  const absl::StatusOr<std::pair<double, double>> centre = SystemCentre(config, input.authorities);
  if (!centre.ok()) return centre.status();
  const scoring::GeoPoint middle{centre->first, centre->second};

  // The pool, nearest first.
  std::vector<std::pair<double, const Establishment*>> by_distance;
  by_distance.reserve(pool.size());
  for (const Establishment& row : pool) {
    by_distance.emplace_back(scoring::HaversineMiles(middle, {row.latitude, row.longitude}), &row);
  }
  std::stable_sort(by_distance.begin(), by_distance.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });

  const Json& lots = config["lots"];
  if (lots.empty()) return absl::InvalidArgumentError("lots: the system has none");
  std::vector<DemoSite> sites;
  for (int i = 0; i < count; ++i) {
    const Json& lot_spec = lots[i % lots.size()]["spec"];
    const bool intervention = Buys(lot_spec, kIntervention);
    const Establishment* chosen = nullptr;
    for (const auto& [miles, row] : by_distance) {
      if (taken.count(row->establishment_id) > 0) continue;
      const std::string type = ProvisionTypeOf(row->type);
      if (intervention ? !type.empty() : (type.empty() || !Buys(lot_spec, type))) continue;
      chosen = row;
      break;
    }
    if (chosen == nullptr) {
      return absl::NotFoundError(absl::StrCat("lot ", lot_spec.value("code", ""),
                                              ": the generated pool has no establishment left "
                                              "of a type it buys"));
    }
    taken.insert(chosen->establishment_id);
    sites.push_back(SiteOf(*chosen, lot_spec));
  }
  return sites;
}

ReferralPlace PlaceReferral(const std::vector<DemoSite>& sites, const std::string& lot_code,
                            double radius_miles) {
  std::vector<const DemoSite*> in_lot;
  for (const DemoSite& site : sites) {
    if (site.lot_code == lot_code) in_lot.push_back(&site);
  }
  ReferralPlace place;
  if (in_lot.empty()) return place;
  // Sites are planned nearest to the system's centre first, so the first is the nearest.
  const DemoSite& nearest = *in_lot.front();
  place.postcode_district = nearest.postcode_district;
  const scoring::GeoPoint from{nearest.latitude, nearest.longitude};
  for (const char* gender : {"GENDER_MALE", "GENDER_FEMALE"}) {
    for (int age = 8; age <= 16; ++age) {
      int reach = 0;
      for (const DemoSite* site : in_lot) {
        const bool accepts_gender =
            site->genders == "mixed" ||
            site->genders == (std::string(gender) == "GENDER_MALE" ? "male" : "female");
        if (accepts_gender && site->age_min <= age && age <= site->age_max &&
            scoring::HaversineMiles(from, {site->latitude, site->longitude}) <= radius_miles) {
          ++reach;
        }
      }
      if (reach > place.establishments_in_reach) {
        place = {nearest.postcode_district, age, gender, reach};
      }
    }
  }
  return place;
}

std::pair<size_t, size_t> MostAlike(const std::vector<const DemoSite*>& sites, double latitude,
                                    double longitude) {
  const scoring::GeoPoint from{latitude, longitude};
  std::vector<int> bands;
  for (const DemoSite* site : sites) {
    bands.push_back(
        scoring::LocationBand(scoring::HaversineMiles(from, {site->latitude, site->longitude})));
  }
  std::pair<size_t, size_t> best{0, 1};
  int least = -1;
  for (size_t a = 0; a < sites.size(); ++a) {
    for (size_t b = a + 1; b < sites.size(); ++b) {
      const int difference =
          std::abs(sites[a]->score - sites[b]->score) + std::abs(bands[a] - bands[b]) * 10;
      if (least < 0 || difference < least) {
        least = difference;
        best = {a, b};
      }
    }
  }
  return best;
}

}  // namespace dps::demo
