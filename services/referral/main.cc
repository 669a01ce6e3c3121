// dps-referral: the referral service process.
//
// It owns the "referral" PostgreSQL schema (its records and outbox), keeps it migrated and serves
// ReferralService (proto/dps/referral/v1), asking the qualification service about purchasing
// systems, lots and eligibility and the scoring service for rankings, and runs the timer that
// closes referrals at their response deadline; it reads the qualification stream to mark
// invitations and bids of establishments suspended since invitation.
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "platform/clock/clock.h"
#include "platform/events/consumer.h"
#include "platform/events/outbox_migrations.h"
#include "platform/events/redis_client.h"
#include "platform/log/log.h"
#include "platform/service/runtime.h"
#include "services/referral/api/referral_service.h"
#include "services/referral/clients/grpc_qualification_client.h"
#include "services/referral/clients/grpc_scoring_client.h"
#include "services/referral/consumers/ipa_events.h"
#include "services/referral/consumers/membership_events.h"
#include "services/referral/metrics/market_metrics.h"
#include "services/referral/storage/audit_scope.h"
#include "services/referral/storage/migrations.h"
#include "services/referral/timers/block_period_timer.h"
#include "services/referral/timers/deadline_timer.h"

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
       .signs_as_service = true,
       .audit_systems_led_by = dps::referral::SystemsLedBy,
       .extra_settings = {dps::platform::PeerTargetSetting("qualification", 7101),
                          dps::platform::PeerTargetSetting("scoring", 7103),
                          {.flag = "deadline-interval",
                           .env = "DPS_DEADLINE_INTERVAL",
                           .default_value = "5s",
                           .kind = dps::platform::SettingKind::kDuration,
                           .help = "how often the deadline timer closes referrals whose response "
                                   "deadline has come"}}});
  // The real time, or in tests the time the suite has moved it to (runtime.h).
  const dps::platform::Clock& clock = runtime->clock();
  // Peer channels carry the process's TLS settings and client call metrics (runtime.h).
  const dps::referral::GrpcQualificationClient qualification(
      runtime->PeerChannel(runtime->config().String("qualification-target")),
      runtime->service_tokens());
  const dps::referral::GrpcScoringClient scoring(
      runtime->PeerChannel(runtime->config().String("scoring-target")), runtime->service_tokens());
  const dps::referral::Ranker ranker(runtime->pool(), clock, qualification, scoring);
  dps::referral::ReferralService service(runtime->pool(), clock, runtime->authenticator(),
                                         qualification, ranker);
  dps::referral::DeadlineTimer timer(
      runtime->pool(), clock, ranker,
      dps::platform::TimerMetrics(runtime->registry(), "referral_deadline"));
  const absl::Duration interval = runtime->config().Duration("deadline-interval");
  runtime->AddWorker([&](std::stop_token stop) { timer.Run(stop, interval); });
  // Block contracts end by themselves once their period has run out.
  dps::referral::BlockPeriodTimer block_timer(
      runtime->pool(), clock,
      dps::platform::TimerMetrics(runtime->registry(), "referral_block_period"));
  runtime->AddWorker([&](std::stop_token stop) { block_timer.Run(stop, interval); });
  // Suspensions, exclusions and reinstatements from the qualification service.
  dps::platform::RedisClient redis(runtime->redis_address(), absl::Seconds(2));
  dps::platform::StreamConsumer memberships(
      {.stream = "dps.qualification",
       .group = dps::referral::kMembershipGroup,
       .consumer = absl::StrCat("referral-", getpid())},
      redis, runtime->pool(), dps::referral::ApplyMembershipEvent, &runtime->registry());
  runtime->AddWorker([&](std::stop_token stop) { memberships.Run(stop); });
  // Block places freed when the agreement of a placement into them ends or is cancelled.
  // A Redis client is one connection, not to be shared between threads: one per consumer.
  dps::platform::RedisClient contracts_redis(runtime->redis_address(), absl::Seconds(2));
  dps::platform::StreamConsumer ipa_endings(
      {.stream = "dps.contracts",
       .group = dps::referral::kIpaEndingsGroup,
       .consumer = absl::StrCat("referral-", getpid())},
      contracts_redis, runtime->pool(),
      [&](pqxx::work& tx, const dps::platform::StreamEvent& event) {
        return dps::referral::ApplyIpaEvent(tx, event, clock);
      },
      &runtime->registry());
  runtime->AddWorker([&](std::stop_token stop) { ipa_endings.Run(stop); });
  // The market's figures for /metrics (metrics/market_metrics.h).
  dps::referral::MarketMetrics market(runtime->pool(), runtime->registry());
  runtime->AddCollector([&] {
    if (absl::Status s = market.Refresh(); !s.ok()) {
      dps::platform::Log(dps::platform::LogLevel::kWarning, "market metrics not refreshed",
                         {{"error", s.ToString()}});
    }
  });
  return runtime->Serve({&service});
}
