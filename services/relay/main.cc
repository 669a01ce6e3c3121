// dps-relay: publishes the outbox of every service schema to Redis Streams.
//
// One worker per schema, each with its own database connections and Redis connection, so a
// slow or broken schema does not hold up the others. It has no gRPC API of its own; its gRPC
// port serves the health service only.
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "platform/events/relay.h"
#include "platform/log/log.h"
#include "platform/service/runtime.h"

using dps::platform::OutboxRelay;
using dps::platform::PgPool;
using dps::platform::RedisClient;
using dps::platform::ServiceRuntime;

int main(int argc, char** argv) {
  auto runtime = ServiceRuntime::Start(
      argc, argv,
      {.name = "relay",
       .default_grpc_port = 7105,
       .default_metrics_port = 9105,
       .uses_postgres = true,
       .uses_redis = true,
       .authenticates = false,  // it serves health only: no caller to know
       .extra_settings = {{"relay-schemas", "DPS_RELAY_SCHEMAS", "qualification,referral,contracts",
                           dps::platform::SettingKind::kString, true,
                           "comma-separated service schemas whose outbox this relay publishes"},
                          {"relay-batch-size", "DPS_RELAY_BATCH_SIZE", "500",
                           dps::platform::SettingKind::kPositive, false,
                           "most events published in one round trip"}}});

  struct Worker {
    std::unique_ptr<PgPool> pool;
    std::unique_ptr<RedisClient> redis;
    std::unique_ptr<OutboxRelay> relay;
  };
  std::vector<Worker> workers;
  for (const absl::string_view schema :
       absl::StrSplit(runtime->config().String("relay-schemas"), ',', absl::SkipEmpty())) {
    Worker w;
    w.pool = std::make_unique<PgPool>(runtime->PgOptions(std::string(schema), /*size=*/2));
    w.redis = std::make_unique<RedisClient>(runtime->redis_address(), absl::Seconds(5));
    w.relay = std::make_unique<OutboxRelay>(
        dps::platform::RelayOptions{.schema = std::string(schema),
                                    .batch_size = runtime->config().Int("relay-batch-size"),
                                    .only_stream = absl::StrCat("dps.", schema)},
        *w.pool, *w.redis, &runtime->registry());
    runtime->AddWorker([relay = w.relay.get()](std::stop_token stop) { relay->Run(stop); });
    workers.push_back(std::move(w));
  }
  return runtime->Serve({});
}
