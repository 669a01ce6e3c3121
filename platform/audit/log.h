// The audit log's table in a service's schema (platform/events/migrations/0004_audit_log.sql).
//
// Two steps, so that writers never wait for each other:
//   1. StageEntry, in the transaction of the change (AppendToOutbox calls it for every event):
//      the entry is written, not yet chained. It commits or rolls back with the change.
//   2. ChainPending, by one chainer at a time per schema (a transaction-scoped advisory lock,
//      so replicas may all run it): each committed entry not yet chained gets the next sequence
//      number and its hashes (chain.h), in the order they were staged as far as commits allow.
// The service runtime runs ChainPending every second (platform/service/runtime.h); tests call it.
#ifndef DPS_PLATFORM_AUDIT_LOG_H_
#define DPS_PLATFORM_AUDIT_LOG_H_

#include <pqxx/pqxx>
#include <vector>

#include "absl/status/statusor.h"
#include "platform/audit/chain.h"

namespace dps::platform::audit {

// Writes `entry` (its service, sequence and hashes are ignored: the schema is the service) into
// the search_path's audit_log, unchained.
absl::Status StageEntry(pqxx::work& tx, const Entry& entry);

// Chains up to `limit` committed entries that have no place yet; returns how many it chained.
absl::StatusOr<int> ChainPending(pqxx::work& tx, int limit = 500);

// The chained entries from sequence `from` to `to` (0: to the latest), in sequence order, at
// most `limit`. The service of each is the schema's name.
absl::StatusOr<std::vector<Entry>> LoadChain(pqxx::work& tx, int64_t from, int64_t to,
                                             int limit = 10'000);

}  // namespace dps::platform::audit

#endif  // DPS_PLATFORM_AUDIT_LOG_H_
