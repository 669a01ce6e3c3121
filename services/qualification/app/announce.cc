#include "services/qualification/app/announce.h"

#include <utility>

namespace dps::qualification {

absl::Status Announce(Call& call, absl::string_view type, absl::string_view aggregate_type,
                      const std::string& aggregate_id, const std::string& system_id,
                      dps::events::v1::EventEnvelope envelope) {
  return platform::Announce(call, kQualificationStream, type, aggregate_type, aggregate_id,
                            system_id, std::move(envelope));
}

}  // namespace dps::qualification
