// Who may call off a purchasing system's lot: the authority a referral, a direct award or a block
// contract is made for. Its lead authority and participants are the qualification service's
// record (dps.qualification.v1.PurchasingSystem); this is the rule the referral service holds
// them to before it drafts, publishes or awards, so no placement is made in a lot the authority
// does not take part in (West Sussex's authorities take part in some categories only). The
// qualification service applies the same rule to an authority asking it directly.
//
//   CheckCallsOffLot({.lead = "west-sussex", .participants = {{"brighton", {"FOS"}}}},
//                    "brighton", "RES", "sys-1")
//     -> PermissionDenied "authority brighton does not take part in lot RES of purchasing system
//        sys-1 (it calls off FOS)"
#ifndef DPS_SERVICES_REFERRAL_DOMAIN_PARTICIPATION_H_
#define DPS_SERVICES_REFERRAL_DOMAIN_PARTICIPATION_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace dps::referral {

struct Participation {
  std::string authority_id;
  std::vector<std::string> lot_codes;  // The lots it calls off, by code; empty: every lot.
};

struct SystemParticipants {
  std::string lead;  // Takes part in every lot unless it is listed among the participants.
  std::vector<Participation> participants;
};

// OK when `organisation` may call off the lot `lot_code` of system `system_id`; PermissionDenied
// when it takes no part in the system, or none in that lot (naming the lot and the lots it does
// call off).
absl::Status CheckCallsOffLot(const SystemParticipants& system, absl::string_view organisation,
                              absl::string_view lot_code, absl::string_view system_id);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_DOMAIN_PARTICIPATION_H_
