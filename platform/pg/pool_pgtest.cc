#include <catch2/catch.hpp>

#include "platform/pg/pool.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/test_env.h"

namespace dps::platform {
namespace {

using testing::TestDatabase;

TEST_CASE("a transaction commits when the function succeeds and rolls back when it fails") {
  TestDatabase db;
  PgPool pool({.url = db.url(), .schema = "", .size = 2});
  REQUIRE(pool.InTransaction([](pqxx::work& tx) {
                tx.exec0("CREATE TABLE t (x int)");
                return absl::OkStatus();
              })
              .ok());
  const absl::Status refused = pool.InTransaction([](pqxx::work& tx) {
    tx.exec0("INSERT INTO t VALUES (1)");
    return absl::InvalidArgumentError("x: must be even");
  });
  CHECK(refused == absl::InvalidArgumentError("x: must be even"));
  const absl::Status sql = pool.InTransaction([](pqxx::work& tx) {
    tx.exec0("INSERT INTO t VALUES (2)");
    tx.exec0("INSERT INTO nosuchtable VALUES (1)");
    return absl::OkStatus();
  });
  CHECK(absl::IsInternal(sql));
  int rows = -1;
  REQUIRE(pool.InTransaction([&](pqxx::work& tx) {
                rows = tx.exec1("SELECT count(*) FROM t")[0].as<int>();
                return absl::OkStatus();
              })
              .ok());
  CHECK(rows == 0);
}

TEST_CASE("each connection's search_path starts with the service schema") {
  TestDatabase db;
  PgPool pool({.url = db.url(), .schema = "referral", .size = 1});
  std::string path;
  REQUIRE(pool.InTransaction([&](pqxx::work& tx) {
                path = tx.exec1("SHOW search_path")[0].as<std::string>();
                return absl::OkStatus();
              })
              .ok());
  CHECK(path == "referral, public");
}

TEST_CASE("the connect timeout goes into the connection string, never over the caller's own") {
  CHECK(WithConnectTimeout("postgresql://h/db", absl::Seconds(5)) ==
        "postgresql://h/db?connect_timeout=5");
  CHECK(WithConnectTimeout("postgresql://h/db?sslmode=disable", absl::Seconds(2)) ==
        "postgresql://h/db?sslmode=disable&connect_timeout=2");
  CHECK(WithConnectTimeout("host=h dbname=db", absl::Seconds(3)) ==
        "host=h dbname=db connect_timeout=3");
  CHECK(WithConnectTimeout("postgresql://h/db?connect_timeout=9", absl::Seconds(3)) ==
        "postgresql://h/db?connect_timeout=9");
  CHECK(WithConnectTimeout("postgresql://h/db", absl::Milliseconds(10)) ==
        "postgresql://h/db?connect_timeout=1");
}

TEST_CASE("an unreachable server is UNAVAILABLE and recognised as a connection failure") {
  PgPool pool({.url = "postgresql://nobody@127.0.0.1:1/none",
               .size = 1,
               .connect_timeout = absl::Seconds(1)});
  const absl::Status status = pool.CheckReachable();
  CHECK(absl::IsUnavailable(status));
  CHECK(IsConnectionFailure(status));
}

TEST_CASE("a session killed by the server is replaced on the next use") {
  TestDatabase db;
  PgPool pool({.url = db.url(), .size = 1});
  int pid = 0;
  REQUIRE(pool.InTransaction([&](pqxx::work& tx) {
                pid = tx.exec1("SELECT pg_backend_pid()")[0].as<int>();
                return absl::OkStatus();
              })
              .ok());
  {
    pqxx::connection admin(db.url());
    pqxx::nontransaction tx(admin);
    tx.exec_params("SELECT pg_terminate_backend($1)", pid);
  }
  const absl::Status lost = pool.InTransaction([](pqxx::work& tx) {
    tx.exec0("SELECT 1");
    return absl::OkStatus();
  });
  CHECK(IsConnectionFailure(lost));
  int new_pid = 0;
  REQUIRE(pool.InTransaction([&](pqxx::work& tx) {
                new_pid = tx.exec1("SELECT pg_backend_pid()")[0].as<int>();
                return absl::OkStatus();
              })
              .ok());
  CHECK(new_pid != pid);
}

}  // namespace
}  // namespace dps::platform
