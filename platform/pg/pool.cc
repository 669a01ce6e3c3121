#include "platform/pg/pool.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace dps::platform {
namespace {

constexpr char kConnectionPrefix[] = "postgresql: ";

void Set(prometheus::Gauge* gauge, double value) {
  if (gauge != nullptr) gauge->Set(value);
}
void Increment(prometheus::Counter* counter) {
  if (counter != nullptr) counter->Increment();
}

// SQLSTATE classes that mean the connection, not the statement, failed:
// 08 connection exception, 57 operator intervention (server shutting down).
bool IsConnectionSqlState(const std::string& state) {
  return state.rfind("08", 0) == 0 || state.rfind("57", 0) == 0;
}

// The connection string with the password added, in the URL's own syntax: a query parameter of a
// postgresql:// URI (percent-encoded), or a quoted keyword of a "host=... user=..." string.
std::string WithPassword(const std::string& url, const std::string& password) {
  if (absl::StartsWith(url, "postgresql://") || absl::StartsWith(url, "postgres://")) {
    std::string encoded;
    for (const unsigned char c : password) {
      if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
        encoded.push_back(static_cast<char>(c));
      } else {
        absl::StrAppend(&encoded, "%", absl::Hex(c, absl::kZeroPad2));
      }
    }
    return absl::StrCat(url, url.find('?') == std::string::npos ? "?" : "&", "password=", encoded);
  }
  std::string quoted;
  for (const char c : password) {
    if (c == '\\' || c == '\'') quoted.push_back('\\');
    quoted.push_back(c);
  }
  return absl::StrCat(url, " password='", quoted, "'");
}

}  // namespace

std::string WithConnectTimeout(const std::string& url, absl::Duration timeout) {
  if (url.find("connect_timeout") != std::string::npos) return url;  // the caller's own wins
  const std::string seconds = std::to_string(std::max<int64_t>(1, absl::ToInt64Seconds(timeout)));
  const bool uri = url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
  if (!uri) return absl::StrCat(url, url.empty() ? "" : " ", "connect_timeout=", seconds);
  return absl::StrCat(url, url.find('?') == std::string::npos ? "?" : "&",
                      "connect_timeout=", seconds);
}

namespace {

absl::Status Marked(absl::Status status) {
  status.SetPayload(kPgErrorPayloadUrl, absl::Cord("1"));
  return status;
}

absl::Status StatusFromPgExceptionUnmarked(const std::exception& e) {
  if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr) {
    return absl::UnavailableError(absl::StrCat(kConnectionPrefix, "connection lost: ", e.what()));
  }
  if (dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr) {
    return absl::UnavailableError(
        absl::StrCat(kConnectionPrefix, "connection lost during commit: ", e.what()));
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e); sql != nullptr) {
    const std::string& state = sql->sqlstate();
    if (IsConnectionSqlState(state)) {
      return absl::UnavailableError(
          absl::StrCat(kConnectionPrefix, "server unavailable (", state, "): ", e.what()));
    }
    // A natural key already taken (a lot code, a second membership) by a concurrent writer that
    // committed between our check and our insert.
    if (state == "23505") {
      return absl::AlreadyExistsError(absl::StrCat("postgresql: already exists: ", e.what()));
    }
    if (state == "40001" || state == "40P01") {
      return absl::AbortedError(absl::StrCat("postgresql: transaction conflict (", state, ")"));
    }
    return absl::InternalError(absl::StrCat("postgresql error ", state, ": ", e.what()));
  }
  return absl::InternalError(absl::StrCat("postgresql: ", e.what()));
}

}  // namespace

absl::Status StatusFromPgException(const std::exception& e) {
  return Marked(StatusFromPgExceptionUnmarked(e));
}

bool IsDatabaseError(const absl::Status& status) {
  return status.GetPayload(kPgErrorPayloadUrl).has_value();
}

bool IsConnectionFailure(const absl::Status& status) {
  return absl::IsUnavailable(status) && absl::StartsWith(status.message(), kConnectionPrefix);
}

std::string TimeParameter(absl::Time at) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%E6S+00", at, absl::UTCTimeZone());
}

std::optional<std::string> DayParameter(std::optional<absl::CivilDay> day) {
  if (!day) return std::nullopt;
  return absl::FormatCivilTime(*day);
}

std::string TextArrayParameter(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

absl::StatusOr<std::vector<std::string>> TextColumn(pqxx::work& tx, const char* sql,
                                                    const std::string& parameter) {
  try {
    std::vector<std::string> out;
    for (const pqxx::row& row : tx.exec_params(sql, parameter)) {
      out.push_back(row[0].as<std::string>());
    }
    return out;
  } catch (const std::exception& e) {
    return StatusFromPgException(e);
  }
}

PgPool::PgPool(PgPoolOptions options, PgPoolMetrics metrics)
    : options_(std::move(options)), metrics_(metrics) {}

PgPool::~PgPool() = default;

absl::StatusOr<std::unique_ptr<pqxx::connection>> PgPool::Open() {
  try {
    // libpq reads connect_timeout from the environment when the URL has none.
    const std::string timeout =
        std::to_string(std::max<int64_t>(1, absl::ToInt64Seconds(options_.connect_timeout)));
    setenv("PGCONNECT_TIMEOUT", timeout.c_str(), /*overwrite=*/0);
    auto connection = std::make_unique<pqxx::connection>(
        options_.password.empty() ? options_.url : WithPassword(options_.url, options_.password));
    if (!options_.schema.empty()) {
      pqxx::nontransaction tx(*connection);
      tx.exec0(absl::StrCat("SET search_path TO ", tx.quote_name(options_.schema), ", public"));
    }
    return connection;
  } catch (const std::exception& e) {
    Increment(metrics_.broken);
    return Marked(
        absl::UnavailableError(absl::StrCat(kConnectionPrefix, "cannot connect: ", e.what())));
  }
}

absl::Status PgPool::CheckReachable() {
  absl::StatusOr<std::unique_ptr<pqxx::connection>> connection = Acquire();
  if (!connection.ok()) return connection.status();
  Release(std::move(*connection), /*broken=*/false);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<pqxx::connection>> PgPool::Acquire() {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    const bool ready = released_.wait_for(lock, absl::ToChronoNanoseconds(options_.acquire_timeout),
                                          [&] { return !idle_.empty() || open_ < options_.size; });
    if (!ready) {
      Increment(metrics_.acquire_timeouts);
      return absl::ResourceExhaustedError(
          absl::StrCat("postgresql pool: no connection free within ",
                       absl::FormatDuration(options_.acquire_timeout)));
    }
    if (!idle_.empty()) {
      std::unique_ptr<pqxx::connection> connection = std::move(idle_.back());
      idle_.pop_back();
      Set(metrics_.in_use, open_ - static_cast<int>(idle_.size()));
      return connection;
    }
    ++open_;  // reserve the slot before connecting outside the lock
  }
  absl::StatusOr<std::unique_ptr<pqxx::connection>> connection = Open();
  std::lock_guard<std::mutex> lock(mutex_);
  if (!connection.ok()) {
    --open_;
    released_.notify_one();
  }
  Set(metrics_.open, open_);
  Set(metrics_.in_use, open_ - static_cast<int>(idle_.size()));
  return connection;
}

void PgPool::Release(std::unique_ptr<pqxx::connection> connection, bool broken) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (broken || !connection->is_open()) {
    Increment(metrics_.broken);
    --open_;
  } else {
    idle_.push_back(std::move(connection));
  }
  Set(metrics_.open, open_);
  Set(metrics_.in_use, open_ - static_cast<int>(idle_.size()));
  released_.notify_one();
}

absl::Status PgPool::WithConnection(const std::function<absl::Status(pqxx::connection&)>& fn) {
  absl::StatusOr<std::unique_ptr<pqxx::connection>> connection = Acquire();
  if (!connection.ok()) return connection.status();
  absl::Status status;
  try {
    status = fn(**connection);
  } catch (const std::exception& e) {
    status = StatusFromPgException(e);
  }
  Release(std::move(*connection), IsConnectionFailure(status));
  return status;
}

absl::Status PgPool::InTransaction(const TransactionFn& fn) {
  return WithConnection([&](pqxx::connection& connection) -> absl::Status {
    pqxx::work tx(connection);
    absl::Status status = fn(tx);
    if (!status.ok()) return status;  // pqxx::work rolls back in its destructor
    tx.commit();
    return absl::OkStatus();
  });
}

}  // namespace dps::platform
