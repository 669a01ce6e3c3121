#include <catch2/catch.hpp>
#include <future>
#include <thread>

#include "absl/strings/str_cat.h"
#include "dps/common/v1/common.pb.h"
#include "platform/events/outbox_migrations.h"
#include "platform/pg/idempotency.h"
#include "platform/pg/migrations.h"
#include "platform/pg/pool.h"
#include "platform/testing/test_env.h"

namespace dps::platform {
namespace {

using testing::TestDatabase;

struct World {
  World() : pool({.url = db.url(), .schema = "svc", .size = 4}) {
    REQUIRE(pool.WithConnection([](pqxx::connection& c) {
                  const MigrationSet sets[] = {{"platform", OutboxMigrations()}};
                  return ApplyMigrations(c, "svc", sets);
                })
                .ok());
  }
  // Runs one change with `key` for `request`, answering with `answer`; `hold` (if given) is waited
  // for inside the transaction, so the test can keep a request in flight.
  absl::Status Change(const std::string& key, const std::string& request_text,
                      const std::string& answer, dps::common::v1::Actor* response,
                      std::shared_future<void> hold = {}) {
    dps::common::v1::Actor request;
    request.set_user_id(request_text);
    return pool.InTransaction([&](pqxx::work& tx) {
      return RunOnce(tx, {.scope = "org-1/Do", .key = key}, request, *response, [&] {
        ++runs;
        if (hold.valid()) hold.wait();
        response->set_user_id(answer);
        return absl::OkStatus();
      });
    });
  }
  // Moves every key's creation `age` into the past, as though it had been made then.
  void Age(absl::Duration age) {
    REQUIRE(pool.InTransaction([&](pqxx::work& tx) {
                  tx.exec_params0(
                      "UPDATE idempotency_keys SET created_at = created_at - $1::interval",
                      absl::StrCat(absl::ToInt64Seconds(age), " seconds"));
                  return absl::OkStatus();
                })
                .ok());
  }
  int Keys() {
    int n = 0;
    REQUIRE(pool.InTransaction([&](pqxx::work& tx) {
                  n = tx.exec1("SELECT count(*) FROM idempotency_keys")[0].as<int>();
                  return absl::OkStatus();
                })
                .ok());
    return n;
  }
  TestDatabase db;
  PgPool pool;
  std::atomic<int> runs{0};
};

TEST_CASE("A repeated key gives the first response and no second effect") {
  World world;
  dps::common::v1::Actor first, second;
  REQUIRE(world.Change("k", "same", "answer-1", &first).ok());
  REQUIRE(world.Change("k", "same", "answer-2", &second).ok());
  CHECK(second.user_id() == "answer-1");
  CHECK(world.runs == 1);
}

TEST_CASE("A key used for another request is refused") {
  World world;
  dps::common::v1::Actor response;
  REQUIRE(world.Change("k", "one", "a", &response).ok());
  CHECK(world.Change("k", "two", "b", &response) ==
        absl::InvalidArgumentError(
            "idempotency_key: already used for a different request; use a new key"));
}

TEST_CASE("A repeat while the first is still served is ABORTED at once, then replays") {
  World world;
  std::promise<void> release;
  std::shared_future<void> hold = release.get_future().share();
  dps::common::v1::Actor first;
  std::future<absl::Status> in_flight = std::async(
      std::launch::async, [&] { return world.Change("k", "same", "answer-1", &first, hold); });
  while (world.runs == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  dps::common::v1::Actor repeat;
  CHECK(world.Change("k", "same", "answer-2", &repeat) ==
        absl::AbortedError(
            "idempotency_key: a request with this key is still being served; retry shortly"));
  release.set_value();
  REQUIRE(in_flight.get().ok());
  REQUIRE(world.Change("k", "same", "answer-2", &repeat).ok());
  CHECK(repeat.user_id() == "answer-1");
  CHECK(world.runs == 1);
}

TEST_CASE("A key older than 7 days is treated as new") {
  World world;
  dps::common::v1::Actor response;
  REQUIRE(world.Change("k", "one", "answer-1", &response).ok());
  world.Age(absl::Hours(24 * 7) + absl::Minutes(1));
  // Another request with the old key is not refused, and it runs.
  REQUIRE(world.Change("k", "two", "answer-2", &response).ok());
  CHECK(response.user_id() == "answer-2");
  CHECK(world.runs == 2);
  // From then on the key is young again and answers with its new response.
  dps::common::v1::Actor repeat;
  REQUIRE(world.Change("k", "two", "answer-3", &repeat).ok());
  CHECK(repeat.user_id() == "answer-2");
  CHECK(world.runs == 2);
}

TEST_CASE("A key younger than 7 days still replays") {
  World world;
  dps::common::v1::Actor first, repeat;
  REQUIRE(world.Change("k", "same", "answer-1", &first).ok());
  world.Age(absl::Hours(24 * 7) - absl::Minutes(1));
  REQUIRE(world.Change("k", "same", "answer-2", &repeat).ok());
  CHECK(repeat.user_id() == "answer-1");
  CHECK(world.runs == 1);
}

TEST_CASE("Pruning deletes keys older than 7 days and keeps the others") {
  World world;
  dps::common::v1::Actor response;
  for (int i = 0; i < 5; ++i) {
    REQUIRE(world.Change(absl::StrCat("old-", i), "r", "a", &response).ok());
  }
  world.Age(absl::Hours(24 * 8));
  REQUIRE(world.Change("new", "r", "a", &response).ok());
  // Two replicas pruning at once, in small batches, delete each old key once between them.
  std::future<absl::StatusOr<int64_t>> other = std::async(std::launch::async, [&] {
    return PruneIdempotencyKeys(world.pool, kIdempotencyKeyRetention, 2);
  });
  absl::StatusOr<int64_t> mine = PruneIdempotencyKeys(world.pool, kIdempotencyKeyRetention, 2);
  absl::StatusOr<int64_t> theirs = other.get();
  REQUIRE(mine.ok());
  REQUIRE(theirs.ok());
  CHECK(*mine + *theirs == 5);
  CHECK(world.Keys() == 1);
  CHECK(*PruneIdempotencyKeys(world.pool) == 0);
}

}  // namespace
TEST_CASE("A change saved apart from RunOnce is found by its key and a racing first is refused") {
  World world;
  dps::common::v1::Actor request, answer, found;
  request.set_user_id("same");
  answer.set_user_id("answer-1");
  const IdempotencyKey key{.scope = "org-1/Issue", .key = "k"};
  const std::string digest = RequestDigest(request);
  auto find = [&](const std::string& with_digest) {
    absl::StatusOr<bool> answered;
    REQUIRE(world.pool
                .InTransaction([&](pqxx::work& tx) {
                  answered = FindResponse(tx, key, with_digest, found);
                  return absl::OkStatus();
                })
                .ok());
    return answered;
  };
  auto record = [&] {
    return world.pool.InTransaction([&](pqxx::work& tx) {
      return RecordResponse(tx, key, digest, answer.SerializeAsString());
    });
  };
  CHECK(*find(digest) == false);
  REQUIRE(record().ok());
  CHECK(*find(digest) == true);
  CHECK(found.user_id() == "answer-1");
  // The same key for another request; and a second first request recording its answer.
  CHECK(find("other").status() ==
        absl::InvalidArgumentError(
            "idempotency_key: already used for a different request; use a new key"));
  CHECK(record().code() == absl::StatusCode::kAlreadyExists);
  // RunOnce answers from a key recorded this way too.
  dps::common::v1::Actor replay;
  REQUIRE(world.pool
              .InTransaction([&](pqxx::work& tx) {
                return RunOnce(tx, key, request, replay, [] { return absl::UnknownError("ran"); });
              })
              .ok());
  CHECK(replay.user_id() == "answer-1");
  // Past the retention the key is new again for both.
  world.Age(absl::Hours(24 * 8));
  CHECK(*find(digest) == false);
  CHECK(record().ok());
  CHECK(find(RequestDigest(request)).value());
  CHECK(find("").status().code() == absl::StatusCode::kInvalidArgument);
}

}  // namespace dps::platform
