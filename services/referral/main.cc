// dps-referral: the referral service process.
//
// It owns the "referral" PostgreSQL schema (its records and outbox), keeps it migrated and serves
// ReferralService (proto/dps/referral/v1), asking the qualification service about purchasing
// systems and lots. What is served so far is listed in README.md.
#include <grpcpp/grpcpp.h>

#include "platform/clock/clock.h"
#include "platform/events/outbox_migrations.h"
#include "platform/service/runtime.h"
#include "services/referral/api/referral_service.h"
#include "services/referral/storage/migrations.h"

int main(int argc, char** argv) {
  const dps::platform::MigrationSet migrations[] = {
      {"platform", dps::platform::OutboxMigrations()},
      {"referral", dps::referral::ReferralMigrations()}};
  auto runtime = dps::platform::ServiceRuntime::Start(
      argc, argv,
      {.name = "referral",
       .schema = "referral",
       .migrations = {std::begin(migrations), std::end(migrations)},
       .default_grpc_port = 7102,
       .default_metrics_port = 9102,
       .uses_postgres = true,
       .uses_redis = true,
       .extra_settings = {{.flag = "qualification-target",
                           .env = "DPS_QUALIFICATION_TARGET",
                           .default_value = "127.0.0.1:7101",
                           .kind = dps::platform::SettingKind::kString,
                           .required = true,
                           .help = "gRPC address of the qualification service"}}});
  dps::platform::SystemClock clock;
  dps::referral::ReferralService service(
      runtime->pool(), clock,
      grpc::CreateChannel(runtime->config().String("qualification-target"),
                          grpc::InsecureChannelCredentials()));
  return runtime->Serve({&service});
}
