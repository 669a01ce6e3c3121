// The audit log's hash chain (proto/dps/audit/v1/audit.proto): how an entry's hashes are made,
// and how a run of entries is checked. Plain C++ with no database, so the services' storage, the
// AuditLogService and the offline `dps-audit verify` all judge a chain by the same code.
//
//   content_hash = SHA-256 of the netstrings of the entry's fields (the order audit.proto gives)
//   hash         = SHA-256 of the netstrings of prev_hash and content_hash
//
// A chain alone proves nothing against whoever can rewrite the whole table: they can recompute
// every hash. Checkpoints (the size and head hash at a time, kept where the table's writer cannot
// change them, signed) catch that; Verify takes them.
#ifndef DPS_PLATFORM_AUDIT_CHAIN_H_
#define DPS_PLATFORM_AUDIT_CHAIN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace dps::platform::audit {

// The prev_hash of entry 1: 64 zeros.
inline constexpr char kGenesisHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// One entry as the chain covers it (dps.audit.v1.AuditEntry, the actor flattened).
struct Entry {
  std::string service;  // the chain: "qualification", "referral" or "contracts"
  int64_t sequence = 0;
  std::string entry_id;
  absl::Time recorded_at;
  std::string actor_user_id;
  std::string actor_role;
  std::string actor_organisation_id;
  std::string request_id;
  std::string action;
  std::string aggregate_type;
  std::string aggregate_id;
  std::string system_id;
  std::string authority_id;
  std::string from_state;
  std::string to_state;
  std::string reason;
  std::string details_json;
  std::string prev_hash;
  std::string content_hash;
  std::string hash;
  // Exported outside the reader's scope: only service, sequence and the three hashes are
  // known, so the content hash is taken as given and only the links are checked.
  bool redacted = false;
};

// F(x) of audit.proto: the decimal byte length, ':', the bytes, ','.
std::string Netstring(absl::string_view bytes);

// recorded_at as the hash writes it: RFC 3339 in UTC with nine fractional digits,
// "2025-04-01T09:30:00.000000000Z".
std::string FormatRecordedAt(absl::Time at);

// The lowercase hex SHA-256 over the entry's content fields.
std::string ContentHash(const Entry& entry);

// The lowercase hex SHA-256 linking `content_hash` to the previous entry's hash.
std::string LinkHash(absl::string_view prev_hash, absl::string_view content_hash);

// Makes `next` the entry after `previous` (nullptr: the first): its sequence, prev_hash,
// content_hash and hash. Its other fields must be set.
void Append(const Entry* previous, Entry& next);

// The size and head hash of a chain at a moment, as a checkpoint records them.
struct Checkpoint {
  int64_t size = 0;       // entries 1..size existed
  std::string head_hash;  // the hash of entry `size`
  absl::Time at;
};

// What is wrong with a chain, in the order Verify looks for it at each entry.
enum class Fault {
  kNone,
  kReordered,           // a sequence number lower than or equal to the one before it
  kGap,                 // a sequence number skipped: an entry is missing
  kEdited,              // the content does not give its content_hash, or the hashes its hash
  kBrokenLink,          // prev_hash is not the hash of the entry before
  kTruncated,           // the chain ends before the last entry something recorded
  kCheckpointMismatch,  // entry `size` of a checkpoint does not have its head hash
};

// "reordered", "gap", "edited", "broken link", "truncated", "disagrees with a checkpoint".
absl::string_view FaultName(Fault fault);

struct Verdict {
  Fault fault = Fault::kNone;
  int64_t sequence = 0;  // the first bad entry (for kTruncated: the first missing one)
  std::string detail;    // "entry 1042: prev_hash does not match the hash of entry 1041"
  int64_t entries_checked = 0;
  std::string last_hash;  // of the last entry checked

  bool intact() const { return fault == Fault::kNone; }
};

// What the entries are checked against.
struct Expectations {
  int64_t first_sequence = 1;  // the first entry given
  // The hash the first entry must link to: kGenesisHash from entry 1, else the hash of the entry
  // before (an export manifest's first_prev_hash); empty: taken from the first entry as given.
  std::string first_prev_hash = kGenesisHash;
  int64_t last_sequence = 0;  // the chain must reach it (an export manifest's); 0: no such need
  std::vector<Checkpoint> checkpoints;  // those within the range given are checked
};

// Checks `entries` (in the order given) and names the first fault. A checkpoint whose size lies
// beyond the last entry given means the chain was truncated, unless `expect.last_sequence`
// shows the range given ends earlier on purpose.
Verdict Verify(const std::vector<Entry>& entries, const Expectations& expect);

}  // namespace dps::platform::audit

#endif  // DPS_PLATFORM_AUDIT_CHAIN_H_
