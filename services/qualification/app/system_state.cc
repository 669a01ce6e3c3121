#include "services/qualification/app/system_state.h"

#include <utility>

#include "platform/auth/identity.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/storage/records.h"

namespace dps::qualification {

void RecordHistory(v1::PurchasingSystem& system, const Call& call, std::string from, std::string to,
                   std::string reason) {
  dps::common::v1::HistoryEntry* entry = system.add_history();
  *entry->mutable_at() = ToTimestamp(call.now);
  *entry->mutable_actor() = platform::ActorOf(call.caller);
  entry->set_from_state(std::move(from));
  entry->set_to_state(std::move(to));
  entry->set_reason(std::move(reason));
}

absl::Status MoveSystemState(Call& call, v1::PurchasingSystem& system, v1::PurchasingSystemState to,
                             const std::string& reason) {
  const v1::PurchasingSystemState from = system.state();
  system.set_state(to);
  RecordHistory(system, call, v1::PurchasingSystemState_Name(from),
                v1::PurchasingSystemState_Name(to), reason);
  if (absl::Status s = SaveSystem(call.tx, system); !s.ok()) return s;
  dps::events::v1::EventEnvelope event;
  auto* changed = event.mutable_purchasing_system_state_changed();
  changed->set_previous_state(from);
  changed->set_state(to);
  changed->set_reason(reason);
  *changed->mutable_period_end() = system.validity().current_end();
  const char* type = to == v1::PURCHASING_SYSTEM_STATE_LIVE ? "qualification.system.live"
                                                            : "qualification.system.closed";
  return Announce(call, type, "purchasing_system", system.id(), system.id(), std::move(event));
}

}  // namespace dps::qualification
