// Error builders shared by the qualification domain, so every message has one shape:
//   InvalidField("lots[1].terms.affordability_cap_pence", "must be positive, got -5")
//     -> InvalidArgument "lots[1].terms.affordability_cap_pence: must be positive, got -5"
// Transition errors (FailedPrecondition) name the entity first: "membership: cannot ...".

#ifndef DPS_SERVICES_QUALIFICATION_DOMAIN_ERRORS_H_
#define DPS_SERVICES_QUALIFICATION_DOMAIN_ERRORS_H_

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace dps::qualification {

inline absl::Status InvalidField(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

inline absl::Status Forbidden(absl::string_view entity, absl::string_view why) {
  return absl::FailedPreconditionError(absl::StrCat(entity, ": ", why));
}

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_DOMAIN_ERRORS_H_
