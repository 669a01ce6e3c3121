// The outbox, relay and consumer against a real PostgreSQL and Redis, in one process.
// The crash tests, with separate processes killed at fault points, are in tests/events/.
#include <prometheus/registry.h>

#include <catch2/catch.hpp>
#include <map>

#include "platform/events/consumer.h"
#include "platform/events/outbox.h"
#include "platform/events/outbox_migrations.h"
#include "platform/events/relay.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/test_env.h"

namespace dps::platform {
namespace {

using testing::TestDatabase;
using testing::TestRedisAddress;
using testing::UniqueName;

struct Fixture {
  Fixture() : pool({.url = db.url(), .schema = "svc", .size = 4}) {
    REQUIRE(pool.WithConnection([](pqxx::connection& c) {
                  const MigrationSet sets[] = {{"platform", OutboxMigrations()}};
                  return ApplyMigrations(c, "svc", sets);
                })
                .ok());
    REQUIRE(pool.InTransaction([](pqxx::work& tx) {
                  tx.exec0("CREATE TABLE effects (event_id uuid, aggregate_id text)");
                  return absl::OkStatus();
                })
                .ok());
  }

  std::string Emit(const std::string& aggregate) {
    std::string id;
    REQUIRE(pool.InTransaction([&](pqxx::work& tx) -> absl::Status {
                  absl::StatusOr<std::string> event_id =
                      AppendToOutbox(tx, {.stream = stream,
                                          .type = "test.thing.happened",
                                          .aggregate_id = aggregate,
                                          .request_id = "req-1",
                                          .payload = std::string("\0binary\xff", 8)});
                  if (!event_id.ok()) return event_id.status();
                  id = *event_id;
                  return absl::OkStatus();
                })
                .ok());
    return id;
  }

  int Effects() {
    int n = 0;
    REQUIRE(pool.InTransaction([&](pqxx::work& tx) {
                  n = tx.exec1("SELECT count(*) FROM effects")[0].as<int>();
                  return absl::OkStatus();
                })
                .ok());
    return n;
  }

  EventHandler Recorder() {
    return [](pqxx::work& tx, const StreamEvent& e) {
      tx.exec_params0("INSERT INTO effects VALUES ($1::uuid, $2)", e.event_id, e.aggregate_id);
      return absl::OkStatus();
    };
  }

  ConsumerOptions Options() {
    return {.stream = stream,
            .group = "g",
            .consumer = "c1",
            .batch_size = 50,
            .block = absl::Milliseconds(50),
            .min_idle = absl::Milliseconds(100),
            .max_deliveries = 3};
  }

  TestDatabase db;
  PgPool pool;
  RedisClient redis{TestRedisAddress(), absl::Seconds(2)};
  std::string stream = UniqueName("dps.test");
};

TEST_CASE("an event written in a rolled-back transaction is never published") {
  Fixture f;
  const absl::Status rolled_back = f.pool.InTransaction([&](pqxx::work& tx) -> absl::Status {
    (void)AppendToOutbox(tx, {.stream = f.stream, .type = "t", .payload = "x"});
    return absl::AbortedError("changed my mind");
  });
  REQUIRE(absl::IsAborted(rolled_back));
  OutboxRelay relay({.schema = "svc"}, f.pool, f.redis, nullptr);
  CHECK(*relay.PublishBatch() == 0);
  CHECK(f.redis.Command({"XLEN", f.stream})->integer == 0);
}

TEST_CASE("a relay bound to its schema's stream does not publish a row naming another stream") {
  Fixture f;
  const std::string elsewhere = UniqueName("dps.elsewhere");
  REQUIRE(f.pool
              .InTransaction([&](pqxx::work& tx) -> absl::Status {
                return AppendToOutbox(tx, {.stream = elsewhere, .type = "forged", .payload = "x"})
                    .status();
              })
              .ok());
  f.Emit("agg-1");
  OutboxRelay relay({.schema = "svc", .only_stream = f.stream}, f.pool, f.redis, nullptr);
  CHECK(*relay.PublishBatch() == 2);  // both stamped, so the forged row never blocks the queue
  CHECK(*relay.PublishBatch() == 0);
  CHECK(f.redis.Command({"XLEN", f.stream})->integer == 1);
  CHECK(f.redis.Command({"XLEN", elsewhere})->integer == 0);
}

TEST_CASE("the relay publishes in order with every field, and the consumer applies each once") {
  Fixture f;
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i) ids.push_back(f.Emit("agg-" + std::to_string(i)));
  OutboxRelay relay({.schema = "svc", .batch_size = 4}, f.pool, f.redis, nullptr);
  CHECK(*relay.PublishBatch() == 4);
  CHECK(*relay.PublishBatch() == 4);
  CHECK(*relay.PublishBatch() == 2);
  CHECK(*relay.PublishBatch() == 0);

  std::vector<StreamEvent> seen;
  StreamConsumer consumer(
      f.Options(), f.redis, f.pool,
      [&](pqxx::work& tx, const StreamEvent& e) {
        seen.push_back(e);
        return f.Recorder()(tx, e);
      },
      nullptr);
  CHECK(*consumer.PollOnce() == 10);
  REQUIRE(seen.size() == 10);
  for (size_t i = 0; i < seen.size(); ++i) {
    CHECK(seen[i].event_id == ids[i]);
    CHECK(seen[i].aggregate_id == "agg-" + std::to_string(i));
    CHECK(seen[i].type == "test.thing.happened");
    CHECK(seen[i].request_id == "req-1");
    CHECK(seen[i].payload == std::string("\0binary\xff", 8));
  }
  CHECK(f.Effects() == 10);
  CHECK(f.redis.Command({"XPENDING", f.stream, "g"})->elements[0].integer == 0);
}

TEST_CASE("an event published twice has one effect") {
  Fixture f;
  f.Emit("once");
  OutboxRelay relay({.schema = "svc"}, f.pool, f.redis, nullptr);
  REQUIRE(*relay.PublishBatch() == 1);
  // What a relay killed between XADD and its commit does on restart: publish again.
  REQUIRE(f.pool
              .InTransaction([](pqxx::work& tx) {
                tx.exec0("UPDATE outbox SET published_at = NULL");
                return absl::OkStatus();
              })
              .ok());
  REQUIRE(*relay.PublishBatch() == 1);
  CHECK(f.redis.Command({"XLEN", f.stream})->integer == 2);
  StreamConsumer consumer(f.Options(), f.redis, f.pool, f.Recorder(), nullptr);
  CHECK(*consumer.PollOnce() == 2);  // both acknowledged...
  CHECK(f.Effects() == 1);           // ...one applied
}

TEST_CASE("a failing event is redelivered after the idle time, then dead-lettered") {
  Fixture f;
  f.Emit("poison");
  OutboxRelay relay({.schema = "svc"}, f.pool, f.redis, nullptr);
  REQUIRE(*relay.PublishBatch() == 1);
  int attempts = 0;
  StreamConsumer consumer(
      f.Options(), f.redis, f.pool,
      [&](pqxx::work&, const StreamEvent&) {
        ++attempts;
        return absl::InternalError("downstream hiccup");
      },
      nullptr);
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  while (f.redis.Command({"XLEN", f.stream + ".dead-letter"})->integer == 0 &&
         absl::Now() < give_up) {
    REQUIRE(consumer.PollOnce().status() == absl::OkStatus());
    absl::SleepFor(absl::Milliseconds(20));
  }
  CHECK(attempts == 3);  // max_deliveries
  const RedisValue dead = *f.redis.Command({"XRANGE", f.stream + ".dead-letter", "-", "+"});
  REQUIRE(dead.elements.size() == 1);
  const auto& fields = dead.elements[0].elements[1].elements;
  CHECK(fields[7].string == "not applied after 3 deliveries");  // reason
  CHECK(f.redis.Command({"XPENDING", f.stream, "g"})->elements[0].integer == 0);
  CHECK(f.Effects() == 0);
}

TEST_CASE("an event the handler calls malformed is dead-lettered at once, others carry on") {
  Fixture f;
  f.Emit("bad");
  f.Emit("good");
  OutboxRelay relay({.schema = "svc"}, f.pool, f.redis, nullptr);
  REQUIRE(*relay.PublishBatch() == 2);
  StreamConsumer consumer(
      f.Options(), f.redis, f.pool,
      [&](pqxx::work& tx, const StreamEvent& e) {
        if (e.aggregate_id == "bad") {
          return absl::InvalidArgumentError("payload: not a Thing");
        }
        return f.Recorder()(tx, e);
      },
      nullptr);
  CHECK(*consumer.PollOnce() == 2);
  CHECK(f.Effects() == 1);
  CHECK(f.redis.Command({"XLEN", f.stream + ".dead-letter"})->integer == 1);
}

TEST_CASE("the preparer runs before the transaction and its refusal counts as the handler's") {
  Fixture f;
  f.Emit("ready");
  f.Emit("unknown");
  f.Emit("later");
  OutboxRelay relay({.schema = "svc"}, f.pool, f.redis, nullptr);
  REQUIRE(*relay.PublishBatch() == 3);
  // What the preparer learns, for the handler; "later" is not known yet on the first round.
  std::map<std::string, std::string> learnt;
  bool later_known = false;
  StreamConsumer consumer(
      f.Options(), f.redis, f.pool,
      [&](pqxx::work& tx, const StreamEvent& e) {
        if (!learnt.contains(e.aggregate_id)) return absl::InternalError("not prepared");
        return f.Recorder()(tx, e);
      },
      nullptr,
      [&](const StreamEvent& e) -> absl::Status {
        if (e.aggregate_id == "unknown") return absl::InvalidArgumentError("lot: unknown");
        if (e.aggregate_id == "later" && !later_known) return absl::UnavailableError("peer down");
        learnt[e.aggregate_id] = "known";
        return absl::OkStatus();
      });
  // The batch fails as a whole; one by one, "ready" applies, "unknown" is dead-lettered and
  // "later" stays pending.
  CHECK(*consumer.PollOnce() == 2);
  CHECK(f.Effects() == 1);
  CHECK(f.redis.Command({"XLEN", f.stream + ".dead-letter"})->integer == 1);
  CHECK(f.redis.Command({"XPENDING", f.stream, "g"})->elements[0].integer == 1);
  later_known = true;
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  while (f.Effects() < 2 && absl::Now() < give_up) {
    REQUIRE(consumer.PollOnce().status() == absl::OkStatus());
    absl::SleepFor(absl::Milliseconds(50));
  }
  CHECK(f.Effects() == 2);
}

// Reads a dead letter's fields by name.
std::map<std::string, std::string> FieldsOf(const RedisValue& entry) {
  std::map<std::string, std::string> fields;
  const auto& values = entry.elements[1].elements;
  for (size_t i = 0; i + 1 < values.size(); i += 2) fields[values[i].string] = values[i + 1].string;
  return fields;
}

TEST_CASE("an entry whose event_id is not a UUID is dead-lettered at once and the stream goes on") {
  Fixture f;
  f.Emit("before");
  OutboxRelay relay({.schema = "svc"}, f.pool, f.redis, nullptr);
  REQUIRE(*relay.PublishBatch() == 1);
  // What a forged or foreign XADD looks like: no relay wrote it.
  REQUIRE(f.redis
              .Command({"XADD", f.stream, "*", "event_id", "not-a-uuid", "type",
                        "test.thing.happened", "aggregate_id", "forged", "payload", "x"})
              .ok());
  f.Emit("after");
  REQUIRE(*relay.PublishBatch() == 1);
  prometheus::Registry registry;
  StreamConsumer consumer(f.Options(), f.redis, f.pool, f.Recorder(), &registry);

  CHECK(*consumer.PollOnce() == 3);  // all acknowledged in the first round, none left to retry
  CHECK(f.Effects() == 2);
  CHECK(f.redis.Command({"XPENDING", f.stream, "g"})->elements[0].integer == 0);
  const RedisValue dead = *f.redis.Command({"XRANGE", f.stream + ".dead-letter", "-", "+"});
  REQUIRE(dead.elements.size() == 1);
  std::map<std::string, std::string> fields = FieldsOf(dead.elements[0]);
  CHECK(fields["reason"] == "event_id: not a UUID");
  CHECK(fields["original_stream"] == f.stream);
  CHECK(fields["event_id"] == "not-a-uuid");
  CHECK(fields["aggregate_id"] == "forged");
  CHECK(fields["payload"] == "x");
  CHECK(fields["deliveries"] == "1");
  const auto families = registry.Collect();
  double dead_lettered = -1;
  for (const auto& family : families) {
    if (family.name == "dps_consumer_dead_lettered_total") {
      dead_lettered = family.metric.at(0).counter.value;
    }
  }
  CHECK(dead_lettered == 1);
}

TEST_CASE("an entry with no event_id or no type is dead-lettered at once") {
  Fixture f;
  REQUIRE(f.redis.Command({"XADD", f.stream, "*", "type", "t", "payload", "x"}).ok());
  REQUIRE(f.redis
              .Command({"XADD", f.stream, "*", "event_id", "0b6f1c1e-4f0e-4d7e-9c55-2f5c7f1f9a10",
                        "payload", "x"})
              .ok());
  StreamConsumer consumer(f.Options(), f.redis, f.pool, f.Recorder(), nullptr);
  CHECK(*consumer.PollOnce() == 2);
  const RedisValue dead = *f.redis.Command({"XRANGE", f.stream + ".dead-letter", "-", "+"});
  REQUIRE(dead.elements.size() == 2);
  CHECK(FieldsOf(dead.elements[0])["reason"] == "event_id: missing");
  CHECK(FieldsOf(dead.elements[1])["reason"] == "type: missing");
  CHECK(f.Effects() == 0);
}

TEST_CASE("an unreachable Redis is UNAVAILABLE, not a crash, and the outbox keeps the event") {
  Fixture f;
  f.Emit("kept");
  RedisClient nowhere({"127.0.0.1", 1}, absl::Seconds(1));
  OutboxRelay relay({.schema = "svc"}, f.pool, nowhere, nullptr);
  const absl::StatusOr<int> published = relay.PublishBatch();
  CHECK(IsRedisUnavailable(published.status()));
  OutboxRelay working({.schema = "svc"}, f.pool, f.redis, nullptr);
  CHECK(*working.PublishBatch() == 1);
}

}  // namespace
}  // namespace dps::platform
