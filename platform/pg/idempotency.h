// At most once per idempotency key: the change of a mutating request and the response it gave
// are committed together, so a client that retries after a lost reply gets the first answer and
// the change is made once.
//
//   pool.InTransaction([&](pqxx::work& tx) {
//     return RunOnce(tx, {.scope = "user-1/CreateLot", .key = request.idempotency_key()},
//                    request, response, [&]() -> absl::Status { ...fill response... });
//   });
//
// Two concurrent requests with the same key serialise on the key's row: the second waits for the
// first to commit and then returns its response (or, if the first rolled back, runs itself).
// A key reused with a different request is INVALID_ARGUMENT; an empty key too.
// The table is idempotency_keys in the service's schema (platform migration 0002).
#ifndef DPS_PLATFORM_PG_IDEMPOTENCY_H_
#define DPS_PLATFORM_PG_IDEMPOTENCY_H_

#include <google/protobuf/message.h>

#include <functional>
#include <pqxx/pqxx>
#include <string>

#include "absl/status/status.h"

namespace dps::platform {

struct IdempotencyKey {
  std::string scope;  // who and what: the caller's organisation and user, and the method
  std::string key;    // the client's key
};

absl::Status RunOnce(pqxx::work& tx, const IdempotencyKey& key,
                     const google::protobuf::Message& request, google::protobuf::Message& response,
                     const std::function<absl::Status()>& run);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_PG_IDEMPOTENCY_H_
