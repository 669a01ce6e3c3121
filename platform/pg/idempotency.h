// At most once per idempotency key: the change of a mutating request and the response it gave
// are committed together, so a client that retries after a lost reply gets the first answer and
// the change is made once.
//
//   pool.InTransaction([&](pqxx::work& tx) {
//     return RunOnce(tx, {.scope = "user-1/CreateLot", .key = request.idempotency_key()},
//                    request, response, [&]() -> absl::Status { ...fill response... });
//   });
//
// A repeat that arrives while the first request with its key is still being served is ABORTED
// ("still being served; retry shortly"): the first holds a transaction-scoped advisory lock on
// the key (IdempotencyLockName), so the repeat neither waits holding a connection nor runs twice.
// Retried after the first commits, it returns the first's response. A key reused with a
// different request is INVALID_ARGUMENT; an empty key too.
// Keys are kept kIdempotencyKeyRetention (7 days): a key that comes back older than that is
// treated as new (the request runs, and its response replaces the old one), and
// PruneIdempotencyKeys deletes old keys, run by every service process (platform/service) on a
// timer. Both are safe with several replicas: a key being reused is locked by its request, and
// the pruner skips locked rows.
// The table is idempotency_keys in the service's schema (platform migrations 0002 and 0003).
#ifndef DPS_PLATFORM_PG_IDEMPOTENCY_H_
#define DPS_PLATFORM_PG_IDEMPOTENCY_H_

#include <google/protobuf/message.h>

#include <functional>
#include <pqxx/pqxx>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/pg/pool.h"

namespace dps::platform {

struct IdempotencyKey {
  std::string scope;  // who and what: the caller's organisation and user, and the method
  std::string key;    // the client's key
};

// The name of the advisory lock a request holds on its key while it is served: PostgreSQL's
// pg_try_advisory_xact_lock(hashtextextended(name, 0)).
std::string IdempotencyLockName(const IdempotencyKey& key);

// How long a key and its response are kept (proto/README.md promises 7 days).
inline constexpr absl::Duration kIdempotencyKeyRetention = absl::Hours(24 * 7);

absl::Status RunOnce(pqxx::work& tx, const IdempotencyKey& key,
                     const google::protobuf::Message& request, google::protobuf::Message& response,
                     const std::function<absl::Status()>& run);

// For a change served in several transactions (one that renders between reading and saving):
// the handler asks FindResponse first and answers a repeat from it; otherwise it runs the change
// and RecordResponse stores the key and response in the transaction that saves it, so both
// commit together. When two first requests race, the second's RecordResponse is AlreadyExists,
// its change rolls back with it, and FindResponse then gives it the first's answer.

// The digest kept of a request, to tell a repeat from another request under the same key.
std::string RequestDigest(const google::protobuf::Message& request);

// True, with `response` filled, when a response is kept under `key` for this request; false when
// the key is new (or past its retention); InvalidArgument when it was used for another request.
absl::StatusOr<bool> FindResponse(pqxx::work& tx, const IdempotencyKey& key,
                                  const std::string& request_digest,
                                  google::protobuf::Message& response);

// Keeps `response` (serialised) under `key`. AlreadyExists when the key is live already.
absl::Status RecordResponse(pqxx::work& tx, const IdempotencyKey& key,
                            const std::string& request_digest, const std::string& response);

// Deletes the keys of `pool`'s schema older than `retention`, at most `batch` a transaction so
// that no transaction runs long; returns how many it deleted.
absl::StatusOr<int64_t> PruneIdempotencyKeys(PgPool& pool,
                                             absl::Duration retention = kIdempotencyKeyRetention,
                                             int batch = 1000);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_PG_IDEMPOTENCY_H_
