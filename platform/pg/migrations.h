// Ordered SQL migrations for a service's schema.
//
// Each service owns one PostgreSQL schema. Its migrations are numbered files compiled into the
// binary (see dps_embed_migrations in cmake/Dps.cmake). At start-up ApplyMigrations runs every
// migration not yet recorded, in order, all in one transaction under a PostgreSQL advisory lock
// on the schema, and records each with the SHA-256 of its text. Replicas starting together (a
// Kubernetes Deployment's pods) are safe: one takes the lock and migrates, the others log that
// they wait, wait, then find nothing left to do.
// A recorded migration whose text has changed since, or one the binary does not know, is an
// error: the service refuses to start rather than run against a schema it does not match.
#ifndef DPS_PLATFORM_PG_MIGRATIONS_H_
#define DPS_PLATFORM_PG_MIGRATIONS_H_

#include <pqxx/pqxx>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace dps::platform {

struct Migration {
  int version;       // 1, 2, 3 ... from the file name 0001_name.sql
  std::string name;  // the file name
  std::string sql;
};

// A named, ordered list of migrations. A schema may hold several sets (the platform's outbox
// tables, then the service's own), told apart by component.
struct MigrationSet {
  std::string component;
  std::span<const Migration> migrations;
};

// Applies what is missing of each set, in order. Returns FAILED_PRECONDITION naming the file
// when an applied migration's text changed or is unknown to this binary.
absl::Status ApplyMigrations(pqxx::connection& connection, std::string_view schema,
                             std::span<const MigrationSet> sets);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_PG_MIGRATIONS_H_
