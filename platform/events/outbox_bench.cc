// outbox_bench: end-to-end throughput and lag of the event pipeline on this machine.
//
//   outbox_bench PG_URL REDIS_ADDRESS [EVENTS]
//
// Three phases, events written one transaction each (as a service does when it changes state),
// relay and consumer in their own threads with their own connections:
//   1. EVENTS/2 written with nothing else running: the outbox write's own rate;
//   2. relay and consumer drain that backlog: the pipeline's capacity;
//   3. EVENTS written while relay and consumer run: the steady rate and the lag of each event
//      (outbox insert to consumer commit), p50/p99/max.
// deploy/bench.sh runs it beside pgbench doing the same INSERT and redis-benchmark doing XADD.
#include <algorithm>
#include <cstdio>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "platform/events/consumer.h"
#include "platform/events/outbox.h"
#include "platform/events/outbox_migrations.h"
#include "platform/events/relay.h"

using namespace dps::platform;

int main(int argc, char** argv) {
  int events = 20000;
  if (argc < 3 || (argc == 4 && !absl::SimpleAtoi(argv[3], &events))) {
    std::fprintf(stderr, "usage: outbox_bench PG_URL REDIS_ADDRESS [EVENTS]\n");
    return 2;
  }
  const std::string url = argv[1];
  RedisAddress redis_address = *ParseRedisAddress(argv[2]);
  // ./dps bench's Redis has no default user: log in as its administrator.
  if (absl::Status login = AddLoginFromEnvironment(redis_address, "DPS_TEST_REDIS_USER",
                                                   "DPS_TEST_REDIS_PASSWORD_FILE");
      !login.ok()) {
    std::fprintf(stderr, "outbox_bench: %s\n", std::string(login.message()).c_str());
    return 2;
  }
  const std::string schema = "bench";
  const std::string stream = absl::StrCat("dps.bench.", getpid());

  PgPool setup({.url = url, .schema = schema, .size = 1});
  const absl::Status migrated = setup.WithConnection([&](pqxx::connection& c) {
    const MigrationSet sets[] = {{"platform", OutboxMigrations()}};
    return ApplyMigrations(c, schema, sets);
  });
  if (!migrated.ok()) {
    std::fprintf(stderr, "outbox_bench: %s\n", std::string(migrated.message()).c_str());
    return 1;
  }
  (void)setup.InTransaction([](pqxx::work& tx) {
    tx.exec0("DROP TABLE IF EXISTS bench_effects");
    tx.exec0("CREATE TABLE bench_effects (event_id uuid, lag_us bigint)");
    tx.exec0("TRUNCATE outbox");
    return absl::OkStatus();
  });

  PgPool producer_pool({.url = url, .schema = schema, .size = 1});
  PgPool relay_pool({.url = url, .schema = schema, .size = 1});
  PgPool consumer_pool({.url = url, .schema = schema, .size = 1});
  RedisClient relay_redis(redis_address, absl::Seconds(5));
  RedisClient consumer_redis(redis_address, absl::Seconds(5));
  OutboxRelay relay({.schema = schema, .batch_size = 500, .idle_wait = absl::Milliseconds(50)},
                    relay_pool, relay_redis, nullptr);
  StreamConsumer consumer(
      {.stream = stream,
       .group = "bench",
       .consumer = "c1",
       .batch_size = 500,
       .block = absl::Milliseconds(50)},
      consumer_redis, consumer_pool,
      [](pqxx::work& tx, const StreamEvent& e) {
        // Lag measured inside PostgreSQL so both ends read the same clock.
        tx.exec_params0(
            "INSERT INTO bench_effects SELECT $1::uuid, "
            "(EXTRACT(EPOCH FROM clock_timestamp() - created_at) * 1e6)::bigint "
            "FROM outbox WHERE event_id = $1::uuid",
            e.event_id);
        return absl::OkStatus();
      },
      nullptr);

  auto produce = [&](int count) -> bool {
    for (int i = 0; i < count; ++i) {
      const absl::Status status = producer_pool.InTransaction([&](pqxx::work& tx) {
        return AppendToOutbox(tx, {.stream = stream,
                                   .type = "bench.event",
                                   .aggregate_id = std::to_string(i),
                                   .payload = "x"})
            .status();
      });
      if (!status.ok()) {
        std::fprintf(stderr, "outbox_bench: %s\n", std::string(status.message()).c_str());
        return false;
      }
    }
    return true;
  };
  auto applied_count = [&] {
    int applied = 0;
    (void)setup.InTransaction([&](pqxx::work& tx) {
      applied = tx.exec1("SELECT count(*) FROM bench_effects")[0].as<int>();
      return absl::OkStatus();
    });
    return applied;
  };
  auto await_applied = [&](int target, absl::Time since) {
    while (applied_count() < target && absl::Now() - since < absl::Minutes(5)) {
      absl::SleepFor(absl::Milliseconds(10));
    }
  };

  // Phase 1: the outbox write alone, nothing else touching the database (compare: pgbench).
  const int backlog = events / 2;
  absl::Time start = absl::Now();
  if (!produce(backlog)) return 1;
  const double write_rate = backlog / absl::ToDoubleSeconds(absl::Now() - start);

  // Phase 2: relay and consumer drain that backlog: the pipeline's capacity.
  start = absl::Now();
  std::jthread relay_thread([&](std::stop_token stop) { relay.Run(stop); });
  std::jthread consumer_thread([&](std::stop_token stop) { consumer.Run(stop); });
  await_applied(backlog, start);
  const double drain_rate = backlog / absl::ToDoubleSeconds(absl::Now() - start);
  (void)setup.InTransaction([](pqxx::work& tx) {
    tx.exec0("TRUNCATE bench_effects");
    return absl::OkStatus();
  });

  // Phase 3: steady state, producer, relay and consumer together; lag of each event.
  start = absl::Now();
  if (!produce(events)) return 1;
  const double produce_rate = events / absl::ToDoubleSeconds(absl::Now() - start);
  await_applied(events, start);
  const double end_to_end_rate = events / absl::ToDoubleSeconds(absl::Now() - start);
  const int applied = applied_count();
  relay_thread.request_stop();
  consumer_thread.request_stop();

  std::vector<long> lags;
  (void)setup.InTransaction([&](pqxx::work& tx) {
    for (const auto& row : tx.exec("SELECT lag_us FROM bench_effects ORDER BY lag_us")) {
      lags.push_back(row[0].as<long>());
    }
    return absl::OkStatus();
  });
  if (lags.empty() || applied < events) {
    std::fprintf(stderr, "outbox_bench: only %d of %d events arrived\n", applied, events);
    return 1;
  }
  auto percentile = [&](double p) {
    return lags[std::min(lags.size() - 1, static_cast<size_t>(p * lags.size()))] / 1000.0;
  };
  std::printf("events=%d\n", events);
  std::printf("write_only_events_per_second=%.0f\n", write_rate);
  std::printf("drain_events_per_second=%.0f\n", drain_rate);
  std::printf("steady_producer_events_per_second=%.0f\n", produce_rate);
  std::printf("steady_end_to_end_events_per_second=%.0f\n", end_to_end_rate);
  std::printf("lag_ms_p50=%.2f\nlag_ms_p99=%.2f\nlag_ms_max=%.2f\n", percentile(0.50),
              percentile(0.99), lags.back() / 1000.0);
  RedisClient cleanup(redis_address, absl::Seconds(2));
  (void)cleanup.Command({"DEL", stream});
  return 0;
}
