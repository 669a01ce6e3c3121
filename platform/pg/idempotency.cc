#include "platform/pg/idempotency.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "absl/strings/str_cat.h"
#include "platform/crypto/sha256.h"

namespace dps::platform {
namespace {

constexpr size_t kMaxKeyLength = 200;

// PostgreSQL interval text for a duration, whole seconds.
std::string Interval(absl::Duration duration) {
  return absl::StrCat(absl::ToInt64Seconds(duration), " seconds");
}

}  // namespace

// Field order is fixed by deterministic serialisation, so equal requests hash equally.
std::string RequestDigest(const google::protobuf::Message& request) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&coded);
  }
  return Sha256Hex(bytes);
}

namespace {

absl::Status CheckKey(const IdempotencyKey& key) {
  if (key.key.empty()) return absl::InvalidArgumentError("idempotency_key: required");
  if (key.key.size() > kMaxKeyLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("idempotency_key: at most ", kMaxKeyLength, " characters"));
  }
  return absl::OkStatus();
}

absl::Status ReusedForAnotherRequest() {
  return absl::InvalidArgumentError(
      "idempotency_key: already used for a different request; use a new key");
}

}  // namespace

std::string IdempotencyLockName(const IdempotencyKey& key) {
  return absl::StrCat(key.scope, "\n", key.key);
}

absl::Status RunOnce(pqxx::work& tx, const IdempotencyKey& key,
                     const google::protobuf::Message& request, google::protobuf::Message& response,
                     const std::function<absl::Status()>& run) {
  if (absl::Status s = CheckKey(key); !s.ok()) return s;
  const std::string digest = RequestDigest(request);
  // A request with this key still being served elsewhere holds this lock until its transaction
  // ends; waiting for it would tie up a connection, so the repeat is told to retry instead.
  if (!tx.exec_params1("SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0))",
                       IdempotencyLockName(key))[0]
           .as<bool>()) {
    return absl::AbortedError(
        "idempotency_key: a request with this key is still being served; retry shortly");
  }
  // A key older than the retention is claimed afresh, as though the pruner had already
  // deleted it: the row is replaced rather than answered from.
  pqxx::result claimed = tx.exec_params(
      "INSERT INTO idempotency_keys (scope, key, request_sha256) VALUES ($1, $2, $3) "
      "ON CONFLICT (scope, key) DO UPDATE SET request_sha256 = EXCLUDED.request_sha256, "
      "  response = NULL, created_at = now() "
      "  WHERE idempotency_keys.created_at < now() - $4::interval "
      "RETURNING 1",
      key.scope, key.key, digest, Interval(kIdempotencyKeyRetention));
  if (claimed.empty()) {
    pqxx::row earlier = tx.exec_params1(
        "SELECT request_sha256, response FROM idempotency_keys WHERE scope = $1 AND key = $2",
        key.scope, key.key);
    if (earlier[0].as<std::string>() != digest) return ReusedForAnotherRequest();
    pqxx::binarystring bytes(earlier[1]);
    if (!response.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      return absl::InternalError("idempotency_keys: stored response does not parse");
    }
    return absl::OkStatus();
  }
  absl::Status status = run();
  if (!status.ok()) return status;
  const std::string bytes = response.SerializeAsString();
  tx.exec_params0("UPDATE idempotency_keys SET response = $3 WHERE scope = $1 AND key = $2",
                  key.scope, key.key, pqxx::binarystring(bytes.data(), bytes.size()));
  return absl::OkStatus();
}

absl::StatusOr<bool> FindResponse(pqxx::work& tx, const IdempotencyKey& key,
                                  const std::string& request_digest,
                                  google::protobuf::Message& response) {
  if (absl::Status s = CheckKey(key); !s.ok()) return s;
  pqxx::result earlier = tx.exec_params(
      "SELECT request_sha256, response FROM idempotency_keys "
      "WHERE scope = $1 AND key = $2 AND response IS NOT NULL "
      "  AND created_at >= now() - $3::interval",
      key.scope, key.key, Interval(kIdempotencyKeyRetention));
  if (earlier.empty()) return false;
  if (earlier[0][0].as<std::string>() != request_digest) return ReusedForAnotherRequest();
  pqxx::binarystring bytes(earlier[0][1]);
  if (!response.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InternalError("idempotency_keys: stored response does not parse");
  }
  return true;
}

absl::Status RecordResponse(pqxx::work& tx, const IdempotencyKey& key,
                            const std::string& request_digest, const std::string& response) {
  if (absl::Status s = CheckKey(key); !s.ok()) return s;
  // A key past its retention is taken afresh, as RunOnce takes it; a live one is not.
  pqxx::result claimed = tx.exec_params(
      "INSERT INTO idempotency_keys (scope, key, request_sha256, response) "
      "VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (scope, key) DO UPDATE SET request_sha256 = EXCLUDED.request_sha256, "
      "  response = EXCLUDED.response, created_at = now() "
      "  WHERE idempotency_keys.created_at < now() - $5::interval "
      "RETURNING 1",
      key.scope, key.key, request_digest, pqxx::binarystring(response.data(), response.size()),
      Interval(kIdempotencyKeyRetention));
  if (claimed.empty()) {
    return absl::AlreadyExistsError("idempotency_key: already served; ask again for its answer");
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> PruneIdempotencyKeys(PgPool& pool, absl::Duration retention, int batch) {
  int64_t deleted = 0;
  for (;;) {
    int64_t round = 0;
    // SKIP LOCKED: another replica's pruner, or a request reusing an old key, holds those rows.
    absl::Status status = pool.InTransaction([&](pqxx::work& tx) {
      round = tx.exec_params(
                    "DELETE FROM idempotency_keys WHERE (scope, key) IN ("
                    "  SELECT scope, key FROM idempotency_keys "
                    "  WHERE created_at < now() - $1::interval "
                    "  ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)",
                    Interval(retention), batch)
                  .affected_rows();
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    deleted += round;
    if (round < batch) return deleted;
  }
}

}  // namespace dps::platform
