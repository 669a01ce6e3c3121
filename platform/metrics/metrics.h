// The Prometheus endpoint of a process, and the metric families every process shares.
//
// Each process serves /metrics on its own port (DPS_METRICS_PORT). Components take the
// registry and register what they measure: gRPC calls (platform/grpc/server.h), the database
// pool (below), the outbox (events/relay.h) and stream consumers (events/consumer.h).
#ifndef DPS_PLATFORM_METRICS_METRICS_H_
#define DPS_PLATFORM_METRICS_METRICS_H_

#include <prometheus/exposer.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "platform/pg/pool.h"

namespace dps::platform {

class MetricsEndpoint final {
 public:
  // Serves /metrics on bind_address ("127.0.0.1:9101"; port 0 picks a free one).
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(const std::string& bind_address);

  prometheus::Registry& registry() { return *registry_; }
  int port() const;

 private:
  MetricsEndpoint() = default;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<prometheus::Exposer> exposer_;
};

// Gauges and counters for a PostgreSQL pool, labelled with the pool's schema.
PgPoolMetrics RegisterPgPoolMetrics(prometheus::Registry& registry, const std::string& schema,
                                    int size);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_METRICS_METRICS_H_
