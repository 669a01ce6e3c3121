// What the register checks of an establishment a provider registers or changes (a children's
// home, a foster agency's office, a school, an intervention service): it is named and placed, its
// ages and places make sense, its codes follow the product's one code rule, and it has an
// inspectorate unless all it offers is regulated elsewhere.
#ifndef DPS_SERVICES_QUALIFICATION_DOMAIN_ESTABLISHMENT_H_
#define DPS_SERVICES_QUALIFICATION_DOMAIN_ESTABLISHMENT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/qualification/domain/inspection_rating.h"

namespace dps::qualification {

// The oldest a child or young person placed may be: care leavers are supported to 25.
inline constexpr int kOldestPlacedAge = 25;

// An establishment as its provider describes it, as far as the rules read it.
struct EstablishmentDraft {
  std::string name;
  std::string postcode;
  double latitude = 0;  // WGS84 degrees; 0, 0 is no place given
  double longitude = 0;
  int age_min_years = 0;
  int age_max_years = 0;
  int registered_places = 0;
  std::vector<std::string> specialism_codes;
  std::vector<std::string> placement_type_codes;
  Inspectorate inspectorate = Inspectorate::kUnspecified;
  std::string inspectorate_ref;  // e.g. an Ofsted URN
  // Every provision type it offers is a bespoke intervention (therapy, assessment), regulated
  // elsewhere; false when it names none.
  bool interventions_only = false;
};

// The first rule the draft breaks, as InvalidArgument naming the field under `path`, e.g.
//   spec.location.latitude: must be -90 to 90, got 91
// in this order: a name; a postcode (address.postcode); a place (location.latitude -90 to 90,
// location.longitude -180 to 180, not both 0); age_min_years 0 to 25, age_max_years from it to
// 25; registered_places not negative; each of specialism_codes and placement_type_codes by the
// code rule (platform/codes/codes.h), so a code registered here is one a referral can ask for;
// an inspectorate; and INSPECTORATE_NONE only for interventions alone, then with no
// inspectorate_ref (care and education are inspected).
absl::Status CheckEstablishment(const EstablishmentDraft& draft, absl::string_view path);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_DOMAIN_ESTABLISHMENT_H_
