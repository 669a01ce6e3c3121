// What the demo puts into each of the five seed systems, decided before any call is made: which
// establishments (grown from Ofsted's register by the establishment generator) join which lot,
// near which council, at what fee, and where and for whom each demo referral is placed.
//
// Pure: configuration and generated rows in, plans out. The same input gives the same plan, so a
// second `./dps up` sends the same requests under the same idempotency keys.
//
//   std::set<std::string> taken;
//   std::vector<DemoSite> sites = PlanSites(config, input, pool, 50, taken);
//   ReferralPlace place = PlaceReferral(sites, "RES", input.districts);
#ifndef DPS_TOOLS_DEMO_DEMO_PLAN_H_
#define DPS_TOOLS_DEMO_DEMO_PLAN_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/qualification/tools/establishment_generator.h"

namespace dps::demo {

// One establishment as the demo enters it, in one lot of one system.
struct DemoSite {
  std::string provider_id;    // the owner's organisation id (its users' token organisation)
  std::string provider_name;  // registered name
  std::string key;            // the generated establishment's id, for idempotency keys
  std::string lot_code;
  nlohmann::json establishment_spec;  // an EstablishmentSpec in the proto3 JSON mapping
  nlohmann::json rate_card;           // RateCardEntry array; empty for most lots
  int64_t ceiling_pence = 0;          // weekly ceiling (or indicative) fee, or per unit
  int score = 0;                      // every method statement's score, 0-100
  std::string postcode_district;
  double latitude = 0;
  double longitude = 0;
  int age_min = 0;
  int age_max = 0;
  std::string genders;  // mixed, male or female
};

// The centre the system's establishments are chosen around: its lead authority's centroid (or,
// for a lead authority that no longer exists as one council, such as Northamptonshire, the
// councils whose names contain it). NOT_FOUND when no authority of the system is known.
absl::StatusOr<std::pair<double, double>> SystemCentre(
    const nlohmann::json& config, const std::vector<qualification::tools::Authority>& authorities);

// Chooses `count` establishments for the system in `config` (a data/systems/*.json file), spread
// over its lots in turn, each the nearest to the system's centre of a type the lot buys that no
// earlier plan has `taken` (the set is updated). Intervention lots (no generated type) take the
// nearest rows of any type as practices with no inspectorate, priced per assessment, session or
// test. Fees respect the lot's affordability cap; specialisms and placement types come from the
// lot's own vocabulary.
absl::StatusOr<std::vector<DemoSite>> PlanSites(
    const nlohmann::json& config, const qualification::tools::GeneratorInput& input,
    const std::vector<qualification::tools::Establishment>& pool, int count,
    std::set<std::string>& taken);

// Where and for whom a lot's demo referrals are placed: the district of the lot's establishment
// nearest the system's centre, and the age and gender that most of the lot's establishments within
// `radius_miles` of it accept.
struct ReferralPlace {
  std::string postcode_district;
  int age_years = 12;
  std::string gender = "GENDER_MALE";
  int establishments_in_reach = 0;
};
ReferralPlace PlaceReferral(const std::vector<DemoSite>& sites, const std::string& lot_code,
                            double radius_miles);

// Of `sites` (two at least), the indexes of the two whose bids the scoring engine would rank
// closest for a child at `from`: the least difference of qualification score (core competency)
// plus location band. For the family's choice between near-equal bids.
std::pair<size_t, size_t> MostAlike(const std::vector<const DemoSite*>& sites, double latitude,
                                    double longitude);

}  // namespace dps::demo

#endif  // DPS_TOOLS_DEMO_DEMO_PLAN_H_
