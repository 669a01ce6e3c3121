// The anonymised child of a referral, direct award or block call-off (docs/rules.md section 2): age
// in whole years, gender and the postcode district, never a name, date of birth, full postcode or
// case reference. What can be checked mechanically is checked here:
//   - a location is an outward code ("RH12"), so a full postcode ("RH12 1AB") is refused;
//   - a child's key is a short label ("child-1"), never a name or a case reference;
//   - free text a provider will read (descriptions, outcomes sought, reasons) goes through
//     platform/text/child_identity.h (ValidateText in shared.h): no full postcode, full date,
//     case number or phone number.
// Names cannot be recognised reliably in free text; the API reference tells authors what not to
// write.

#ifndef DPS_SERVICES_REFERRAL_DOMAIN_CHILD_H_
#define DPS_SERVICES_REFERRAL_DOMAIN_CHILD_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace dps::referral {

// Where a child is placed from, as far as anyone outside the placing authority learns it: the
// centroid of the postcode district (geo/postcode_districts.h holds every district's).
struct Centroid {
  double latitude = 0;
  double longitude = 0;
};

enum class Gender { kMale, kFemale, kOther };

// Children's services place children and young people up to 25 (SEND, care leavers).
inline constexpr int kMaxChildAgeYears = 25;

struct Child {
  std::string key;  // a label within one referral only, e.g. "child-1"
  int age_years = 0;
  Gender gender = Gender::kOther;
};

// The longest child key: a label, not a description.
inline constexpr size_t kMaxChildKeyLength = 16;

// `children[i].key` a unique label (1 to 16 letters, digits, '-' or '_', nothing that identifies
// a child), `children[i].age_years` within 0..25. `field` is the list's
// name in errors, e.g. "spec.children".
absl::Status ValidateChildren(absl::string_view field, const std::vector<Child>& children);

// An outward code: one or two letters, a digit, then an optional letter or digit ("RH12", "W1A",
// "M1"). Upper case, no spaces. A full postcode is refused with a rule saying so.
absl::Status ValidatePostcodeDistrict(absl::string_view field, absl::string_view district);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_DOMAIN_CHILD_H_
