// The two shapes every service's domain errors take, so a caller can read any of them the same way:
//   InvalidField("lots[1].terms.affordability_cap_pence", "must be positive, got -5")
//     -> InvalidArgument "lots[1].terms.affordability_cap_pence: must be positive, got -5"
//   Forbidden("membership", "cannot reinstate an EXCLUDED membership")
//     -> FailedPrecondition "membership: cannot reinstate an EXCLUDED membership"
// Bad input names the field and the rule; a refused transition names the entity first.

#ifndef DPS_PLATFORM_ERRORS_ERRORS_H_
#define DPS_PLATFORM_ERRORS_ERRORS_H_

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace dps::platform {

inline absl::Status InvalidField(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

inline absl::Status Forbidden(absl::string_view entity, absl::string_view why) {
  return absl::FailedPreconditionError(absl::StrCat(entity, ": ", why));
}

}  // namespace dps::platform

#endif  // DPS_PLATFORM_ERRORS_ERRORS_H_
