// The register's figures for /metrics, read from the qualification schema by a periodic collector
// (platform/metrics/query_gauge.h says why from the tables and why max() across pods):
//
//   dps_memberships{state}    memberships of lots by state (QUALIFIED, SUSPENDED, EXCLUDED)
//   dps_applications{state}   applications by state
//   dps_evidence{state}       evidence by state (VALID, EXPIRED, SUPERSEDED)
//   dps_evidence_overdue      VALID evidence past its last day: the expiry timer should have
//                             expired it
#ifndef DPS_SERVICES_QUALIFICATION_METRICS_REGISTER_METRICS_H_
#define DPS_SERVICES_QUALIFICATION_METRICS_REGISTER_METRICS_H_

#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "absl/status/status.h"
#include "platform/metrics/query_gauge.h"
#include "platform/pg/pool.h"

namespace dps::qualification {

class RegisterMetrics final {
 public:
  RegisterMetrics(platform::PgPool& pool, prometheus::Registry& registry);

  // Reads every figure in one transaction.
  absl::Status Refresh();

 private:
  platform::PgPool& pool_;
  platform::QueryGauge memberships_;
  platform::QueryGauge applications_;
  platform::QueryGauge evidence_;
  prometheus::Gauge& evidence_overdue_;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_METRICS_REGISTER_METRICS_H_
