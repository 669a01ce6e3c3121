// The unit of work against the test PostgreSQL: a change runs once per idempotency key, its facts
// are gathered once, and what it writes (its events, its audit entry) commits with it or not at
// all.
#include <catch2/catch.hpp>
#include <string>

#include "dps/common/v1/common.pb.h"
#include "platform/events/outbox_migrations.h"
#include "platform/pg/migrations.h"
#include "platform/testing/test_env.h"
#include "platform/work/unit_of_work.h"

namespace dps::platform {
namespace {

using dps::common::v1::Actor;

const CallerIdentity kOfficer{.user_id = "officer-1",
                              .role = dps::common::v1::ROLE_PLACING_OFFICER,
                              .organisation_id = "brighton-and-hove"};

struct World {
  World() : pool({.url = db.url(), .schema = "svc", .size = 2}), work(pool, clock) {
    REQUIRE(pool.WithConnection([](pqxx::connection& c) {
                  const MigrationSet sets[] = {{"platform", OutboxMigrations()}};
                  return ApplyMigrations(c, "svc", sets);
                })
                .ok());
  }
  // One text column of the audit log's only entry.
  std::string AuditColumn(const std::string& column) {
    std::string value;
    REQUIRE(pool.InTransaction([&](pqxx::work& tx) {
                  value = tx.exec1("SELECT " + tx.quote_name(column) + " FROM audit_log")[0]
                              .as<std::string>();
                  return absl::OkStatus();
                })
                .ok());
    return value;
  }
  int64_t Count(const std::string& table) {
    int64_t n = 0;
    REQUIRE(pool.InTransaction([&](pqxx::work& tx) {
                  n = tx.exec1("SELECT count(*) FROM " + tx.quote_name(table))[0].as<int64_t>();
                  return absl::OkStatus();
                })
                .ok());
    return n;
  }
  // A change announcing one event, answering with `answer`; counts what runs.
  absl::Status Change(const std::string& key, const std::string& request_text,
                      const std::string& answer, Actor& response) {
    Actor request;
    request.set_user_id(request_text);
    const UnitOfWork::Prepare prepare{.read =
                                          [&](Call&) {
                                            ++reads;
                                            return absl::OkStatus();
                                          },
                                      .ask =
                                          [&](const CallerIdentity&, const std::string&) {
                                            ++asks;
                                            return absl::OkStatus();
                                          }};
    return work.Change(kOfficer, "req-1", "Do", key, request, response, prepare,
                       [&](Call& call) -> absl::Status {
                         ++bodies;
                         response.set_user_id(answer);
                         dps::events::v1::EventEnvelope envelope;
                         return Announce(call, "dps.test", "test.thing.done", "thing", "thing-1",
                                         "sys-1", envelope);
                       });
  }

  testing::TestDatabase db;
  PgPool pool;
  FakeClock clock{absl::FromUnixSeconds(1800000000)};
  UnitOfWork work;
  int reads = 0;
  int asks = 0;
  int bodies = 0;
};

TEST_CASE("a change runs once per key: a repeat is answered from the ledger, asking nothing") {
  World w;
  Actor first;
  REQUIRE(w.Change("key-1", "do it", "done", first).ok());
  CHECK(first.user_id() == "done");
  Actor again;
  REQUIRE(w.Change("key-1", "do it", "done differently", again).ok());
  CHECK(again.user_id() == "done");
  CHECK(w.reads == 1);
  CHECK(w.asks == 1);
  CHECK(w.bodies == 1);
  CHECK(w.Count("outbox") == 1);
  // The same key for another request is refused, naming the key.
  Actor other;
  const absl::Status reused = w.Change("key-1", "do something else", "x", other);
  CHECK(reused.code() == absl::StatusCode::kInvalidArgument);
  CHECK(w.bodies == 1);
}

TEST_CASE("the event and its audit entry commit with the change, or nothing does") {
  World w;
  Actor response;
  REQUIRE(w.Change("key-1", "do it", "done", response).ok());
  CHECK(w.Count("outbox") == 1);
  CHECK(w.Count("audit_log") == 1);
  CHECK(w.Count("idempotency_keys") == 1);

  Actor request;
  request.set_user_id("fail");
  const absl::Status failed = w.work.Change(
      kOfficer, "req-2", "Do", "key-2", request, response, {}, [&](Call& call) -> absl::Status {
        dps::events::v1::EventEnvelope envelope;
        if (absl::Status s = Announce(call, "dps.test", "test.thing.done", "thing", "thing-2",
                                      "sys-1", envelope);
            !s.ok()) {
          return s;
        }
        return absl::FailedPreconditionError("thing: refused after announcing");
      });
  CHECK(failed.ToString() == "FAILED_PRECONDITION: thing: refused after announcing");
  CHECK(w.Count("outbox") == 1);
  CHECK(w.Count("audit_log") == 1);
  CHECK(w.Count("idempotency_keys") == 1);
}

TEST_CASE("a change that announces nothing is still in the audit chain, under its method") {
  World w;
  Actor request;
  request.set_user_id("quiet");
  Actor response;
  REQUIRE(w.work
              .Change(kOfficer, "req-3", "EditQuietly", "key-3", request, response, {},
                      [&](Call&) {
                        response.set_user_id("edited");
                        return absl::OkStatus();
                      })
              .ok());
  CHECK(w.Count("outbox") == 0);
  REQUIRE(w.Count("audit_log") == 1);
  CHECK(w.AuditColumn("action") == "EditQuietly");
  CHECK(w.AuditColumn("actor_user_id") == "officer-1");
  CHECK(w.AuditColumn("request_id") == "req-3");
}

TEST_CASE("a refused ask leaves nothing behind, and a retry with the key asks again") {
  World w;
  Actor request;
  request.set_user_id("ask");
  Actor response;
  int asks = 0;
  const UnitOfWork::Prepare refusing{.ask = [&](const CallerIdentity&, const std::string&) {
    ++asks;
    return absl::UnavailableError("peer: down");
  }};
  const auto body = [&](Call&) { return absl::OkStatus(); };
  CHECK(w.work.Change(kOfficer, "req-4", "Do", "key-4", request, response, refusing, body).code() ==
        absl::StatusCode::kUnavailable);
  CHECK(w.Count("idempotency_keys") == 0);
  CHECK(w.work.Change(kOfficer, "req-4", "Do", "key-4", request, response, refusing, body).code() ==
        absl::StatusCode::kUnavailable);
  CHECK(asks == 2);
}

TEST_CASE("a read in steps opens a transaction per step, each seeing the caller and the time") {
  World w;
  int steps = 0;
  const absl::Status read =
      w.work.ReadInSteps(kOfficer, "req-5", [&](UnitOfWork::Steps& read) -> absl::Status {
        CHECK(read.caller.user_id == "officer-1");
        CHECK(read.now == absl::FromUnixSeconds(1800000000));
        for (int i = 0; i < 2; ++i) {
          if (absl::Status s = read.in_transaction([&](Call& call) {
                ++steps;
                CHECK(call.request_id == "req-5");
                CHECK(call.now == read.now);
                return absl::OkStatus();
              });
              !s.ok()) {
            return s;
          }
        }
        return read.in_transaction(
            [](Call&) { return absl::NotFoundError("thing thing-9: not found"); });
      });
  CHECK(steps == 2);
  CHECK(read.ToString() == "NOT_FOUND: thing thing-9: not found");
}

}  // namespace
}  // namespace dps::platform
