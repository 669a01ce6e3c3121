// Least privilege in Redis, with the ACL users ./dps up and ./dps test make
// (deploy/local/servers.sh): the relay alone adds to the event streams; a consumer reads,
// acknowledges and dead-letters only the streams it consumes; the default user is off.
#include <catch2/catch.hpp>
#include <string>

#include "absl/strings/match.h"
#include "platform/events/consumer.h"
#include "platform/events/outbox_migrations.h"
#include "platform/events/redis_client.h"
#include "platform/pg/migrations.h"
#include "platform/testing/test_env.h"

namespace {

using dps::platform::RedisClient;
using dps::platform::RedisValue;
using dps::platform::testing::ServiceRedisAddress;
using dps::platform::testing::TestRedisAddress;
using dps::platform::testing::UniqueName;

constexpr char kQualificationStream[] = "dps.qualification";

bool NoPermission(const absl::StatusOr<RedisValue>& reply) {
  return !reply.ok() && absl::StartsWith(reply.status().message(), "NOPERM");
}

absl::StatusOr<RedisValue> Add(RedisClient& redis, const std::string& stream) {
  return redis.Command({"XADD", stream, "*", "event_id", "00000000-0000-0000-0000-000000000000",
                        "type", "privilege.test"});
}

TEST_CASE("only the relay user may add to an event stream") {
  RedisClient relay(ServiceRedisAddress("relay"), absl::Seconds(2));
  RedisClient referral(ServiceRedisAddress("referral"), absl::Seconds(2));
  RedisClient qualification(ServiceRedisAddress("qualification"), absl::Seconds(2));
  RedisClient contracts(ServiceRedisAddress("contracts"), absl::Seconds(2));
  // A suspension forged by the referral service would be applied by every consumer.
  CHECK(NoPermission(Add(referral, kQualificationStream)));
  CHECK(NoPermission(Add(qualification, kQualificationStream)));
  CHECK(NoPermission(Add(contracts, kQualificationStream)));
  CHECK(NoPermission(Add(referral, "dps.referral")));
  absl::StatusOr<RedisValue> added = Add(relay, kQualificationStream);
  REQUIRE(added.ok());
  // Nor may a consumer remove or rewrite what the relay published.
  CHECK(NoPermission(referral.Command({"XDEL", kQualificationStream, added->string})));
  CHECK(NoPermission(referral.Command({"XTRIM", kQualificationStream, "MAXLEN", "0"})));
  CHECK(NoPermission(referral.Command({"DEL", kQualificationStream})));
  CHECK(NoPermission(referral.Command({"XGROUP", "DESTROY", kQualificationStream, "any"})));
  // The relay only adds: it reads nothing and administers nothing.
  CHECK(NoPermission(relay.Command({"XRANGE", kQualificationStream, "-", "+", "COUNT", "1"})));
  CHECK(NoPermission(relay.Command({"CONFIG", "GET", "aclfile"})));
  CHECK(NoPermission(relay.Command({"FLUSHALL"})));
  CHECK(NoPermission(relay.Command({"KEYS", "*"})));
}

TEST_CASE("a consumer reads and acknowledges only the streams it consumes") {
  RedisClient referral(ServiceRedisAddress("referral"), absl::Seconds(2));
  RedisClient contracts(ServiceRedisAddress("contracts"), absl::Seconds(2));
  const std::string group = UniqueName("privilege");
  REQUIRE(
      referral.Command({"XGROUP", "CREATE", kQualificationStream, group, "$", "MKSTREAM"}).ok());
  RedisClient relay(ServiceRedisAddress("relay"), absl::Seconds(2));
  REQUIRE(Add(relay, kQualificationStream).ok());
  absl::StatusOr<RedisValue> read = referral.Command(
      {"XREADGROUP", "GROUP", group, "c", "COUNT", "10", "STREAMS", kQualificationStream, ">"});
  REQUIRE(read.ok());
  REQUIRE(read->elements.size() == 1);
  const std::string entry = read->elements[0].elements[1].elements[0].elements[0].string;
  CHECK(referral.Command({"XPENDING", kQualificationStream, group}).ok());
  CHECK(referral.Command({"XCLAIM", kQualificationStream, group, "c2", "0", entry}).ok());
  CHECK(referral.Command({"XINFO", "GROUPS", kQualificationStream}).ok());
  CHECK(referral.Command({"XACK", kQualificationStream, group, entry}).ok());
  // Its own dead-letter stream takes what it cannot apply; no other does.
  const std::string dead_letter = std::string(kQualificationStream) + ".dead-letter";
  absl::StatusOr<RedisValue> buried = Add(referral, dead_letter);
  CHECK(buried.ok());
  CHECK(NoPermission(Add(referral, "dps.referral.dead-letter")));
  // A service reads only the streams it consumes: the contracts service reads the
  // qualification stream (market intelligence's ratings), never its own or another's.
  CHECK(contracts
            .Command({"XREADGROUP", "GROUP", group, "c", "COUNT", "1", "STREAMS",
                      kQualificationStream, ">"})
            .ok());
  CHECK(NoPermission(contracts.Command({"XRANGE", "dps.contracts", "-", "+"})));
  CHECK(NoPermission(referral.Command({"XRANGE", "dps.contracts", "-", "+"})));

  RedisClient admin(TestRedisAddress(), absl::Seconds(2));
  CHECK(admin.Command({"XGROUP", "DESTROY", kQualificationStream, group}).ok());
  if (buried.ok()) CHECK(admin.Command({"XDEL", dead_letter, buried->string}).ok());
}

TEST_CASE("Redis refuses a process that does not log in or logs in wrongly") {
  dps::platform::RedisAddress anonymous = TestRedisAddress();
  anonymous.user.clear();
  anonymous.password.clear();
  RedisClient nobody(anonymous, absl::Seconds(2));
  absl::StatusOr<RedisValue> pong = nobody.Command({"PING"});
  REQUIRE_FALSE(pong.ok());
  CHECK(absl::StartsWith(pong.status().message(), "NOAUTH"));

  dps::platform::RedisAddress wrong = ServiceRedisAddress("referral");
  wrong.password = ServiceRedisAddress("relay").password;
  RedisClient impostor(wrong, absl::Seconds(2));
  pong = impostor.Command({"PING"});
  REQUIRE_FALSE(pong.ok());
  CHECK(absl::IsPermissionDenied(pong.status()));
  CHECK(pong.status().message().find("WRONGPASS") != std::string::npos);
}

TEST_CASE(
    "the referral service's consumer works under its user and dead-letters what it cannot apply") {
  dps::platform::testing::TestDatabase db;
  dps::platform::PgPool pool({.url = db.url(), .schema = "referral", .size = 2});
  const dps::platform::MigrationSet sets[] = {{"platform", dps::platform::OutboxMigrations()}};
  REQUIRE(pool.WithConnection([&](pqxx::connection& c) {
                return dps::platform::ApplyMigrations(c, "referral", sets);
              })
              .ok());
  RedisClient relay(ServiceRedisAddress("relay"), absl::Seconds(2));
  RedisClient referral(ServiceRedisAddress("referral"), absl::Seconds(2));
  const std::string group = UniqueName("privilege_consumer");
  // The group starts at the end: other tests publish to this stream too.
  REQUIRE(
      referral.Command({"XGROUP", "CREATE", kQualificationStream, group, "$", "MKSTREAM"}).ok());
  const std::string poison_id = "11111111-2222-3333-4444-555555555555";
  REQUIRE(relay
              .Command({"XADD", kQualificationStream, "*", "event_id", poison_id, "type",
                        "privilege.poison"})
              .ok());
  int poisoned = 0;
  dps::platform::StreamConsumer consumer(
      {.stream = kQualificationStream,
       .group = group,
       .consumer = "c",
       .block = absl::Milliseconds(100)},
      referral, pool,
      [&](pqxx::work&, const dps::platform::StreamEvent& event) {
        if (event.event_id != poison_id) return absl::OkStatus();
        ++poisoned;
        return absl::InvalidArgumentError("privilege test: never applicable");
      },
      nullptr);
  absl::StatusOr<int> acknowledged = consumer.PollOnce();
  REQUIRE(acknowledged.ok());
  CHECK(poisoned >= 1);
  absl::StatusOr<RedisValue> pending = referral.Command({"XPENDING", kQualificationStream, group});
  REQUIRE(pending.ok());
  CHECK(pending->elements[0].integer == 0);

  RedisClient admin(TestRedisAddress(), absl::Seconds(2));
  CHECK(admin.Command({"XGROUP", "DESTROY", kQualificationStream, group}).ok());
}

}  // namespace
