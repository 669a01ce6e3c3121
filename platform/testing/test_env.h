// What integration tests need from the servers ./dps test starts.
//
// ./dps test starts a throwaway PostgreSQL (with PostGIS in template1) and Redis and exports
// DPS_TEST_PG_URL and DPS_TEST_REDIS_ADDRESS. A test that needs them and finds them unset fails
// with a message saying so: it never skips silently.
#ifndef DPS_PLATFORM_TESTING_TEST_ENV_H_
#define DPS_PLATFORM_TESTING_TEST_ENV_H_

#include <string>

#include "platform/events/redis_client.h"
#include "platform/pg/pool.h"

namespace dps::platform::testing {

// A fresh database for one test, dropped when it goes out of scope.
class TestDatabase final {
 public:
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
};

RedisAddress TestRedisAddress();

// A name no other test run uses (for streams, groups, schemas): prefix + pid + counter.
std::string UniqueName(const std::string& prefix);

// How many events of `type` the outbox of `pool`'s schema holds.
int OutboxEventCount(PgPool& pool, const std::string& type);

}  // namespace dps::platform::testing

#endif  // DPS_PLATFORM_TESTING_TEST_ENV_H_
