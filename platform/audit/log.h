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

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "platform/audit/chain.h"
#include "platform/audit/checkpoint.h"

namespace dps::platform::audit {

// Writes `entry` (its service, sequence and hashes are ignored: the schema is the service) into
// the search_path's audit_log, unchained. An empty entry_id is given a random UUID.
absl::Status StageEntry(pqxx::work& tx, const Entry& entry);

// Chains up to `limit` committed entries that have no place yet; returns how many it chained.
absl::StatusOr<int> ChainPending(pqxx::work& tx, int limit = 500);

// The chained entries from sequence `from` to `to` (0: to the latest), in sequence order, at
// most `limit`. The service of each is the schema's name.
absl::StatusOr<std::vector<Entry>> LoadChain(pqxx::work& tx, int64_t from, int64_t to,
                                             int limit = 10'000);

// Which chained entries a list wants, in sequence order; every condition set must hold. The
// service's scope rules (service.h) are applied by narrowing this.
struct EntryFilter {
  std::string aggregate_type;
  std::string aggregate_id;
  std::string actor_user_id;
  // Entries of any of these systems; `any_system` false and none listed matches nothing.
  std::vector<std::string> system_ids;
  bool any_system = true;
  std::string authority_id;
  std::string action_prefix;
  std::optional<absl::Time> recorded_after;   // exclusive
  std::optional<absl::Time> recorded_before;  // exclusive
  int64_t after_sequence = 0;                 // the page's position
  int limit = 50;
};

// The chained entries `filter` matches.
absl::StatusOr<std::vector<Entry>> ListEntries(pqxx::work& tx, const EntryFilter& filter);

// Chained entry `sequence`, or nothing.
absl::StatusOr<std::optional<Entry>> GetEntry(pqxx::work& tx, int64_t sequence);

// The chain's size and head hash now (size 0 and an empty hash for an empty chain), `at` unset.
absl::StatusOr<Checkpoint> ChainHead(pqxx::work& tx);

// Keeps a signed checkpoint; one already kept for the same size is left as it is.
absl::Status RecordCheckpoint(pqxx::work& tx, const SignedCheckpoint& checkpoint);

// Signs and keeps a checkpoint of the chain as it stands, unless it has not grown since the last
// one kept (then nothing). One issuer at a time per schema (an advisory lock for the
// transaction), so replicas on the same schedule do not race.
absl::StatusOr<std::optional<SignedCheckpoint>> IssueCheckpoint(pqxx::work& tx,
                                                                const auth::PrivateKey& key,
                                                                absl::string_view service,
                                                                absl::Time now);

// The size of the latest checkpoint kept, 0 when none.
absl::StatusOr<int64_t> LastCheckpointSize(pqxx::work& tx);

// The JWS of every checkpoint kept with a size from `from_size` to `to_size` (0: no bound), in
// size order, at most `limit`.
absl::StatusOr<std::vector<std::string>> LoadCheckpointJws(pqxx::work& tx, int64_t from_size,
                                                           int64_t to_size, int limit = 10'000);

}  // namespace dps::platform::audit

#endif  // DPS_PLATFORM_AUDIT_LOG_H_
