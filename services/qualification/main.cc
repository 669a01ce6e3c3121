// dps-qualification: the register of who may be invited to compete.
//
// It owns the "qualification" schema (the register and its outbox), keeps it migrated, and
// serves gRPC health. QualificationService (proto/dps/qualification/v1) is not served yet: see
// "What is built, and what is not yet" in README.md.
#include "platform/events/outbox_migrations.h"
#include "platform/service/runtime.h"
#include "services/qualification/storage/migrations.h"

int main(int argc, char** argv) {
  const dps::platform::MigrationSet migrations[] = {
      {"platform", dps::platform::OutboxMigrations()},
      {"qualification", dps::qualification::QualificationMigrations()}};
  auto runtime = dps::platform::ServiceRuntime::Start(
      argc, argv,
      {.name = "qualification",
       .schema = "qualification",
       .migrations = {std::begin(migrations), std::end(migrations)},
       .default_grpc_port = 7101,
       .default_metrics_port = 9101,
       .uses_postgres = true,
       .uses_redis = true});
  return runtime->Serve({});
}
