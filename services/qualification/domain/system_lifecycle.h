// A purchasing system's life (docs/rules.md section 3): configured while DRAFT, open to
// applications and referrals while LIVE, read-only once CLOSED. What may still change at each
// stage is decided here, so every handler that edits a system or its lots asks the same rules.
//
// Example:
//   CheckStateMove(SystemState::kDraft, SystemState::kClosed);
//     // FailedPrecondition "purchasing system: cannot move from DRAFT to CLOSED"
//   CheckConditionsMayChange(SystemState::kLive, Regime::kLightTouch, "criteria");  // OK

#ifndef DPS_SERVICES_QUALIFICATION_DOMAIN_SYSTEM_LIFECYCLE_H_
#define DPS_SERVICES_QUALIFICATION_DOMAIN_SYSTEM_LIFECYCLE_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/qualification/domain/regime.h"

namespace dps::qualification {

enum class SystemState { kDraft, kLive, kClosed };

// "DRAFT", "LIVE", "CLOSED".
absl::string_view SystemStateName(SystemState state);

// DRAFT to LIVE and LIVE to CLOSED; nothing goes back. FailedPrecondition naming both states
// otherwise.
absl::Status CheckStateMove(SystemState from, SystemState to);

// A CLOSED system is read-only: its record is the history of what was bought under it.
// FailedPrecondition naming `what` was refused (e.g. "cannot add a lot").
absl::Status CheckMayEdit(SystemState state, absl::string_view what);

// The regime is chosen while the system is a DRAFT and fixed from LIVE on: members joined under
// its rules.
absl::Status CheckRegimeChange(SystemState state, Regime from, Regime to);

// Membership conditions (`what`: criteria, a lot's commercial terms) are free while DRAFT. Once
// LIVE they are fixed unless the regime's table lets them change (LIGHT_TOUCH, with notice):
// members applied against them.
absl::Status CheckConditionsMayChange(SystemState state, Regime regime, absl::string_view what);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_DOMAIN_SYSTEM_LIFECYCLE_H_
