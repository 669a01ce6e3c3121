// Business figures a service reads from its own schema for /metrics (referrals by state,
// memberships by state), refreshed by a collector every DPS_METRICS_COLLECT_INTERVAL (see
// ServiceRuntime::AddCollector).
//
// Every replica of a service reads the same figures from the same database, so dashboards and
// alerts take max() across pods, never sum(). Reading counts from the tables, rather than counting
// in the handlers, keeps the figures right across restarts and replicas and leaves the handlers
// alone.
//
//   QueryGauge referrals(registry, "dps_referrals", "Referrals by state", "state",
//                        {"DRAFT", "OPEN", ...});
//   referrals.Set(ReferralsByState(tx));  // storage: {"OPEN": 12, "AWARDED": 3, ...}
#ifndef DPS_PLATFORM_METRICS_QUERY_GAUGE_H_
#define DPS_PLATFORM_METRICS_QUERY_GAUGE_H_

#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <map>
#include <string>
#include <vector>

namespace dps::platform {

class QueryGauge final {
 public:
  // known_values: the label values always exported (0 when no row has them), so a dashboard
  // shows 0 rather than nothing.
  QueryGauge(prometheus::Registry& registry, const std::string& name, const std::string& help,
             std::string label, std::vector<std::string> known_values);

  // counts: label value -> number. Every known value not in counts is set to 0; a value seen
  // before and missing now too.
  void Set(const std::map<std::string, double>& counts);

 private:
  prometheus::Family<prometheus::Gauge>& family_;
  std::string label_;
  std::vector<std::string> values_;  // known, then any seen since
};

}  // namespace dps::platform

#endif  // DPS_PLATFORM_METRICS_QUERY_GAUGE_H_
