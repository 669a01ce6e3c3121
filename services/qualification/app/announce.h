// Where the qualification service's events go: one stream, written through the outbox in the
// transaction of the change they announce (platform/work/unit_of_work.h). Shared by the handlers
// and the use cases, so each event is written the same way whoever causes it.
#ifndef DPS_SERVICES_QUALIFICATION_APP_ANNOUNCE_H_
#define DPS_SERVICES_QUALIFICATION_APP_ANNOUNCE_H_

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "dps/events/v1/events.pb.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "platform/work/events.h"
#include "platform/work/unit_of_work.h"

namespace dps::qualification {

namespace v1 = ::dps::qualification::v1;

// The stream every qualification event goes to.
inline constexpr char kQualificationStream[] = "dps.qualification";

using Call = platform::Call;

// Writes `envelope` (payload set by the caller) to the qualification stream's outbox.
absl::Status Announce(Call& call, absl::string_view type, absl::string_view aggregate_type,
                      const std::string& aggregate_id, const std::string& system_id,
                      dps::events::v1::EventEnvelope envelope);

// What a use case announces through (platform/work/events.h), so its pure tests read what it
// announced; in the service, the qualification stream's outbox.
using QualificationEvents = platform::Events;

inline platform::OutboxEvents QualificationOutbox(Call& call) {
  return platform::OutboxEvents(call, kQualificationStream);
}

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_APP_ANNOUNCE_H_
