// dps-contracts: the contracts service process.
//
// It owns the "contracts" PostgreSQL schema (its outbox and the IPA tables of
// storage/migrations) and serves ContractsService (proto/dps/contracts/v1, api/contracts_service.h
// lists what is served yet). It reads the referral stream to draw up an IPA for every award
// (consumers/award_events.h), asking the qualification service about the lot and system (and,
// for an IPA asked for by hand, the referral service about the award), and runs
// the timer that starts placements on their start date and ends them on their end date. It serves
// MarketIntelligenceService too, from read models its market consumer keeps off the referral and
// qualification streams (consumers/market_events.h).
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "platform/clock/clock.h"
#include "platform/events/consumer.h"
#include "platform/events/outbox_migrations.h"
#include "platform/events/redis_client.h"
#include "platform/log/log.h"
#include "platform/metrics/timer_metrics.h"
#include "platform/pg/documents.h"
#include "platform/service/runtime.h"
#include "services/contracts/api/contracts_service.h"
#include "services/contracts/api/market_service.h"
#include "services/contracts/app/fee_uplift_use_cases.h"
#include "services/contracts/app/ipa_document.h"
#include "services/contracts/app/ipa_use_cases.h"
#include "services/contracts/app/kpi_use_cases.h"
#include "services/contracts/app/market_use_cases.h"
#include "services/contracts/app/publication_use_cases.h"
#include "services/contracts/clients/qualification_facts.h"
#include "services/contracts/clients/referral_awards.h"
#include "services/contracts/clients/system_directory.h"
#include "services/contracts/consumers/award_events.h"
#include "services/contracts/consumers/market_events.h"
#include "services/contracts/metrics/ipa_metrics.h"
#include "services/contracts/storage/audit_scope.h"
#include "services/contracts/storage/migrations.h"
#include "services/contracts/storage/pg_ipa_repository.h"
#include "services/contracts/storage/pg_market_repository.h"
#include "services/contracts/storage/pg_publication_repository.h"

namespace {

// Starts and ends placements whose day has come, every `interval`, until stopped. Safe with
// several replicas: each batch claims its IPAs with SKIP LOCKED (IpaUseCases::RunDueTimers).
void RunIpaTimer(std::stop_token stop, dps::contracts::IpaUseCases& cases,
                 const dps::platform::Clock& clock, const dps::platform::TimerMetrics& metrics,
                 absl::Duration interval) {
  const dps::platform::TimerLog log{.done = "placements started and ended",
                                    .failed = "IPA timer failed"};
  dps::platform::RunTimer(
      stop, interval, metrics, log, [&]() -> absl::StatusOr<dps::platform::TimerTick> {
        absl::StatusOr<dps::contracts::IpaUseCases::TimerRun> run = cases.RunDueTimers(clock.Now());
        if (!run.ok()) return run.status();
        return dps::platform::TimerTick{
            .done = static_cast<int>(run->activated.size() + run->ended.size())};
      });
}

}  // namespace

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
       .signs_as_service = true,
       .audit_systems_led_by = dps::contracts::SystemsLedBy,
       .extra_settings = {dps::platform::PeerTargetSetting("qualification", 7101),
                          dps::platform::PeerTargetSetting("referral", 7102),
                          {.flag = "ipa-timer-interval",
                           .env = "DPS_IPA_TIMER_INTERVAL",
                           .default_value = "60s",
                           .kind = dps::platform::SettingKind::kDuration,
                           .help = "how often placements whose start or end date has come are "
                                   "started or ended"}}});
  // The real time, or in tests the time the suite has moved it to (runtime.h).
  const dps::platform::Clock& clock = runtime->clock();
  auto new_id = [] { return dps::platform::NewId("ipa"); };
  const dps::contracts::PdfAgreementRenderer renderer;
  dps::contracts::PgIpaUnitOfWork uow(runtime->pool());
  dps::contracts::IpaUseCases cases(uow, renderer, clock, new_id);
  dps::contracts::FeeUpliftUseCases uplifts(uow, renderer, clock,
                                            [] { return dps::platform::NewId("uplift"); });
  // The qualification service: the lot's facts for each award, the system's for a publication.
  const std::shared_ptr<grpc::Channel> qualification =
      runtime->PeerChannel(runtime->config().String("qualification-target"));
  const dps::contracts::QualificationSystemDirectory systems(qualification,
                                                             runtime->service_tokens());
  dps::contracts::PgPublicationUnitOfWork publication_uow(runtime->pool());
  dps::contracts::PublicationUseCases publications(
      publication_uow, systems, clock, [] { return dps::platform::NewId("publication"); });
  dps::contracts::KpiUseCases kpis(uow, systems, clock, [] { return dps::platform::NewId("kpi"); });
  // An IPA asked for by hand: the award read from the referral service, the lot's facts as the
  // award consumer asks them.
  const dps::contracts::QualificationFacts facts(qualification, runtime->service_tokens());
  const dps::contracts::ReferralAwards referral_awards(
      runtime->PeerChannel(runtime->config().String("referral-target")), runtime->service_tokens());
  dps::contracts::CreateIpaUseCase creation(cases, referral_awards, facts);
  dps::contracts::ContractsService service(runtime->pool(), clock, runtime->authenticator(),
                                           {.ipas = cases,
                                            .uplifts = uplifts,
                                            .publications = publications,
                                            .kpis = kpis,
                                            .creation = creation});
  dps::contracts::PgMarketUnitOfWork market_uow(runtime->pool());
  dps::contracts::MarketUseCases market(market_uow, uow, systems, clock);
  dps::contracts::MarketIntelligenceService market_service(runtime->pool(),
                                                           runtime->authenticator(), market);

  // Placements start and end on their day.
  const dps::platform::TimerMetrics timer_metrics(runtime->registry(), "ipa_dates");
  const absl::Duration interval = runtime->config().Duration("ipa-timer-interval");
  runtime->AddWorker(
      [&](std::stop_token stop) { RunIpaTimer(stop, cases, clock, timer_metrics, interval); });

  // An IPA for every award, direct award and block call-off.
  dps::contracts::AwardConsumer awards(facts, renderer, clock, new_id);
  dps::platform::RedisClient redis(runtime->redis_address(), absl::Seconds(2));
  dps::platform::StreamConsumer award_consumer(
      {.stream = "dps.referral",
       .group = dps::contracts::kAwardGroup,
       .consumer = absl::StrCat("contracts-", getpid())},
      redis, runtime->pool(),
      [&](pqxx::work& tx, const dps::platform::StreamEvent& event) {
        return awards.Apply(tx, event);
      },
      &runtime->registry(),
      [&](const dps::platform::StreamEvent& event) { return awards.Prepare(event); });
  runtime->AddWorker([&](std::stop_token stop) { award_consumer.Run(stop); });

  // Market intelligence's read models: the referrals' life and awards, and inspection ratings.
  // A Redis client is one connection, not to be shared between threads: one per consumer.
  dps::platform::RedisClient market_redis(runtime->redis_address(), absl::Seconds(2));
  dps::platform::RedisClient rating_redis(runtime->redis_address(), absl::Seconds(2));
  dps::platform::StreamConsumer market_consumer(
      {.stream = "dps.referral",
       .group = dps::contracts::kMarketGroup,
       .consumer = absl::StrCat("contracts-", getpid())},
      market_redis, runtime->pool(), &dps::contracts::ApplyMarketEvent, &runtime->registry());
  dps::platform::StreamConsumer rating_consumer(
      {.stream = "dps.qualification",
       .group = dps::contracts::kMarketRatingsGroup,
       .consumer = absl::StrCat("contracts-", getpid())},
      rating_redis, runtime->pool(), &dps::contracts::ApplyMarketEvent, &runtime->registry());
  runtime->AddWorker([&](std::stop_token stop) { market_consumer.Run(stop); });
  runtime->AddWorker([&](std::stop_token stop) { rating_consumer.Run(stop); });

  dps::contracts::IpaMetrics metrics(runtime->pool(), runtime->registry());
  runtime->AddCollector([&] {
    if (absl::Status s = metrics.Refresh(); !s.ok()) {
      dps::platform::Log(dps::platform::LogLevel::kWarning, "IPA metrics not refreshed",
                         {{"error", s.ToString()}});
    }
  });
  return runtime->Serve({&service, &market_service});
}
