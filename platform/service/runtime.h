// What every service process does at start-up and shut-down, in one place.
//
// A service's main.cc declares a Spec, calls ServiceRuntime::Start, builds its own parts from
// the runtime (pool, registry, config) and calls Serve:
//
//   int main(int argc, char** argv) {
//     auto runtime = ServiceRuntime::Start(argc, argv, {.name = "referral", ...});
//     ReferralService service(runtime->pool());
//     return runtime->Serve({&service});
//   }
//
// Start reads and validates the configuration, starts /metrics, checks PostgreSQL and Redis are
// reachable and applies the schema's migrations. Any failure there prints one line naming the
// setting or dependency and exits with status 2. Serve starts the gRPC server (with health;
// over TLS when DPS_GRPC_TLS_* name certificates, see platform/grpc/tls.h),
// runs the background workers, keeps the health status in step with PostgreSQL and Redis, and
// returns when SIGTERM or SIGINT arrives, after a graceful stop.
#ifndef DPS_PLATFORM_SERVICE_RUNTIME_H_
#define DPS_PLATFORM_SERVICE_RUNTIME_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "platform/audit/service.h"
#include "platform/auth/authenticator.h"
#include "platform/clock/clock.h"
#include "platform/clock/offset_clock.h"
#include "platform/config/config.h"
#include "platform/events/redis_client.h"
#include "platform/grpc/tls.h"
#include "platform/metrics/metrics.h"
#include "platform/pg/migrations.h"
#include "platform/pg/pool.h"
#include "platform/timer/timer_loop.h"  // RunEvery, for the workers a service adds

namespace dps::platform {

class ServiceRuntime final {
 public:
  struct Spec {
    std::string name;    // the process name in logs and errors: "qualification"
    std::string schema;  // its PostgreSQL schema; empty for a service without state
    std::vector<MigrationSet> migrations;  // applied to schema at start-up
    int default_grpc_port = 0;
    int default_metrics_port = 0;
    bool uses_postgres = false;
    bool uses_redis = false;
    bool serves_grpc = true;  // false for the gateway, which serves HTTP instead
    // Verifies callers' tokens (every process but the relay, which serves only health).
    bool authenticates = true;
    // Signs its own service tokens for timers, consumers and peer calls.
    bool signs_as_service = false;
    // Set by a service that keeps an audit chain (one with a schema, the platform migrations,
    // authenticates and signs as a service): Serve then adds AuditLogService over the chain,
    // and a worker issues signed checkpoints of it on a schedule (platform/audit/service.h).
    audit::SystemsLedBy audit_systems_led_by;
    std::vector<Setting> extra_settings;  // the service's own
  };

  // Exits the process with one clear line on any start-up failure.
  static std::unique_ptr<ServiceRuntime> Start(int argc, char** argv, Spec spec);

  const Config& config() const { return config_; }
  PgPool& pool() { return *pool_; }
  // The options of a further pool on this process's database role (pg-url, pg-password-file).
  PgPoolOptions PgOptions(std::string schema, int size) const;
  prometheus::Registry& registry() { return metrics_->registry(); }
  const RedisAddress& redis_address() const { return redis_address_; }
  const std::string& name() const { return spec_.name; }
  // The caller checks every request goes through (Spec.authenticates).
  const auth::Authenticator& authenticator() const { return *authenticator_; }
  // The time the service's rules, timers and records use: the real time, or in development and
  // tests the real time moved by DPS_DEV_CLOCK_OFFSET_FILE (platform/clock/offset_clock.h).
  // Authentication keeps the real time, so tokens minted now stay valid.
  const Clock& clock() const {
    if (offset_clock_) return *offset_clock_;
    return clock_;
  }
  // This service's own tokens (Spec.signs_as_service).
  const auth::ServiceTokens& service_tokens() const { return *service_tokens_; }

  // Runs fn on its own thread from Serve until shut-down (relays, consumers, timers).
  void AddWorker(std::function<void(std::stop_token)> fn);

  // Runs collect every DPS_METRICS_COLLECT_INTERVAL from Serve until shut-down, on one worker
  // shared by every collector: for metrics read from the database (referrals by state, ...).
  // Only for a process that uses PostgreSQL.
  void AddCollector(std::function<void()> collect);

  // A channel to another DPS service at target, with this process's TLS settings, round-robin
  // balancing and client call metrics (platform/grpc/channel.h).
  std::shared_ptr<grpc::Channel> PeerChannel(const std::string& target);

  // Serves until SIGTERM or SIGINT; returns the process exit code.
  int Serve(const std::vector<grpc::Service*>& services);

 private:
  ServiceRuntime(Spec spec, Config config) : spec_(std::move(spec)), config_(std::move(config)) {}
  bool DependenciesHealthy();
  // The AuditLogService Serve adds, and the worker issuing signed checkpoints.
  void StartAuditCheckpoints();

  Spec spec_;
  Config config_;
  SystemClock clock_;
  std::unique_ptr<FileOffsetClock> offset_clock_;  // DPS_DEV_CLOCK_OFFSET_FILE, when set
  std::unique_ptr<auth::Authenticator> authenticator_;
  std::unique_ptr<auth::ServiceTokens> service_tokens_;
  std::optional<auth::PrivateKey> service_key_;          // signs audit checkpoints too
  std::unique_ptr<auth::ReloadingKeySet> service_keys_;  // checks them
  std::unique_ptr<audit::AuditLogService> audit_service_;
  std::unique_ptr<MetricsEndpoint> metrics_;
  std::unique_ptr<PgPool> pool_;
  std::string pg_password_;
  RedisAddress redis_address_;
  std::unique_ptr<RedisClient> health_redis_;  // used by the health monitor thread only
  std::vector<std::function<void(std::stop_token)>> workers_;
  std::vector<std::function<void()>> collectors_;
  GrpcTls tls_;
};

// Blocks SIGTERM and SIGINT in the calling thread and every thread it starts afterwards, so
// WaitForTerminationSignal can take them synchronously. Call first thing in main.
void BlockTerminationSignals();
int WaitForTerminationSignal();

}  // namespace dps::platform

#endif  // DPS_PLATFORM_SERVICE_RUNTIME_H_
