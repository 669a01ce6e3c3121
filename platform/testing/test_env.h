// What integration tests need from the servers ./dps test starts.
//
// ./dps test starts a throwaway PostgreSQL (with PostGIS in template1) and Redis and exports
// DPS_TEST_PG_URL and DPS_TEST_REDIS_ADDRESS. A test that needs them and finds them unset fails
// with a message saying so: it never skips silently.
#ifndef DPS_PLATFORM_TESTING_TEST_ENV_H_
#define DPS_PLATFORM_TESTING_TEST_ENV_H_

#include <string>
#include <vector>

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

  // The administrator's URL (the superuser; its password is in PGPASSFILE).
  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

  // The URL of service's own role (dps_<service>), without its password.
  std::string ServiceUrl(const std::string& service) const;
  // Makes schema, owned by role, unless it exists: as ./dps up does for each service.
  void GiveSchemaTo(const std::string& schema, const std::string& role);
  // The settings that make a service process connect as its own PostgreSQL role and Redis user,
  // as ./dps up starts it: DPS_PG_URL, DPS_PG_PASSWORD_FILE, DPS_REDIS_USER,
  // DPS_REDIS_PASSWORD_FILE. Makes the service's schema for its role first.
  std::vector<std::string> ServiceEnv(const std::string& service);

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
};

// The test Redis as its administrator (dps-admin), who may do anything.
RedisAddress TestRedisAddress();
// The test Redis as service's own ACL user (dps-<service>), as ./dps up makes it.
RedisAddress ServiceRedisAddress(const std::string& service);

// The folder of the test servers' passwords, and the file holding one of them: "pg-referral",
// "redis-relay", ...
std::string SecretsDir();
std::string SecretFile(const std::string& name);
// The PostgreSQL role of a service: "dps_referral".
std::string ServiceRole(const std::string& service);

// A name no other test run uses (for streams, groups, schemas): prefix + pid + counter.
std::string UniqueName(const std::string& prefix);

// How many events of `type` the outbox of `pool`'s schema holds.
int OutboxEventCount(PgPool& pool, const std::string& type);

// The serialised payload (a dps.events.v1.EventEnvelope) of the newest event of `type` in the
// outbox of `pool`'s schema; empty when there is none.
std::string LastOutboxPayload(PgPool& pool, const std::string& type);

}  // namespace dps::platform::testing

#endif  // DPS_PLATFORM_TESTING_TEST_ENV_H_
