// The contracts service's figures for /metrics, read from its schema by the periodic collector
// (platform/metrics/query_gauge.h says why from the tables, and why dashboards take max()):
//
//   dps_ipas{state}   Individual Placement Agreements by state
#ifndef DPS_SERVICES_CONTRACTS_METRICS_IPA_METRICS_H_
#define DPS_SERVICES_CONTRACTS_METRICS_IPA_METRICS_H_

#include <prometheus/registry.h>

#include "absl/status/status.h"
#include "platform/metrics/query_gauge.h"
#include "platform/pg/pool.h"

namespace dps::contracts {

class IpaMetrics final {
 public:
  IpaMetrics(platform::PgPool& pool, prometheus::Registry& registry);
  absl::Status Refresh();

 private:
  platform::PgPool& pool_;
  platform::QueryGauge ipas_;
};

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_METRICS_IPA_METRICS_H_
