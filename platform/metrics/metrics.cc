#include "platform/metrics/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>

#include "absl/strings/str_cat.h"

namespace dps::platform {

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Start(
    const std::string& bind_address) {
  std::unique_ptr<MetricsEndpoint> endpoint(new MetricsEndpoint());
  endpoint->registry_ = std::make_shared<prometheus::Registry>();
  try {
    endpoint->exposer_ = std::make_unique<prometheus::Exposer>(bind_address, 2);
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("metrics: cannot listen on ", bind_address, ": ", e.what()));
  }
  endpoint->exposer_->RegisterCollectable(endpoint->registry_);
  return endpoint;
}

int MetricsEndpoint::port() const {
  const std::vector<int> ports = exposer_->GetListeningPorts();
  return ports.empty() ? 0 : ports.front();
}

PgPoolMetrics RegisterPgPoolMetrics(prometheus::Registry& registry, const std::string& schema,
                                    int size) {
  const std::map<std::string, std::string> labels = {{"schema", schema}};
  prometheus::BuildGauge()
      .Name("dps_db_pool_size")
      .Help("Most connections the pool may open")
      .Register(registry)
      .Add(labels)
      .Set(size);
  PgPoolMetrics metrics;
  metrics.open = &prometheus::BuildGauge()
                      .Name("dps_db_pool_open_connections")
                      .Help("Connections the pool has open")
                      .Register(registry)
                      .Add(labels);
  metrics.in_use = &prometheus::BuildGauge()
                        .Name("dps_db_pool_in_use_connections")
                        .Help("Connections leased out right now")
                        .Register(registry)
                        .Add(labels);
  metrics.acquire_timeouts = &prometheus::BuildCounter()
                                  .Name("dps_db_pool_acquire_timeouts_total")
                                  .Help("Requests that found no free connection in time")
                                  .Register(registry)
                                  .Add(labels);
  metrics.broken = &prometheus::BuildCounter()
                        .Name("dps_db_pool_broken_connections_total")
                        .Help("Connections dropped because they failed")
                        .Register(registry)
                        .Add(labels);
  return metrics;
}

}  // namespace dps::platform
