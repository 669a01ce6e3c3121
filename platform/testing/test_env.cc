#include "platform/testing/test_env.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <pqxx/pqxx>
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "platform/config/secret_file.h"

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
  if (absl::Status login =
          AddLoginFromEnvironment(*address, "DPS_TEST_REDIS_USER", "DPS_TEST_REDIS_PASSWORD_FILE");
      !login.ok()) {
    throw std::runtime_error(std::string(login.message()));
  }
  return *address;
}

RedisAddress ServiceRedisAddress(const std::string& service) {
  RedisAddress address = TestRedisAddress();
  address.user = "dps-" + service;
  absl::StatusOr<std::string> password = ReadPasswordFile(SecretFile("redis-" + service));
  if (!password.ok()) throw std::runtime_error(std::string(password.status().message()));
  address.password = *std::move(password);
  return address;
}

std::string SecretsDir() { return RequiredEnv("DPS_TEST_SECRETS_DIR"); }

std::string SecretFile(const std::string& name) { return absl::StrCat(SecretsDir(), "/", name); }

std::string ServiceRole(const std::string& service) { return "dps_" + service; }

std::string TestDatabase::ServiceUrl(const std::string& service) const {
  // postgresql://USER@host... with the service's role instead of the administrator.
  const auto scheme_end = url_.find("://") + 3;
  const auto at = url_.find('@', scheme_end);
  return absl::StrCat(url_.substr(0, scheme_end), ServiceRole(service), url_.substr(at));
}

void TestDatabase::GiveSchemaTo(const std::string& schema, const std::string& role) {
  pqxx::connection admin(url_);
  pqxx::work tx(admin);
  tx.exec0(absl::StrCat("CREATE SCHEMA IF NOT EXISTS ", tx.quote_name(schema), " AUTHORIZATION ",
                        tx.quote_name(role)));
  tx.commit();
}

std::vector<std::string> TestDatabase::ServiceEnv(const std::string& service) {
  if (service != "relay") GiveSchemaTo(service, ServiceRole(service));
  return {"DPS_PG_URL=" + ServiceUrl(service),
          "DPS_PG_PASSWORD_FILE=" + SecretFile("pg-" + service), "DPS_REDIS_USER=dps-" + service,
          "DPS_REDIS_PASSWORD_FILE=" + SecretFile("redis-" + service)};
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

std::string LastOutboxPayload(PgPool& pool, const std::string& type) {
  std::string payload;
  const absl::Status read = pool.InTransaction([&](pqxx::work& tx) {
    pqxx::result rows = tx.exec_params(
        "SELECT payload FROM outbox WHERE event_type = $1 ORDER BY id DESC LIMIT 1", type);
    if (rows.empty()) return absl::OkStatus();
    const pqxx::binarystring bytes(rows[0][0]);
    payload = bytes.str();
    return absl::OkStatus();
  });
  if (!read.ok()) throw std::runtime_error(absl::StrCat("outbox not readable: ", read.ToString()));
  return payload;
}

}  // namespace dps::platform::testing
