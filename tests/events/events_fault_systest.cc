// Crash tests of the event pipeline: real processes, real PostgreSQL and Redis, real SIGKILL.
//
// Each case starts a private PostgreSQL cluster and Redis (so stopping them disturbs no other
// test), a producer writing kEvents events through the outbox, a relay and a consumer, breaks
// one thing at a chosen moment, repairs it, and then counts: every event must have exactly one
// effect, and none may be missing.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "platform/events/outbox_migrations.h"
#include "platform/events/redis_client.h"
#include "platform/pg/migrations.h"
#include "platform/testing/child_process.h"

namespace {

using dps::platform::RedisClient;
using dps::platform::testing::FreePort;
using dps::platform::testing::KilledBySigkill;
using Child = dps::platform::testing::ChildProcess;

constexpr int kEvents = 2000;
constexpr char kStream[] = "dps.harness";

int Shell(const std::string& script) {
  const std::string command = absl::StrCat("bash -c 'set -e; source ", DPS_SOURCE_DIR,
                                           "/deploy/local/servers.sh; ", script, "'");
  return std::system(command.c_str());
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  std::getline(in, text);
  return text;
}

// A private PostgreSQL cluster and Redis for one test case.
class Servers final {
 public:
  Servers() {
    char dir_template[] = "/tmp/dps-fault.XXXXXX";
    dir_ = mkdtemp(dir_template);
    chmod(dir_.c_str(), 0755);
    pg_port_ = FreePort();
    redis_port_ = FreePort();
    REQUIRE(Shell(absl::StrCat("pg_init ", dir_, "; pg_start ", dir_, " ", pg_port_,
                               "; pg_create_db ", dir_, " ", pg_port_, " dps")) == 0);
    StartRedis();
    // The password stays in the cluster's password file, so the URL can go on a command line.
    url_ = absl::StrCat("postgresql://dps@127.0.0.1:", pg_port_, "/dps?passfile=", dir_, "/pgpass");
    pqxx::connection connection(url_);
    const dps::platform::MigrationSet sets[] = {{"platform", dps::platform::OutboxMigrations()}};
    REQUIRE(dps::platform::ApplyMigrations(connection, "harness", sets).ok());
    pqxx::work tx(connection);
    tx.exec0("CREATE TABLE harness.produced (seq int PRIMARY KEY)");
    tx.exec0("CREATE TABLE harness.effects (event_id uuid NOT NULL, seq int NOT NULL)");
    tx.commit();
  }

  ~Servers() {
    Shell(
        absl::StrCat("redis_stop ", dir_, " ", redis_port_, "; pg_stop ", dir_, "; rm -rf ", dir_));
  }

  void StartRedis() { REQUIRE(Shell(absl::StrCat("redis_start ", dir_, " ", redis_port_)) == 0); }
  void KillRedis() {
    REQUIRE(Shell(absl::StrCat("kill -9 $(cat ", dir_, "/redis.pid); rm -f ", dir_,
                               "/redis.pid")) == 0);
  }
  void StopPostgres() { REQUIRE(Shell(absl::StrCat("pg_stop ", dir_)) == 0); }
  void StartPostgres() { REQUIRE(Shell(absl::StrCat("pg_start ", dir_, " ", pg_port_)) == 0); }

  const std::string& url() const { return url_; }
  std::string redis() const { return absl::StrCat("127.0.0.1:", redis_port_); }

  // Counts effects, retrying while PostgreSQL is away.
  std::pair<long, long> Effects() const {
    for (;;) {
      try {
        pqxx::connection connection(url_);
        pqxx::nontransaction tx(connection);
        const pqxx::row row = tx.exec1("SELECT count(*), count(DISTINCT seq) FROM harness.effects");
        return {row[0].as<long>(), row[1].as<long>()};
      } catch (const std::exception&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
    }
  }

  // What the harness's relay and consumers log in to Redis as.
  std::vector<std::string> RedisLogin() const {
    return {"DPS_REDIS_USER=dps-admin",
            absl::StrCat("DPS_REDIS_PASSWORD_FILE=", dir_, "/secrets/redis-admin")};
  }

  long StreamLength() const {
    dps::platform::RedisAddress address = *dps::platform::ParseRedisAddress(redis());
    address.user = "dps-admin";
    address.password = ReadFile(dir_ + "/secrets/redis-admin");
    RedisClient client(address, absl::Seconds(2));
    return client.Command({"XLEN", kStream})->integer;
  }

 private:
  std::string dir_;
  int pg_port_ = 0;
  int redis_port_ = 0;
  std::string url_;
};

std::string Harness() { return absl::StrCat(DPS_BINARY_DIR, "/tests/event_harness"); }

Child Producer(const Servers& s) {
  return Child({Harness(), "produce", s.url(), kStream, std::to_string(kEvents)});
}
Child Relay(const Servers& s, std::vector<std::string> env = {}) {
  for (std::string& login : s.RedisLogin()) env.push_back(std::move(login));
  return Child({Harness(), "relay", s.url(), s.redis()}, std::move(env));
}
Child Consumer(const Servers& s, const std::string& name, std::vector<std::string> env = {}) {
  for (std::string& login : s.RedisLogin()) env.push_back(std::move(login));
  return Child({Harness(), "consume", s.url(), s.redis(), kStream, name}, std::move(env));
}

// Waits until every event has been applied at least once (or two minutes pass).
void AwaitAllApplied(const Servers& s) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  while (s.Effects().second < kEvents && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // Linger so that a duplicate effect still in flight would be counted.
  std::this_thread::sleep_for(std::chrono::seconds(2));
}

void AwaitApplied(const Servers& s, long at_least) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (s.Effects().second < at_least && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE(s.Effects().second >= at_least);
}

void RequireExactlyOnce(const Servers& s) {
  const auto [effects, distinct] = s.Effects();
  CHECK(distinct == kEvents);  // none lost
  CHECK(effects == kEvents);   // none applied twice
}

TEST_CASE("relay killed after publishing and before its commit: republished, applied once") {
  Servers s;
  Child producer = Producer(s);
  Child consumer = Consumer(s, "c1");
  {
    Child doomed = Relay(s, {"DPS_FAULT_POINT=relay.after_publish", "DPS_FAULT_AFTER=3"});
    REQUIRE(KilledBySigkill(doomed.WaitForExit(std::chrono::seconds(60))));
  }
  Child relay = Relay(s);
  AwaitAllApplied(s);
  RequireExactlyOnce(s);
  CHECK(s.StreamLength() > kEvents);  // the crashed batch really was published twice
}

TEST_CASE("relay killed after reading and before publishing: nothing lost") {
  Servers s;
  Child producer = Producer(s);
  Child consumer = Consumer(s, "c1");
  {
    Child doomed = Relay(s, {"DPS_FAULT_POINT=relay.before_publish", "DPS_FAULT_AFTER=4"});
    REQUIRE(KilledBySigkill(doomed.WaitForExit(std::chrono::seconds(60))));
  }
  Child relay = Relay(s);
  AwaitAllApplied(s);
  RequireExactlyOnce(s);
}

TEST_CASE("consumer killed after its effect commits and before it acknowledges: applied once") {
  Servers s;
  Child producer = Producer(s);
  Child relay = Relay(s);
  {
    Child doomed =
        Consumer(s, "c1", {"DPS_FAULT_POINT=consumer.after_commit", "DPS_FAULT_AFTER=10"});
    REQUIRE(KilledBySigkill(doomed.WaitForExit(std::chrono::seconds(60))));
  }
  // A new consumer claims what c1 left pending once it has been idle for a second.
  Child consumer = Consumer(s, "c2");
  AwaitAllApplied(s);
  RequireExactlyOnce(s);
}

TEST_CASE("Redis killed and restarted mid-stream: nothing lost, nothing doubled") {
  Servers s;
  Child producer = Producer(s);
  Child relay = Relay(s);
  Child consumer = Consumer(s, "c1");
  AwaitApplied(s, kEvents / 3);
  s.KillRedis();
  std::this_thread::sleep_for(std::chrono::seconds(1));
  s.StartRedis();
  AwaitAllApplied(s);
  RequireExactlyOnce(s);
}

TEST_CASE("PostgreSQL stopped and brought back mid-stream: every process carries on") {
  Servers s;
  Child producer = Producer(s);
  Child relay = Relay(s);
  Child consumer = Consumer(s, "c1");
  AwaitApplied(s, kEvents / 3);
  s.StopPostgres();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  s.StartPostgres();
  AwaitAllApplied(s);
  RequireExactlyOnce(s);
}

}  // namespace
