// event_harness: one role of the event pipeline as its own process, for the crash tests.
//
//   event_harness produce PG_URL STREAM COUNT   writes COUNT events, one transaction each
//   event_harness relay PG_URL REDIS            publishes the "harness" schema's outbox
//   event_harness consume PG_URL REDIS STREAM NAME   applies events to the effects table
//
// PG_URL holds no password (a passfile= parameter names the file); Redis's user and password
// file are DPS_REDIS_USER and DPS_REDIS_PASSWORD_FILE, as for a service. relay and consume run
// until SIGTERM. Fault points (DPS_FAULT_POINT) kill them with SIGKILL at
// the moments the tests name. The producer is idempotent per sequence number, as a real client
// with an idempotency key would be, so retrying a commit whose outcome was lost is safe.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "absl/strings/numbers.h"
#include "platform/events/consumer.h"
#include "platform/events/outbox.h"
#include "platform/events/relay.h"
#include "platform/service/runtime.h"

namespace {

using namespace dps::platform;

constexpr char kSchema[] = "harness";

PgPool MakePool(const std::string& url) {
  return PgPool({.url = url, .schema = kSchema, .size = 2, .connect_timeout = absl::Seconds(2)});
}

int Produce(const std::string& url, const std::string& stream, int count) {
  PgPool pool = MakePool(url);
  for (int seq = 1; seq <= count; ++seq) {
    for (;;) {
      const absl::Status status = pool.InTransaction([&](pqxx::work& tx) -> absl::Status {
        const pqxx::result inserted =
            tx.exec_params("INSERT INTO produced (seq) VALUES ($1) ON CONFLICT DO NOTHING", seq);
        if (inserted.affected_rows() == 0) return absl::OkStatus();  // done before a lost reply
        return AppendToOutbox(tx, {.stream = stream,
                                   .type = "harness.produced",
                                   .aggregate_id = std::to_string(seq),
                                   .payload = std::to_string(seq)})
            .status();
      });
      if (status.ok()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));  // PostgreSQL away: retry
    }
  }
  return 0;
}

RedisAddress Redis(const std::string& text) {
  RedisAddress address = *ParseRedisAddress(text);
  if (absl::Status login =
          AddLoginFromEnvironment(address, "DPS_REDIS_USER", "DPS_REDIS_PASSWORD_FILE");
      !login.ok()) {
    std::fprintf(stderr, "event_harness: %s\n", std::string(login.message()).c_str());
    std::exit(2);
  }
  return address;
}

int RunUntilTerminated(const std::function<void(std::stop_token)>& work) {
  std::jthread worker(work);
  WaitForTerminationSignal();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  BlockTerminationSignals();
  const std::string role = argc > 1 ? argv[1] : "";
  int count = 0;
  if (role == "produce" && argc == 5 && absl::SimpleAtoi(argv[4], &count)) {
    return Produce(argv[2], argv[3], count);
  }
  if (role == "relay" && argc == 4) {
    PgPool pool = MakePool(argv[2]);
    RedisClient redis(Redis(argv[3]), absl::Seconds(2));
    OutboxRelay relay({.schema = kSchema, .batch_size = 100}, pool, redis, nullptr);
    return RunUntilTerminated([&](std::stop_token stop) { relay.Run(stop); });
  }
  if (role == "consume" && argc == 6) {
    PgPool pool = MakePool(argv[2]);
    RedisClient redis(Redis(argv[3]), absl::Seconds(2));
    StreamConsumer consumer(
        {.stream = argv[4],
         .group = "harness",
         .consumer = argv[5],
         .batch_size = 50,
         .block = absl::Milliseconds(200),
         .min_idle = absl::Seconds(1),
         .max_deliveries = 1000},
        redis, pool,
        [](pqxx::work& tx, const StreamEvent& event) {
          tx.exec_params0("INSERT INTO effects (event_id, seq) VALUES ($1::uuid, $2::int)",
                          event.event_id, event.payload);
          return absl::OkStatus();
        },
        nullptr);
    return RunUntilTerminated([&](std::stop_token stop) { consumer.Run(stop); });
  }
  std::fprintf(stderr, "usage: see the top of tests/events/event_harness.cc\n");
  return 2;
}
