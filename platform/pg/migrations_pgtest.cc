#include <catch2/catch.hpp>
#include <latch>
#include <thread>
#include <vector>

#include "platform/pg/migrations.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/test_env.h"

namespace dps::platform {
namespace {

using testing::TestDatabase;

absl::Status Apply(const std::string& url, std::span<const Migration> migrations) {
  pqxx::connection connection(url);
  const MigrationSet sets[] = {{"svc", migrations}};
  return ApplyMigrations(connection, "svc", sets);
}

int Count(const std::string& url, const std::string& sql) {
  pqxx::connection connection(url);
  pqxx::nontransaction tx(connection);
  return tx.exec1(sql)[0].as<int>();
}

TEST_CASE("migrations apply in order once, in the service schema, and are recorded") {
  TestDatabase db;
  const Migration v1[] = {{1, "0001_a.sql", "CREATE TABLE a (x int)"},
                          {2, "0002_b.sql", "INSERT INTO a VALUES (1)"}};
  REQUIRE(Apply(db.url(), v1) == absl::OkStatus());
  REQUIRE(Apply(db.url(), v1) == absl::OkStatus());  // a second start changes nothing
  CHECK(Count(db.url(), "SELECT count(*) FROM svc.a") == 1);
  CHECK(Count(db.url(), "SELECT count(*) FROM svc.schema_migrations") == 2);

  const Migration v2[] = {v1[0], v1[1], {3, "0003_c.sql", "INSERT INTO a VALUES (2)"}};
  REQUIRE(Apply(db.url(), v2) == absl::OkStatus());
  CHECK(Count(db.url(), "SELECT count(*) FROM svc.a") == 2);
}

TEST_CASE("a changed migration text stops start-up and names the file") {
  TestDatabase db;
  const Migration original[] = {{1, "0001_a.sql", "CREATE TABLE a (x int)"}};
  REQUIRE(Apply(db.url(), original) == absl::OkStatus());
  const Migration edited[] = {{1, "0001_a.sql", "CREATE TABLE a (x bigint)"}};
  const absl::Status status = Apply(db.url(), edited);
  REQUIRE(absl::IsFailedPrecondition(status));
  CHECK(status.message().find("svc/0001_a.sql has changed since it was applied") !=
        std::string::npos);
}

TEST_CASE("an applied migration unknown to the binary stops start-up") {
  TestDatabase db;
  const Migration two[] = {{1, "0001_a.sql", "CREATE TABLE a (x int)"},
                           {2, "0002_b.sql", "CREATE TABLE b (x int)"}};
  REQUIRE(Apply(db.url(), two) == absl::OkStatus());
  const absl::Status status = Apply(db.url(), std::span<const Migration>(two, 1));
  REQUIRE(absl::IsFailedPrecondition(status));
  CHECK(status.message().find("0002_b.sql is applied in schema svc but unknown") !=
        std::string::npos);
}

TEST_CASE("a failing migration applies nothing of the batch") {
  TestDatabase db;
  const Migration bad[] = {{1, "0001_a.sql", "CREATE TABLE a (x int)"},
                           {2, "0002_b.sql", "CREATE TABLE broken (x nosuchtype)"}};
  const absl::Status status = Apply(db.url(), bad);
  REQUIRE(absl::IsFailedPrecondition(status));
  CHECK(status.message().find("svc/0002_b.sql failed") != std::string::npos);
  CHECK(Count(db.url(),
              "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'svc'") == 0);
}

TEST_CASE(
    "replicas starting at once: one migrates under the lock, the others wait and find it done") {
  TestDatabase db;
  // The second migration holds the lock a moment, so the other starts arrive while it runs.
  const Migration migrations[] = {{1, "0001_a.sql", "CREATE TABLE a (x int)"},
                                  {2, "0002_slow.sql", "DO $$ BEGIN PERFORM pg_sleep(0.3); END $$"},
                                  {3, "0003_b.sql", "INSERT INTO a VALUES (1)"}};
  constexpr int kReplicas = 6;
  std::vector<absl::Status> results(kReplicas);
  {
    std::latch start(kReplicas);
    std::vector<std::jthread> replicas;
    for (int i = 0; i < kReplicas; ++i) {
      replicas.emplace_back([&, i] {
        pqxx::connection connection(db.url());  // each replica its own connection
        const MigrationSet sets[] = {{"svc", migrations}};
        start.arrive_and_wait();
        results[i] = ApplyMigrations(connection, "svc", sets);
      });
    }
  }
  for (const absl::Status& status : results) CHECK(status == absl::OkStatus());
  CHECK(Count(db.url(), "SELECT count(*) FROM svc.a") == 1);
  CHECK(Count(db.url(), "SELECT count(*) FROM svc.schema_migrations") == 3);
}

}  // namespace
}  // namespace dps::platform
