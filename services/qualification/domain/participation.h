// Who may call off a purchasing system, and in which of its lots (docs/rules.md section 3).
//
// Two rules of the seed systems:
// - Northamptonshire's open framework lets bodies other than local authorities (police, schools)
//   call off; the other systems are for councils only. A participant that is not a local
//   authority is refused unless the system's configuration allows other bodies.
// - West Sussex's authorities take part in some categories (lots) only. A participant lists the
//   codes of the lots it calls off; none listed means every lot. The lead authority takes part
//   in every lot unless it lists itself with lots.
//
//   CheckParticipants({{"northants-police", BodyType::kPolice, {}}}, false, nullptr,
//                     "spec.authorities")
//     -> InvalidArgument "spec.authorities[0].body_type: a POLICE body may call off only where
//        other_bodies_may_call_off is set; this system is for local authorities"
//   CheckMayCallOffLot("west-sussex", {{"brighton", kLocalAuthority, {"FOS"}}}, "brighton", "RES")
//     -> PermissionDenied "authority brighton does not take part in lot RES (it calls off FOS)"
#ifndef DPS_SERVICES_QUALIFICATION_DOMAIN_PARTICIPATION_H_
#define DPS_SERVICES_QUALIFICATION_DOMAIN_PARTICIPATION_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace dps::qualification {

enum class BodyType { kLocalAuthority, kPolice, kSchool, kHealth, kOtherPublicBody };

// "LOCAL_AUTHORITY", "POLICE", ... as the API spells the kind after BODY_TYPE_.
absl::string_view BodyTypeName(BodyType type);

struct Participant {
  std::string authority_id;
  BodyType body_type = BodyType::kLocalAuthority;
  std::vector<std::string> lot_codes;  // The lots it calls off, by code; empty: every lot.
};

// Checks the participants in the order the request lists them, `path` naming the list
// ("spec.authorities"), so that a refusal names e.g. spec.authorities[2].body_type:
// - a body that is not a local authority only where `other_bodies_may_call_off`;
// - each lot code by the product's one code rule (platform/codes/codes.h), once in its list;
// - when `system_lot_codes` is given (the system's lots are known: every change but the system's
//   creation, when it has none yet), each lot code a lot of the system.
// InvalidArgument naming the field and the rule.
absl::Status CheckParticipants(const std::vector<Participant>& participants,
                               bool other_bodies_may_call_off,
                               const std::vector<std::string>* system_lot_codes,
                               absl::string_view path);

// The same for one participant at `path` (AddParticipatingAuthority's "authority").
absl::Status CheckParticipant(const Participant& participant, bool other_bodies_may_call_off,
                              const std::vector<std::string>* system_lot_codes,
                              absl::string_view path);

// Whether `organisation` may call off the lot `lot_code` of the system led by `lead_authority`
// with `participants`: OK; PermissionDenied when it takes no part in the system, or takes part
// but not in that lot (naming the lot and the lots it does call off).
absl::Status CheckMayCallOffLot(absl::string_view lead_authority,
                                const std::vector<Participant>& participants,
                                absl::string_view organisation, absl::string_view lot_code);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_DOMAIN_PARTICIPATION_H_
