#include "platform/pg/migrations.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "platform/crypto/sha256.h"
#include "platform/log/log.h"
#include "platform/pg/pool.h"

namespace dps::platform {
namespace {

constexpr char kCreateLedger[] = R"sql(
  CREATE TABLE IF NOT EXISTS schema_migrations (
    component  text        NOT NULL,
    version    integer     NOT NULL,
    name       text        NOT NULL,
    sha256     text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (component, version)
  ))sql";

constexpr char kSelectApplied[] =
    "SELECT version, name, sha256 FROM schema_migrations WHERE component = $1";

// pg_advisory_xact_lock(int, int): the class of lock, then the schema's.
constexpr int kMigrationLockClass = 0x4d494752;  // "MIGR"
constexpr char kTryLock[] = "SELECT pg_try_advisory_xact_lock($1, hashtext($2))";
constexpr char kLock[] = "SELECT pg_advisory_xact_lock($1, hashtext($2))";

constexpr char kSchemaExists[] = "SELECT 1 FROM pg_namespace WHERE nspname = $1";

constexpr char kRecordApplied[] =
    "INSERT INTO schema_migrations (component, version, name, sha256) VALUES ($1, $2, $3, $4)";

}  // namespace

absl::Status ApplyMigrations(pqxx::connection& connection, std::string_view schema,
                             std::span<const MigrationSet> sets) {
  try {
    pqxx::work tx(connection);
    const std::string quoted = tx.quote_name(std::string(schema));
    // Serialise concurrent start-ups of the same service (several replicas of a Deployment start
    // at once): the first takes the schema's lock and migrates; the others wait here, then find
    // everything applied and change nothing. Released at commit or rollback, and by PostgreSQL if
    // the process dies. The lock's first key keeps it apart from any other advisory lock.
    const std::string name(schema);
    if (!tx.exec_params1(kTryLock, kMigrationLockClass, name)[0].as<bool>()) {
      Log(LogLevel::kInfo, "migrations: another process holds the lock; waiting",
          {{"schema", name}});
      tx.exec_params(kLock, kMigrationLockClass, name);
    }
    // A service's role may own its schema without the right to create schemas (the operator
    // made the schema for it), so it creates one only when there is none.
    if (tx.exec_params(kSchemaExists, name).empty()) {
      tx.exec0(absl::StrCat("CREATE SCHEMA ", quoted));
    }
    tx.exec0(absl::StrCat("SET LOCAL search_path TO ", quoted, ", public"));
    tx.exec0(kCreateLedger);
    for (const MigrationSet& set : sets) {
      std::map<int, std::pair<std::string, std::string>> applied;  // version -> name, hash
      for (const auto& row : tx.exec_params(kSelectApplied, set.component)) {
        applied[row[0].as<int>()] = {row[1].as<std::string>(), row[2].as<std::string>()};
      }
      std::map<int, const Migration*> known;
      for (const Migration& m : set.migrations) known[m.version] = &m;
      for (const auto& [version, recorded] : applied) {
        auto it = known.find(version);
        if (it == known.end()) {
          return absl::FailedPreconditionError(absl::StrCat(
              "migration ", set.component, "/", recorded.first, " is applied in schema ",
              std::string(schema), " but unknown to this binary; refusing to start"));
        }
        if (Sha256Hex(it->second->sql) != recorded.second) {
          return absl::FailedPreconditionError(
              absl::StrCat("migration ", set.component, "/", recorded.first,
                           " has changed since it was applied (recorded sha256 ", recorded.second,
                           "); refusing to start. Add a new migration instead of editing one"));
        }
      }
      for (const auto& [version, migration] : known) {
        if (applied.contains(version)) continue;
        try {
          tx.exec0(migration->sql);
        } catch (const pqxx::sql_error& e) {
          return absl::FailedPreconditionError(absl::StrCat(
              "migration ", set.component, "/", migration->name, " failed: ", e.what()));
        }
        tx.exec_params0(kRecordApplied, set.component, version, migration->name,
                        Sha256Hex(migration->sql));
      }
    }
    tx.commit();
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromPgException(e);
  }
}

}  // namespace dps::platform
