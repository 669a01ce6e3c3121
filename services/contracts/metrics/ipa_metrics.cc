#include "services/contracts/metrics/ipa_metrics.h"

#include "services/contracts/storage/ipa_figures.h"

namespace dps::contracts {

IpaMetrics::IpaMetrics(platform::PgPool& pool, prometheus::Registry& registry)
    : pool_(pool),
      ipas_(registry, "dps_ipas", "Individual Placement Agreements by state", "state",
            {"DRAFT", "ISSUED", "SIGNED", "ACTIVE", "ENDED", "CANCELLED"}) {}

absl::Status IpaMetrics::Refresh() {
  return pool_.InTransaction([&](pqxx::work& tx) {
    ipas_.Set(IpasByState(tx));
    return absl::OkStatus();
  });
}

}  // namespace dps::contracts
