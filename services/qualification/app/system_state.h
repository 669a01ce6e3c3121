// A purchasing system's life (DRAFT -> LIVE -> CLOSED), recorded and announced the same way
// whoever moves it: its lead authority (SetPurchasingSystemState) or the closing timer at the end
// of its period of validity and extensions exercised (../timers/system_closing.h). Each move is
// a history entry, the saved record and a "qualification.system.live" or
// "qualification.system.closed" event in the outbox, in the caller's transaction.
#ifndef DPS_SERVICES_QUALIFICATION_APP_SYSTEM_STATE_H_
#define DPS_SERVICES_QUALIFICATION_APP_SYSTEM_STATE_H_

#include <string>

#include "absl/status/status.h"
#include "services/qualification/app/announce.h"

namespace dps::qualification {

// Appends a history entry by the call's caller at the call's time.
void RecordHistory(v1::PurchasingSystem& system, const Call& call, std::string from, std::string to,
                   std::string reason);

// Moves `system` (loaded FOR UPDATE, the move already checked) to `to` for `reason`: history,
// record and event. The event carries the period of validity's end in force.
absl::Status MoveSystemState(Call& call, v1::PurchasingSystem& system, v1::PurchasingSystemState to,
                             const std::string& reason);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_APP_SYSTEM_STATE_H_
