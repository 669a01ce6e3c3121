// dps-referral: the referral service process.
//
// It owns the "referral" PostgreSQL schema (with its transactional outbox) and serves gRPC health.
// Its API (proto/dps/referral/v1) is not served yet: see "What is not built yet" in README.md.
#include "platform/events/outbox_migrations.h"
#include "platform/service/runtime.h"

int main(int argc, char** argv) {
  const dps::platform::MigrationSet migrations[] = {
      {"platform", dps::platform::OutboxMigrations()}};
  auto runtime = dps::platform::ServiceRuntime::Start(
      argc, argv,
      {.name = "referral",
       .schema = "referral",
       .migrations = {std::begin(migrations), std::end(migrations)},
       .default_grpc_port = 7102,
       .default_metrics_port = 9102,
       .uses_postgres = true,
       .uses_redis = true});
  return runtime->Serve({});
}
