// What the register checks of an establishment a provider registers or changes (a children's
// home, a foster agency's office, a school, an intervention service): it is named and placed, its
// ages and places make sense, its codes follow the product's one code rule, and it has an
// inspectorate unless all it offers is regulated elsewhere.
#ifndef DPS_SERVICES_QUALIFICATION_DOMAIN_ESTABLISHMENT_H_
#define DPS_SERVICES_QUALIFICATION_DOMAIN_ESTABLISHMENT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/qualification/domain/inspection_rating.h"
#include "services/qualification/domain/provider.h"

namespace dps::qualification {

// The oldest a child or young person placed may be: care leavers are supported to 25.
inline constexpr int kOldestPlacedAge = 25;

// What an establishment offers (the register's provision types).
enum class ProvisionType {
  kUnspecified,
  kInmss,              // independent or non-maintained special school
  kSpecialistCollege,  // independent specialist post-16 college
  kFostering,          // independent fostering agency
  kResidentialHome,    // children's residential home
  kShortBreaks,
  kAlternativeEducation,
  kSupportedAccommodation,  // 16+
  kBespokeIntervention,     // therapies, assessments, testing: regulated elsewhere
};

// A child's gender as a placing authority records it; an establishment lists those it takes.
enum class Gender { kUnspecified, kMale, kFemale, kOther };

// What a provider says of an establishment, and may change.
struct EstablishmentDetails {
  std::string name;
  PostalAddress address;
  double latitude = 0;  // WGS84 degrees, where distance to a child is measured from; 0, 0 is none
  double longitude = 0;
  std::vector<ProvisionType> provision_types;
  Inspectorate inspectorate = Inspectorate::kUnspecified;
  std::string inspectorate_ref;          // e.g. an Ofsted URN
  std::string dfe_number;                // DfE registration (schools)
  int age_min_years = 0;                 // youngest accepted, inclusive
  int age_max_years = 0;                 // oldest accepted, inclusive
  std::vector<Gender> genders_accepted;  // empty: every gender
  std::vector<std::string> specialism_codes;
  std::vector<std::string> placement_type_codes;
  int registered_places = 0;
  std::vector<Contact> contacts;
};

struct Establishment {
  std::string id;
  std::string provider_id;
  EstablishmentDetails details;
  int64_t version = 0;  // raised by each save
};

// Whether every provision type the establishment offers is a bespoke intervention (regulated
// elsewhere, so it may have no inspectorate); false when it names none.
bool OffersInterventionsOnly(const EstablishmentDetails& details);

// The first rule the details break, as InvalidArgument naming the field under `path`, e.g.
//   spec.location.latitude: must be -90 to 90, got 91
// in this order: a name; a postcode (address.postcode); a place (location.latitude -90 to 90,
// location.longitude -180 to 180, not both 0); age_min_years 0 to 25, age_max_years from it to
// 25; registered_places not negative; each of specialism_codes and placement_type_codes by the
// code rule (platform/codes/codes.h), so a code registered here is one a referral can ask for;
// an inspectorate; and INSPECTORATE_NONE only for interventions alone, then with no
// inspectorate_ref (care and education are inspected).
absl::Status CheckEstablishment(const EstablishmentDetails& details, absl::string_view path);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_DOMAIN_ESTABLISHMENT_H_
