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

// Where a use case announces, so its pure tests can read what it announced
// (app/testing/recorded_events.h); in the service, OutboxEvents writes to the outbox in the
// call's transaction as Announce above does.
class QualificationEvents {
 public:
  virtual ~QualificationEvents() = default;
  virtual absl::Status Announce(absl::string_view type, absl::string_view aggregate_type,
                                const std::string& aggregate_id, const std::string& system_id,
                                dps::events::v1::EventEnvelope envelope) = 0;
};

class OutboxEvents final : public QualificationEvents {
 public:
  explicit OutboxEvents(Call& call) : call_(call) {}
  absl::Status Announce(absl::string_view type, absl::string_view aggregate_type,
                        const std::string& aggregate_id, const std::string& system_id,
                        dps::events::v1::EventEnvelope envelope) override {
    return qualification::Announce(call_, type, aggregate_type, aggregate_id, system_id,
                                   std::move(envelope));
  }

 private:
  Call& call_;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_APP_ANNOUNCE_H_
