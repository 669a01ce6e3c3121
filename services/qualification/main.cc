// dps-qualification: the register of who may be invited to compete.
//
// It owns the "qualification" schema (the register and its outbox), keeps it migrated, serves
// QualificationService (proto/dps/qualification/v1) and runs the evidence-expiry timer and the
// timer closing systems at the end of their period of validity; it reads
// the contracts stream to record the performance reviews score adjustments cite.
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "platform/clock/clock.h"
#include "platform/events/consumer.h"
#include "platform/events/outbox_migrations.h"
#include "platform/log/log.h"
#include "platform/service/runtime.h"
#include "services/qualification/api/qualification_service.h"
#include "services/qualification/consumers/performance_review_events.h"
#include "services/qualification/metrics/register_metrics.h"
#include "services/qualification/storage/audit_scope.h"
#include "services/qualification/storage/migrations.h"
#include "services/qualification/timers/evidence_expiry.h"
#include "services/qualification/timers/system_closing.h"

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
       .uses_redis = true,
       .signs_as_service = true,
       .audit_systems_led_by = dps::qualification::SystemsLedBy,
       .extra_settings = {{.flag = "evidence-expiry-interval",
                           .env = "DPS_EVIDENCE_EXPIRY_INTERVAL",
                           .default_value = "60s",
                           .kind = dps::platform::SettingKind::kDuration,
                           .help = "how often the evidence-expiry timer looks for evidence "
                                   "that has run out"},
                          {.flag = "system-closing-interval",
                           .env = "DPS_SYSTEM_CLOSING_INTERVAL",
                           .default_value = "5m",
                           .kind = dps::platform::SettingKind::kDuration,
                           .help = "how often the closing timer looks for LIVE purchasing "
                                   "systems whose period of validity has ended"}}});
  // The real time, or in tests the time the suite has moved it to (runtime.h).
  const dps::platform::Clock& clock = runtime->clock();
  dps::qualification::QualificationService service(runtime->pool(), clock,
                                                   runtime->authenticator());
  dps::qualification::EvidenceExpiryTimer timer(
      runtime->pool(), clock, dps::platform::TimerMetrics(runtime->registry(), "evidence_expiry"));
  const absl::Duration interval = runtime->config().Duration("evidence-expiry-interval");
  runtime->AddWorker([&](std::stop_token stop) { timer.Run(stop, interval); });
  // Systems close by themselves at the end of their validity (timers/system_closing.h).
  dps::qualification::SystemClosingTimer closing(
      runtime->pool(), clock, dps::platform::TimerMetrics(runtime->registry(), "system_closing"));
  const absl::Duration closing_interval = runtime->config().Duration("system-closing-interval");
  runtime->AddWorker([&](std::stop_token stop) { closing.Run(stop, closing_interval); });
  // Performance reviews from the contracts service (consumers/performance_review_events.h).
  dps::platform::RedisClient redis(runtime->redis_address(), absl::Seconds(2));
  dps::platform::StreamConsumer reviews({.stream = dps::qualification::kContractsStream,
                                         .group = dps::qualification::kPerformanceReviewGroup,
                                         .consumer = absl::StrCat("qualification-", getpid())},
                                        redis, runtime->pool(),
                                        dps::qualification::ApplyPerformanceReviewEvent,
                                        &runtime->registry());
  runtime->AddWorker([&](std::stop_token stop) { reviews.Run(stop); });
  // The register's figures for /metrics (metrics/register_metrics.h).
  dps::qualification::RegisterMetrics figures(runtime->pool(), runtime->registry());
  runtime->AddCollector([&] {
    if (absl::Status s = figures.Refresh(); !s.ok()) {
      dps::platform::Log(dps::platform::LogLevel::kWarning, "register metrics not refreshed",
                         {{"error", s.ToString()}});
    }
  });
  return runtime->Serve({&service});
}
