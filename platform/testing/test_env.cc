#include "platform/testing/test_env.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <pqxx/pqxx>
#include <stdexcept>

#include "absl/strings/str_cat.h"

namespace dps::platform::testing {
namespace {

std::string RequiredEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    throw std::runtime_error(
        absl::StrCat(name,
                     " is not set: integration tests run under ./dps test, which starts PostgreSQL "
                     "and Redis and sets it"));
  }
  return value;
}

// Replaces the database name at the end of a postgresql:// URL.
std::string WithDatabase(const std::string& url, const std::string& database) {
  const auto query = url.find('?');
  const std::string base = url.substr(0, query);
  const std::string tail = query == std::string::npos ? "" : url.substr(query);
  const auto slash = base.rfind('/');
  return base.substr(0, slash + 1) + database + tail;
}

}  // namespace

std::string UniqueName(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return absl::StrCat(prefix, "_", getpid(), "_", counter++);
}

TestDatabase::TestDatabase()
    : admin_url_(RequiredEnv("DPS_TEST_PG_URL")), name_(UniqueName("dps_t")) {
  pqxx::connection admin(admin_url_);
  pqxx::nontransaction tx(admin);
  tx.exec0(absl::StrCat("CREATE DATABASE ", tx.quote_name(name_)));
  url_ = WithDatabase(admin_url_, name_);
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection admin(admin_url_);
    pqxx::nontransaction tx(admin);
    tx.exec0(absl::StrCat("DROP DATABASE IF EXISTS ", tx.quote_name(name_), " WITH (FORCE)"));
  } catch (...) {
    // A test database left behind is removed with the throwaway cluster.
  }
}

RedisAddress TestRedisAddress() {
  absl::StatusOr<RedisAddress> address = ParseRedisAddress(RequiredEnv("DPS_TEST_REDIS_ADDRESS"));
  if (!address.ok()) throw std::runtime_error(std::string(address.status().message()));
  return *address;
}

int OutboxEventCount(PgPool& pool, const std::string& type) {
  int count = -1;
  const absl::Status counted = pool.InTransaction([&](pqxx::work& tx) {
    count = tx.exec_params1("SELECT count(*) FROM outbox WHERE event_type = $1", type)[0].as<int>();
    return absl::OkStatus();
  });
  // A count the test cannot read is one it cannot trust: -1 fails any comparison it makes.
  return counted.ok() ? count : -1;
}

}  // namespace dps::platform::testing
