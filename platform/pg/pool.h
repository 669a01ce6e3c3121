// A pool of PostgreSQL connections for one service schema.
//
// Connections are opened lazily up to a fixed size, each with search_path set to the service's
// schema (then public, for PostGIS). A connection that breaks is thrown away and a new one is
// opened on the next acquire, so a service carries on once PostgreSQL comes back.
//
// InTransaction() is what most code calls: it runs a function inside one transaction and turns
// database failures into absl::Status (UNAVAILABLE when the server cannot be reached, ABORTED
// on a serialization failure or deadlock, INTERNAL otherwise), so callers never see exceptions.
//
//   absl::Status s = pool.InTransaction([&](pqxx::work& tx) -> absl::Status {
//     tx.exec_params0(kInsertReferral, id, lot);
//     return AppendToOutbox(tx, event);
//   });
#ifndef DPS_PLATFORM_PG_POOL_H_
#define DPS_PLATFORM_PG_POOL_H_

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace prometheus {
class Gauge;
class Counter;
}  // namespace prometheus

namespace dps::platform {

struct PgPoolOptions {
  std::string url;       // without a password: it comes from `password` or libpq's PGPASSFILE
  std::string password;  // the role's, read from a file (DPS_PG_PASSWORD_FILE); never logged
  std::string schema;    // search_path of every connection; empty for none
  int size = 8;
  absl::Duration acquire_timeout = absl::Seconds(5);
  absl::Duration connect_timeout = absl::Seconds(5);
};

// Optional gauges the pool keeps up to date (see platform/metrics).
struct PgPoolMetrics {
  prometheus::Gauge* open = nullptr;
  prometheus::Gauge* in_use = nullptr;
  prometheus::Counter* acquire_timeouts = nullptr;
  prometheus::Counter* broken = nullptr;
};

class PgPool final {
 public:
  explicit PgPool(PgPoolOptions options, PgPoolMetrics metrics = {});
  ~PgPool();
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;

  // Opens one connection now, so start-up fails fast with a clear message when the database
  // cannot be reached or the URL is wrong.
  absl::Status CheckReachable();

  using TransactionFn = std::function<absl::Status(pqxx::work&)>;

  // Runs fn in one transaction and commits if it returns OK; otherwise rolls back and returns
  // fn's status. Database errors become a status as described at the top of this file.
  absl::Status InTransaction(const TransactionFn& fn);

  // Runs fn on a leased connection outside any transaction (for LISTEN, COPY, migrations).
  absl::Status WithConnection(const std::function<absl::Status(pqxx::connection&)>& fn);

  // Opens a connection outside the pool, for a long-lived LISTEN.
  absl::StatusOr<std::unique_ptr<pqxx::connection>> OpenDedicated() { return Open(); }

  int size() const { return options_.size; }

 private:
  absl::StatusOr<std::unique_ptr<pqxx::connection>> Acquire();
  void Release(std::unique_ptr<pqxx::connection> connection, bool broken);
  absl::StatusOr<std::unique_ptr<pqxx::connection>> Open();

  const PgPoolOptions options_;
  const PgPoolMetrics metrics_;
  std::mutex mutex_;
  std::condition_variable released_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_ ABSL_GUARDED_BY(mutex_);
  int open_ ABSL_GUARDED_BY(mutex_) = 0;
};

// Turns a libpqxx exception into a status (see the top of this file). Exposed for code that
// drives pqxx directly.
absl::Status StatusFromPgException(const std::exception& e);

// Adds connect_timeout to a libpq URL or keyword string unless it already has one. (Setting it
// through the environment instead would mean setenv in a threaded process.)
//   WithConnectTimeout("postgresql://h/db", absl::Seconds(5)) ==
//   "postgresql://h/db?connect_timeout=5"
std::string WithConnectTimeout(const std::string& url, absl::Duration timeout);

// Statuses made from a database failure carry a payload under this URL, so that the edge of a
// call can tell them apart: their messages hold PostgreSQL's own text (statements, constraint
// names, values), which is for the log, never for the caller.
inline constexpr char kPgErrorPayloadUrl[] = "type.dps.example/postgresql-error";
bool IsDatabaseError(const absl::Status& status);

// True when the status says the database could not be reached (worth retrying later).
bool IsConnectionFailure(const absl::Status& status);

// A text[] parameter for libpqxx 6, which binds no containers: every element double-quoted and
// escaped, so commas, braces, quotes and spaces in an element stay in it. Use as `$1::text[]`.
std::string TextArrayParameter(const std::vector<std::string>& items);

// A timestamptz parameter: the instant in UTC to the microsecond PostgreSQL keeps. Use as
// `$1::timestamptz`.
std::string TimeParameter(absl::Time at);

// A date parameter, NULL when there is no day. Use as `$1::date`.
std::optional<std::string> DayParameter(std::optional<absl::CivilDay> day);

// The first column of each row `sql` returns, given `parameter` as $1, as text; a database failure
// as a status (StatusFromPgException).
absl::StatusOr<std::vector<std::string>> TextColumn(pqxx::work& tx, const char* sql,
                                                    const std::string& parameter);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_PG_POOL_H_
