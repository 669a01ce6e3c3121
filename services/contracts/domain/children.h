// The children an IPA places: the only place a child's identity enters the platform, and only
// after award (docs/rules.md section 2). The placing authority records them on the IPA; the API
// shows them to the IPA's two parties only (services/contracts/app ReadAccess), no event carries
// them, and the rendered agreement does not name them, so the document and its hash are the same
// whoever reads it and a correction of a name never needs the agreement signed again.
//
//   absl::Status s = SetChildren(ipa, {{.given_names = "Sam", ...}}, officer, now);
//   // children[0].home_postcode: must be a full postcode such as "RH12 1AB"
#ifndef DPS_SERVICES_CONTRACTS_DOMAIN_CHILDREN_H_
#define DPS_SERVICES_CONTRACTS_DOMAIN_CHILDREN_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace dps::contracts {

struct Ipa;
struct Actor;

enum class Gender { kUnspecified, kMale, kFemale, kOther };

struct ChildIdentity {
  std::string given_names;
  std::string family_name;
  std::string preferred_name;
  std::optional<absl::CivilDay> date_of_birth;
  Gender gender = Gender::kUnspecified;
  std::string case_reference;  // the placing authority's own reference
  std::string home_postcode;   // a full postcode
  std::string legal_status;    // "s.31 care order", "s.20", "EHCP"

  bool operator==(const ChildIdentity&) const = default;
};

// At most this many children in one placement (a sibling group); the API's limit.
inline constexpr size_t kMaxChildren = 100;

// Each child: given and family names required (at most 256 and 200 characters), a preferred name
// at most 200, a date of birth required, not after `today` and at most 25 years before it
// (children's services place young people up to 25), a gender of the enum, a case reference and
// legal status at most 256, and a home postcode, when given, one full postcode ("RH12 1AB" in any
// spacing or case). Errors name the field under `field` ("children[1].date_of_birth: ...") and
// never quote the value: it identifies a child.
absl::Status ValidateChildren(absl::string_view field, const std::vector<ChildIdentity>& children,
                              absl::CivilDay today);

// Records the children of the placement (the placing authority only, in any state but ENDED and
// CANCELLED: the identity is often completed after the agreement is signed). Replaces what was
// there; an empty list clears it.
absl::Status SetChildren(Ipa& ipa, std::vector<ChildIdentity> children, const Actor& by,
                         absl::Time now);

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_DOMAIN_CHILDREN_H_
