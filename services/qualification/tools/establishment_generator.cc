#include "services/qualification/tools/establishment_generator.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <random>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/qualification/ratings/ofsted_csv.h"

namespace dps::qualification::tools {
namespace {

using ratings::ProvisionType;
using ratings::RatingRecord;

// Day special schools are inspected under education, not social care, so Ofsted's file has none.
// England has roughly 700-800 independent and non-maintained special schools against ~5,400
// providers of the kinds generated here (DfE, Get Information About Schools): about 12%.
constexpr double kSpecialSchoolShare = 0.12;
// Of those schools, the share inspected by the Independent Schools Inspectorate (the rest: Ofsted).
constexpr double kIsiShare = 0.2;
// How far an establishment is moved from its district's centre (degrees; ~2 km either way).
constexpr double kJitterLatitude = 0.018;
constexpr double kJitterLongitude = 0.028;

// Deterministic sampling. std::mt19937_64's sequence is fixed by the standard; the conversions to
// doubles and ranges are ours, because std::uniform_*_distribution differ between libraries.
class Random final {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}

  // [0, 1)
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  // [lo, hi]
  int Between(int lo, int hi) {
    return lo + std::min(hi - lo, static_cast<int>(Uniform() * (hi - lo + 1)));
  }
  bool Chance(double p) { return Uniform() < p; }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Between(0, static_cast<int>(items.size()) - 1)];
  }
  // An index drawn in proportion to the weights whose running totals are `cumulative`.
  size_t Weighted(const std::vector<double>& cumulative) {
    const double target = Uniform() * cumulative.back();
    auto it = std::upper_bound(cumulative.begin(), cumulative.end(), target);
    return std::min(static_cast<size_t>(it - cumulative.begin()), cumulative.size() - 1);
  }

 private:
  std::mt19937_64 engine_;
};

// What Ofsted does not publish, per type. Fees are weekly, in pounds; ranges are inclusive.
struct TypeProfile {
  std::vector<int> min_ages;
  std::vector<int> max_ages;
  double male_only_share;
  double female_only_share;
  int capacity_lo;  // used when the copied row has no places (agencies, day schools)
  int capacity_hi;
  int fee_lo_pounds;
  int fee_hi_pounds;
  int max_specialisms;
  std::vector<std::string> specialisms;
  std::vector<std::string> name_endings;
};

const TypeProfile& ProfileOf(EstablishmentType type) {
  static const auto* profiles = new std::map<EstablishmentType, TypeProfile>{
      {EstablishmentType::kChildrensHome,
       {{5, 7, 8, 10, 11, 12},
        {17, 17, 17, 18},
        0.12,
        0.10,
        1,
        6,
        4000,
        9000,
        3,
        {"emotional-behavioural", "cse-risk", "autism", "learning-disability", "mental-health",
         "solo-placement", "therapeutic", "trauma-informed", "complex-needs",
         "step-down-from-secure", "missing-from-care"},
        {"House", "Lodge", "Cottage", "Grange", "Barn", "Villa"}}},
      {EstablishmentType::kShortBreaks,
       {{5, 6, 8},
        {17, 18, 19},
        0,
        0,
        3,
        10,
        2500,
        6000,
        3,
        {"learning-disability", "autism", "physical-disability", "complex-health",
         "sensory-impairment", "wheelchair-access"},
        {"House", "Lodge", "Short Breaks"}}},
      {EstablishmentType::kSupportedAccommodation,
       {{16},
        {17},
        0.10,
        0.10,
        2,
        20,
        800,
        3000,
        2,
        {"independence-skills", "uasc", "care-leavers", "young-parents", "mental-health",
         "substance-misuse"},
        {"Court", "Place", "Rooms", "House"}}},
      {EstablishmentType::kIndependentFosteringAgency,
       {{0},
        {17, 17, 17, 18},
        0,
        0,
        15,
        250,
        800,
        1500,
        4,
        {"parent-and-child", "sibling-groups", "therapeutic-fostering", "disability", "uasc",
         "remand", "emergency", "permanence", "step-down-from-residential", "teenagers"},
        {"Fostering", "Foster Care", "Family Placements"}}},
      {EstablishmentType::kResidentialSpecialSchool,
       {{7, 8, 9, 10, 11},
        {16, 18, 19},
        0.15,
        0.03,
        8,
        60,
        3500,
        8000,
        3,
        {"autism", "semh", "mld", "sld", "pmld", "slcn", "complex-health", "sensory-impairment",
         "52-week"},
        {"School"}}},
      {EstablishmentType::kSpecialSchool,
       {{4, 5, 7, 11},
        {11, 16, 18, 19},
        0.10,
        0.03,
        20,
        150,
        1000,
        3500,
        3,
        {"autism", "semh", "mld", "sld", "pmld", "slcn", "spld", "hearing-impairment",
         "visual-impairment", "physical-disability"},
        {"School", "Academy", "Learning Centre"}}},
      {EstablishmentType::kCollege,
       {{16},
        {19, 24, 25},
        0,
        0,
        20,
        200,
        1500,
        4500,
        3,
        {"autism", "sld", "pmld", "independence-skills", "supported-internships", "complex-health"},
        {"College"}}},
  };
  return profiles->at(type);
}

// The types the purchasing systems buy; secure, adoption, family-centre and boarding provision is
// bought in other ways and is left out.
std::optional<EstablishmentType> TypeOf(const RatingRecord& record) {
  switch (record.provision_type) {
    case ProvisionType::kChildrensHome:
      return record.short_breaks_only ? EstablishmentType::kShortBreaks
                                      : EstablishmentType::kChildrensHome;
    case ProvisionType::kResidentialHolidayScheme:
      return EstablishmentType::kShortBreaks;
    case ProvisionType::kSupportedAccommodation:
      return EstablishmentType::kSupportedAccommodation;
    case ProvisionType::kIndependentFosteringAgency:
      return EstablishmentType::kIndependentFosteringAgency;
    case ProvisionType::kResidentialSpecialSchool:
    case ProvisionType::kResidentialSpecialSchoolChildrensHome:
      return EstablishmentType::kResidentialSpecialSchool;
    case ProvisionType::kFurtherEducationCollege:
      return EstablishmentType::kCollege;
    default:
      return std::nullopt;
  }
}

// A real provider row to copy, with what it resolved to.
struct Template {
  const RatingRecord* record;
  EstablishmentType type;
  int authority;
  int district;  // -1 when the postcode is redacted or unknown
  bool council_run;
};

// Running totals of weights, for Random::Weighted.
struct Distribution {
  std::vector<std::string> values;
  std::vector<double> cumulative;

  void Add(std::string value, double weight) {
    values.push_back(std::move(value));
    cumulative.push_back((cumulative.empty() ? 0 : cumulative.back()) + weight);
  }
};

std::string RatingOf(const RatingRecord& record, EstablishmentType type) {
  if (type == EstablishmentType::kSupportedAccommodation) {
    return record.supported_accommodation_outcome == ratings::SupportedAccommodationOutcome::kNone
               ? "not_inspected"
               : std::string(ratings::SupportedAccommodationOutcomeName(
                     record.supported_accommodation_outcome));
  }
  return std::string(ratings::OverallRatingName(record.overall));
}

// Where an establishment's rating puts it in its type's fee range, and its qualification score:
// better-rated providers charge, and score, a little more.
double RatingStanding(absl::string_view rating) {
  if (rating == "outstanding" || rating == "consistently_strong") return 1.0;
  if (rating == "good") return 0.65;
  if (rating == "requires_improvement" || rating == "inconsistent") return 0.35;
  if (rating == "inadequate" || rating == "serious_weaknesses") return 0.1;
  return 0.5;
}

double SquaredDistance(double lat1, double lon1, double lat2, double lon2) {
  // Equirectangular: plenty to find the nearest council centre within England.
  const double x = (lon2 - lon1) * std::cos((lat1 + lat2) * 0.5 * M_PI / 180.0);
  const double y = lat2 - lat1;
  return x * x + y * y;
}

class Generator final {
 public:
  Generator(const GeneratorInput& input, const GeneratorOptions& options)
      : input_(input), options_(options), random_(options.seed) {}

  absl::StatusOr<std::vector<Establishment>> Run() {
    if (options_.count <= 0) return absl::InvalidArgumentError("count must be positive");
    IndexGeography();
    CollectTemplates();
    if (templates_.empty()) {
      return absl::InvalidArgumentError("no Ofsted rows of a generated type in a known council");
    }
    std::vector<std::vector<int>> groups = OwnerGroups();
    // Special schools ride along with privately run providers (groups that run homes often run
    // schools too); this chance per copied row makes them kSpecialSchoolShare of the output.
    const double independent_share =
        static_cast<double>(std::count_if(templates_.begin(), templates_.end(),
                                          [](const Template& t) { return !t.council_run; })) /
        templates_.size();
    const double special_chance =
        kSpecialSchoolShare / ((1 - kSpecialSchoolShare) * independent_share);

    std::vector<Establishment> out;
    out.reserve(options_.count);
    const auto full = [&] { return static_cast<int>(out.size()) >= options_.count; };
    for (int cycle = 0; !full(); ++cycle) {
      for (const std::vector<int>& group : groups) {
        if (full()) break;
        const std::string provider_id = absl::StrFormat("PRV-%05d", ++provider_count_);
        for (int index : group) {
          if (full()) break;
          const Template& t = templates_[index];
          out.push_back(Make(t, t.type, provider_id, cycle, out.size()));
          if (!t.council_run && !full() && random_.Chance(special_chance)) {
            out.push_back(
                Make(t, EstablishmentType::kSpecialSchool, provider_id, cycle, out.size()));
          }
        }
      }
    }
    return out;
  }

 private:
  // Gives each English district to the council whose centre is nearest: a stand-in for the
  // district-to-council look-up, which the data folder does not carry, good enough to scatter a
  // redacted children's home over its council's area.
  void IndexGeography() {
    for (size_t i = 0; i < input_.authorities.size(); ++i) {
      authority_by_key_[AuthorityKey(input_.authorities[i].name)] = static_cast<int>(i);
    }
    for (size_t i = 0; i < input_.districts.size(); ++i) {
      district_by_code_[input_.districts[i].district] = static_cast<int>(i);
    }
    districts_of_authority_.assign(input_.authorities.size(), {});
    for (size_t d = 0; d < input_.districts.size(); ++d) {
      districts_of_authority_[NearestAuthority(input_.districts[d].latitude,
                                               input_.districts[d].longitude)]
          .push_back(static_cast<int>(d));
    }
    // A council too small to win a district (the City of London) gets its nearest one.
    for (size_t a = 0; a < input_.authorities.size(); ++a) {
      if (!districts_of_authority_[a].empty() || input_.districts.empty()) continue;
      int best = 0;
      for (size_t d = 1; d < input_.districts.size(); ++d) {
        if (Distance(a, d) < Distance(a, best)) best = static_cast<int>(d);
      }
      districts_of_authority_[a].push_back(best);
    }
    district_weights_.resize(input_.authorities.size());
    for (size_t a = 0; a < input_.authorities.size(); ++a) {
      for (int d : districts_of_authority_[a]) {
        // Busier districts (more postcodes) get more establishments, as people live there.
        district_weights_[a].push_back(
            (district_weights_[a].empty() ? 0 : district_weights_[a].back()) +
            input_.districts[d].active_postcodes);
      }
    }
  }

  double Distance(size_t authority, size_t district) const {
    return SquaredDistance(
        input_.authorities[authority].latitude, input_.authorities[authority].longitude,
        input_.districts[district].latitude, input_.districts[district].longitude);
  }

  size_t NearestAuthority(double latitude, double longitude) const {
    size_t best = 0;
    double best_distance = 1e300;
    for (size_t a = 0; a < input_.authorities.size(); ++a) {
      const double d = SquaredDistance(latitude, longitude, input_.authorities[a].latitude,
                                       input_.authorities[a].longitude);
      if (d < best_distance) {
        best_distance = d;
        best = a;
      }
    }
    return best;
  }

  void CollectTemplates() {
    std::map<EstablishmentType, std::map<std::string, int>> ratings;
    for (const RatingRecord& record : input_.ofsted.records) {
      std::optional<EstablishmentType> type = TypeOf(record);
      if (!type) continue;
      auto authority = authority_by_key_.find(AuthorityKey(record.local_authority));
      if (authority == authority_by_key_.end()) continue;  // Welsh councils
      auto district = district_by_code_.find(record.postcode_district);
      templates_.push_back({&record, *type, authority->second,
                            district == district_by_code_.end() ? -1 : district->second,
                            record.sector == "Local Authority"});
      ++ratings[*type][RatingOf(record, *type)];
    }
    // Day special schools are rated like the residential ones, the nearest type Ofsted publishes.
    ratings[EstablishmentType::kSpecialSchool] =
        ratings[EstablishmentType::kResidentialSpecialSchool];
    for (const auto& [type, counts] : ratings) {
      for (const auto& [rating, count] : counts) rating_by_type_[type].Add(rating, count);
    }
  }

  // Copied rows grouped by owning organisation, in a seeded order, so a generated provider runs
  // as many establishments as a real one.
  std::vector<std::vector<int>> OwnerGroups() {
    std::map<std::string, std::vector<int>> by_owner;
    for (size_t i = 0; i < templates_.size(); ++i) {
      const RatingRecord& record = *templates_[i].record;
      by_owner[record.owner.empty() ? absl::StrCat("urn:", record.urn)
                                    : absl::AsciiStrToLower(record.owner)]
          .push_back(static_cast<int>(i));
    }
    std::vector<std::vector<int>> groups;
    for (auto& [owner, members] : by_owner) groups.push_back(std::move(members));
    for (size_t i = groups.size(); i > 1; --i) {  // Fisher-Yates with our own sampling
      std::swap(groups[i - 1], groups[random_.Between(0, static_cast<int>(i) - 1)]);
    }
    return groups;
  }

  Establishment Make(const Template& t, EstablishmentType type, const std::string& provider_id,
                     int cycle, size_t index) {
    const TypeProfile& profile = ProfileOf(type);
    const Authority& authority = input_.authorities[t.authority];
    Establishment e;
    e.establishment_id = absl::StrFormat("EST-%06d", index + 1);
    e.provider_id = provider_id;
    e.type = type;
    e.name = absl::StrCat(random_.Pick(FirstParts()), random_.Pick(SecondParts()), " ",
                          random_.Pick(profile.name_endings));
    e.inspectorate =
        type == EstablishmentType::kSpecialSchool && random_.Chance(kIsiShare) ? "ISI" : "Ofsted";
    e.urn = absl::StrCat(9000001 + index);
    e.local_authority = authority.name;

    // The first copy of a provider with a public postcode stays in its real district; redacted
    // ones, and later copies, go to a district of the same council.
    int district = t.district;
    if (cycle > 0 || type != t.type || district < 0) {
      const std::vector<int>& own = districts_of_authority_[t.authority];
      district = own[random_.Weighted(district_weights_[t.authority])];
    }
    const PostcodeDistrict& where = input_.districts[district];
    e.postcode_district = where.district;
    e.latitude = where.latitude + (random_.Uniform() * 2 - 1) * kJitterLatitude;
    e.longitude = where.longitude + (random_.Uniform() * 2 - 1) * kJitterLongitude;

    e.min_age = random_.Pick(profile.min_ages);
    e.max_age = random_.Pick(profile.max_ages);
    // A primary-only school age (11) drawn for a school taking from 11 becomes all-through.
    if (e.max_age <= e.min_age) e.max_age = std::max(e.min_age + 1, profile.max_ages.back());
    const double sex = random_.Uniform();
    e.genders = sex < profile.male_only_share                               ? "male"
                : sex < profile.male_only_share + profile.female_only_share ? "female"
                                                                            : "mixed";
    if (type == t.type && t.record->places.value_or(0) > 0) {
      e.capacity = *t.record->places;
    } else {
      // Skewed towards the small end, as most agencies and schools are small.
      const double u = random_.Uniform();
      e.capacity = profile.capacity_lo +
                   static_cast<int>(u * u * (profile.capacity_hi - profile.capacity_lo + 1));
    }
    e.specialisms = PickSpecialisms(profile);

    const Distribution& ratings = rating_by_type_.at(type);
    e.rating = ratings.values[random_.Weighted(ratings.cumulative)];
    const double standing = RatingStanding(e.rating);
    // Single-bed and two-bed homes cost most per child.
    const double small_home = type == EstablishmentType::kChildrensHome && e.capacity <= 2 ? 1 : 0;
    const double position =
        std::clamp(0.6 * random_.Uniform() + 0.25 * standing + 0.15 * small_home, 0.0, 1.0);
    const int pounds = profile.fee_lo_pounds +
                       static_cast<int>(position * (profile.fee_hi_pounds - profile.fee_lo_pounds));
    e.ceiling_fee_pence =
        std::clamp((pounds + 2) / 5 * 5, profile.fee_lo_pounds, profile.fee_hi_pounds) *
        int64_t{100};
    e.qualification_score = std::clamp(
        static_cast<int>(std::lround(40 + 45 * standing + (random_.Uniform() * 2 - 1) * 12)), 0,
        100);
    return e;
  }

  std::vector<std::string> PickSpecialisms(const TypeProfile& profile) {
    std::vector<int> order(profile.specialisms.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    const int n = random_.Between(1, std::min<int>(profile.max_specialisms, order.size()));
    for (int i = 0; i < n; ++i) {
      std::swap(order[i], order[random_.Between(i, static_cast<int>(order.size()) - 1)]);
    }
    std::sort(order.begin(), order.begin() + n);
    std::vector<std::string> picked;
    for (int i = 0; i < n; ++i) picked.push_back(profile.specialisms[order[i]]);
    return picked;
  }

  static const std::vector<std::string>& FirstParts() {
    static const auto* parts = new std::vector<std::string>{
        "Oak",   "Ash",   "Beech", "Birch",   "Elm",    "Willow",  "Cedar",  "Holly",   "Rowan",
        "Hazel", "Maple", "Brook", "Meadow",  "Fern",   "Heather", "Lark",   "Kestrel", "Orchard",
        "River", "Hill",  "Moor",  "Vale",    "Glen",   "Haven",   "Stone",  "Green",   "Fox",
        "Swan",  "Thorn", "Mill",  "Bramble", "Clover", "Spring",  "Church", "Park",    "Lake"};
    return *parts;
  }
  static const std::vector<std::string>& SecondParts() {
    static const auto* parts = new std::vector<std::string>{
        "field", "wood", "dale",  "brook", "side",  "view", "lea",  "mead",  "croft",
        "gate",  "bank", "hurst", "ley",   "ridge", "well", "ford", "holme", "stead"};
    return *parts;
  }

  const GeneratorInput& input_;
  const GeneratorOptions& options_;
  Random random_;
  absl::flat_hash_map<std::string, int> authority_by_key_;
  absl::flat_hash_map<std::string, int> district_by_code_;
  std::vector<std::vector<int>> districts_of_authority_;
  std::vector<std::vector<double>> district_weights_;
  std::vector<Template> templates_;
  std::map<EstablishmentType, Distribution> rating_by_type_;
  int provider_count_ = 0;
};

// RFC 4180: quote a field only when it holds a separator, quote or line break.
std::string CsvField(absl::string_view value) {
  if (value.find_first_of(",\"\r\n") == absl::string_view::npos) return std::string(value);
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

}  // namespace

absl::string_view EstablishmentTypeName(EstablishmentType type) {
  switch (type) {
    case EstablishmentType::kChildrensHome:
      return "childrens_home";
    case EstablishmentType::kShortBreaks:
      return "short_breaks";
    case EstablishmentType::kSupportedAccommodation:
      return "supported_accommodation";
    case EstablishmentType::kIndependentFosteringAgency:
      return "ifa";
    case EstablishmentType::kResidentialSpecialSchool:
      return "residential_special_school";
    case EstablishmentType::kSpecialSchool:
      return "special_school";
    case EstablishmentType::kCollege:
      return "college";
  }
  return "unknown";
}

absl::StatusOr<GeneratorInput> LoadGeneratorInput(const std::string& data_dir) {
  GeneratorInput input;
  absl::StatusOr<ratings::RatingFile> ofsted =
      ratings::ReadOfstedCsvFile(absl::StrCat(data_dir, "/ofsted/providers_at_2025-03-31.csv"));
  if (!ofsted.ok()) return ofsted.status();
  input.ofsted = *std::move(ofsted);
  absl::StatusOr<std::vector<Authority>> authorities =
      LoadAuthorities(absl::StrCat(data_dir, "/geo/england_upper_tier_authorities.csv"));
  if (!authorities.ok()) return authorities.status();
  input.authorities = *std::move(authorities);
  absl::StatusOr<std::vector<PostcodeDistrict>> districts =
      LoadEnglishPostcodeDistricts(absl::StrCat(data_dir, "/geo/postcode_districts.csv"));
  if (!districts.ok()) return districts.status();
  input.districts = *std::move(districts);
  if (input.authorities.empty() || input.districts.empty()) {
    return absl::InvalidArgumentError("no authorities or no English postcode districts");
  }
  return input;
}

absl::StatusOr<std::vector<Establishment>> GenerateEstablishments(const GeneratorInput& input,
                                                                  const GeneratorOptions& options) {
  return Generator(input, options).Run();
}

void WriteEstablishmentsCsv(const std::vector<Establishment>& establishments, std::ostream& out) {
  out << "establishment_id,provider_id,name,type,inspectorate,urn,local_authority,"
         "postcode_district,latitude,longitude,min_age,max_age,genders,capacity,specialisms,"
         "rating,ceiling_fee_pence,qualification_score\n";
  for (const Establishment& e : establishments) {
    out << absl::StrJoin(
               {e.establishment_id, e.provider_id, CsvField(e.name),
                std::string(EstablishmentTypeName(e.type)), e.inspectorate, e.urn,
                CsvField(e.local_authority), e.postcode_district,
                absl::StrFormat("%.5f", e.latitude), absl::StrFormat("%.5f", e.longitude),
                absl::StrCat(e.min_age), absl::StrCat(e.max_age), e.genders,
                absl::StrCat(e.capacity), CsvField(absl::StrJoin(e.specialisms, ";")), e.rating,
                absl::StrCat(e.ceiling_fee_pence), absl::StrCat(e.qualification_score)},
               ",")
        << "\n";
  }
}

}  // namespace dps::qualification::tools
