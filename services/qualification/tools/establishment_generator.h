// A realistic, deterministic data set of establishments for load tests, benchmarks and the demo.
//
// Offers GenerateEstablishments(): real public data in (Ofsted's provider file, England's councils,
// postcode districts; see data/README.md), N establishments out, the same N for the same seed.
// The data set is "grown" from the real file rather than invented: each generated establishment
// copies a real provider row's type, council, places and ownership group, so the mix of types,
// where they are, how many each owner runs and how they are rated match England's. What Ofsted does
// not publish (ages, genders, specialisms, fees, qualification scores, day special schools) is
// drawn from per-type ranges stated in the .cc. Every name, id and URN is synthetic.
//
//   absl::StatusOr<GeneratorInput> input = LoadGeneratorInput("data");
//   absl::StatusOr<std::vector<Establishment>> rows =
//       GenerateEstablishments(*input, {.count = 20000, .seed = 42});
//   WriteEstablishmentsCsv(*rows, std::cout);
#ifndef DPS_SERVICES_QUALIFICATION_TOOLS_ESTABLISHMENT_GENERATOR_H_
#define DPS_SERVICES_QUALIFICATION_TOOLS_ESTABLISHMENT_GENERATOR_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/qualification/ratings/rating.h"
#include "services/qualification/tools/reference_data.h"

namespace dps::qualification::tools {

// The kinds of placement the purchasing systems buy (docs/rules.md section 1), as generated.
enum class EstablishmentType {
  kChildrensHome,
  kShortBreaks,
  kSupportedAccommodation,
  kIndependentFosteringAgency,
  kResidentialSpecialSchool,
  kSpecialSchool,  // independent or non-maintained day special school
  kCollege,        // specialist further education with residential accommodation
};
inline constexpr int kEstablishmentTypeCount = 7;

// "childrens_home", "short_breaks", "supported_accommodation", "ifa",
// "residential_special_school", "special_school", "college".
absl::string_view EstablishmentTypeName(EstablishmentType type);

struct Establishment {
  std::string establishment_id;  // EST-000001
  std::string provider_id;       // PRV-00001: establishments of one owner share it
  std::string name;
  EstablishmentType type = EstablishmentType::kChildrensHome;
  std::string inspectorate;  // Ofsted or ISI
  std::string urn;           // synthetic: 9000001 upwards, above every real Ofsted URN
  std::string local_authority;
  std::string postcode_district;
  double latitude = 0;
  double longitude = 0;
  int min_age = 0;
  int max_age = 0;
  std::string genders;  // mixed, male or female
  int capacity = 0;
  std::vector<std::string> specialisms;
  // outstanding, good, requires_improvement, inadequate, not_inspected; supported accommodation
  // uses its own scale: consistently_strong, inconsistent, serious_weaknesses, not_inspected.
  std::string rating;
  int64_t ceiling_fee_pence = 0;  // weekly
  int qualification_score = 0;    // 0-100
};

struct GeneratorInput {
  ratings::RatingFile ofsted;
  std::vector<Authority> authorities;
  std::vector<PostcodeDistrict> districts;  // England, active
};

// Reads data/ofsted/providers_at_2025-03-31.csv and the two geo files under `data_dir`.
absl::StatusOr<GeneratorInput> LoadGeneratorInput(const std::string& data_dir);

struct GeneratorOptions {
  int count = 20000;
  uint64_t seed = 1;
};

// Generates `options.count` establishments. Deterministic: the same input, count and seed give the
// same rows on any platform (own integer-based sampling, no std::*_distribution, whose output the
// standard leaves to each library). InvalidArgument if the count is not positive or the input has
// no usable provider rows.
absl::StatusOr<std::vector<Establishment>> GenerateEstablishments(const GeneratorInput& input,
                                                                  const GeneratorOptions& options);

// Writes a header line and one RFC 4180 line per establishment, columns in the order of
// `Establishment`'s fields; specialisms are joined with ';', coordinates have 5 decimals (~1 m).
void WriteEstablishmentsCsv(const std::vector<Establishment>& establishments, std::ostream& out);

}  // namespace dps::qualification::tools

#endif  // DPS_SERVICES_QUALIFICATION_TOOLS_ESTABLISHMENT_GENERATOR_H_
