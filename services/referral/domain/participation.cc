#include "services/referral/domain/participation.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace dps::referral {

absl::Status CheckCallsOffLot(const SystemParticipants& system, absl::string_view organisation,
                              absl::string_view lot_code, absl::string_view system_id) {
  const auto listed = std::find_if(system.participants.begin(), system.participants.end(),
                                   [&](const Participation& p) {
                                     return !organisation.empty() && p.authority_id == organisation;
                                   });
  if (listed == system.participants.end()) {
    if (!organisation.empty() && organisation == system.lead) return absl::OkStatus();
    return absl::PermissionDeniedError(absl::StrCat(
        "organisation ", organisation, " takes no part in purchasing system ", system_id));
  }
  if (listed->lot_codes.empty() || std::find(listed->lot_codes.begin(), listed->lot_codes.end(),
                                             lot_code) != listed->lot_codes.end()) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      "authority ", organisation, " does not take part in lot ", lot_code, " of purchasing system ",
      system_id, " (it calls off ", absl::StrJoin(listed->lot_codes, ", "), ")"));
}

}  // namespace dps::referral
