#include <catch2/catch.hpp>
#include <future>
#include <thread>

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

}  // namespace
}  // namespace dps::platform
