// dps-contracts: the contracts service process.
//
// It owns the "contracts" PostgreSQL schema (with its transactional outbox and the IPA tables of
// storage/migrations) and serves gRPC health.
// Its API (proto/dps/contracts/v1) is not served yet: see "What is not built yet" in README.md.
#include "platform/events/outbox_migrations.h"
#include "platform/service/runtime.h"
#include "services/contracts/storage/migrations.h"

int main(int argc, char** argv) {
  const dps::platform::MigrationSet migrations[] = {
      {"platform", dps::platform::OutboxMigrations()},
      {"contracts", dps::contracts::ContractsMigrations()}};
  auto runtime = dps::platform::ServiceRuntime::Start(
      argc, argv,
      {.name = "contracts",
       .schema = "contracts",
       .migrations = {std::begin(migrations), std::end(migrations)},
       .default_grpc_port = 7104,
       .default_metrics_port = 9104,
       .uses_postgres = true,
       .uses_redis = true,
       .signs_as_service = true});
  return runtime->Serve({});
}
