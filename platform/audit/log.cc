#include "platform/audit/log.h"

#include "absl/strings/str_cat.h"
#include "platform/pg/pool.h"

namespace dps::platform::audit {
namespace {

// Instants travel as microseconds since 1970, so no text format stands between them. An entry
// of a change no event announces has no id yet: it gets a random UUID here.
constexpr char kStage[] = R"sql(
  INSERT INTO audit_log (entry_id, recorded_at, actor_user_id, actor_role, actor_organisation_id,
                         request_id, action, aggregate_type, aggregate_id, system_id,
                         authority_id, from_state, to_state, reason, details_json)
  VALUES (COALESCE(NULLIF($1, '')::uuid, gen_random_uuid()), TIMESTAMPTZ 'epoch' + $2::bigint * INTERVAL '1 microsecond', $3, $4, $5, $6,
          $7, $8, $9, $10, $11, $12, $13, $14, $15))sql";

constexpr char kColumns[] = R"sql(
  current_schema(), sequence, entry_id::text,
  (EXTRACT(EPOCH FROM recorded_at) * 1000000)::bigint, actor_user_id, actor_role,
  actor_organisation_id, request_id, action, aggregate_type, aggregate_id, system_id, authority_id,
  from_state, to_state, reason, details_json, prev_hash, content_hash, hash, staging_id)sql";

Entry EntryOfRow(const pqxx::row& r) {
  Entry e;
  e.service = r[0].as<std::string>();
  e.sequence = r[1].is_null() ? 0 : r[1].as<int64_t>();
  e.entry_id = r[2].as<std::string>();
  e.recorded_at = absl::FromUnixMicros(r[3].as<int64_t>());
  e.actor_user_id = r[4].as<std::string>();
  e.actor_role = r[5].as<std::string>();
  e.actor_organisation_id = r[6].as<std::string>();
  e.request_id = r[7].as<std::string>();
  e.action = r[8].as<std::string>();
  e.aggregate_type = r[9].as<std::string>();
  e.aggregate_id = r[10].as<std::string>();
  e.system_id = r[11].as<std::string>();
  e.authority_id = r[12].as<std::string>();
  e.from_state = r[13].as<std::string>();
  e.to_state = r[14].as<std::string>();
  e.reason = r[15].as<std::string>();
  e.details_json = r[16].as<std::string>();
  e.prev_hash = r[17].is_null() ? "" : r[17].as<std::string>();
  e.content_hash = r[18].is_null() ? "" : r[18].as<std::string>();
  e.hash = r[19].is_null() ? "" : r[19].as<std::string>();
  return e;
}

// A list's conditions, each switched off by its empty parameter. The systems travel as a text
// array; $6 says whether the list is held to them.
constexpr char kListEntries[] = R"sql(
  FROM audit_log
  WHERE sequence > $1
    AND ($2 = '' OR aggregate_type = $2) AND ($3 = '' OR aggregate_id = $3)
    AND ($4 = '' OR actor_user_id = $4) AND ($5 = '' OR authority_id = $5)
    AND ($6 OR system_id = ANY($7::text[]))
    AND ($8 = '' OR starts_with(action, $8))
    AND ($9::bigint IS NULL OR recorded_at > TIMESTAMPTZ 'epoch' + $9 * INTERVAL '1 microsecond')
    AND ($10::bigint IS NULL OR recorded_at < TIMESTAMPTZ 'epoch' + $10 * INTERVAL '1 microsecond')
  ORDER BY sequence LIMIT $11)sql";

constexpr char kChainHead[] =
    "SELECT sequence, hash FROM audit_log WHERE sequence IS NOT NULL ORDER BY sequence DESC LIMIT "
    "1";

constexpr char kRecordCheckpoint[] = R"sql(
  INSERT INTO audit_checkpoints (size, head_hash, issued_at, jws)
  VALUES ($1, $2, TIMESTAMPTZ 'epoch' + $3::bigint * INTERVAL '1 microsecond', $4)
  ON CONFLICT (size) DO NOTHING)sql";

std::optional<int64_t> MicrosOf(const std::optional<absl::Time>& at) {
  if (!at.has_value()) return std::nullopt;
  return absl::ToUnixMicros(*at);
}

std::vector<Entry> EntriesOf(const pqxx::result& rows) {
  std::vector<Entry> out;
  out.reserve(rows.size());
  for (const pqxx::row& row : rows) out.push_back(EntryOfRow(row));
  return out;
}

}  // namespace

absl::Status StageEntry(pqxx::work& tx, const Entry& e) {
  try {
    tx.exec_params0(kStage, e.entry_id, absl::ToUnixMicros(e.recorded_at), e.actor_user_id,
                    e.actor_role, e.actor_organisation_id, e.request_id, e.action, e.aggregate_type,
                    e.aggregate_id, e.system_id, e.authority_id, e.from_state, e.to_state, e.reason,
                    e.details_json);
  } catch (const std::exception& ex) {
    return StatusFromPgException(ex);
  }
  return absl::OkStatus();
}

absl::StatusOr<int> ChainPending(pqxx::work& tx, int limit) {
  try {
    // One chainer at a time per schema, until this transaction ends (the call returns a row).
    tx.exec("SELECT pg_advisory_xact_lock(hashtext('dps.audit.chain.' || current_schema()))");
    const pqxx::result last = tx.exec(kChainHead);
    Entry previous;
    bool has_previous = false;
    if (!last.empty()) {
      previous.sequence = last[0][0].as<int64_t>();
      previous.hash = last[0][1].as<std::string>();
      has_previous = true;
    }
    const pqxx::result pending =
        tx.exec_params(absl::StrCat("SELECT ", kColumns,
                                    " FROM audit_log WHERE sequence IS NULL "
                                    "ORDER BY staging_id LIMIT $1"),
                       limit);
    for (const pqxx::row& row : pending) {
      Entry e = EntryOfRow(row);
      Append(has_previous ? &previous : nullptr, e);
      tx.exec_params0(
          "UPDATE audit_log SET sequence = $2, prev_hash = $3, content_hash = $4, hash = $5 "
          "WHERE staging_id = $1",
          row[20].as<int64_t>(), e.sequence, e.prev_hash, e.content_hash, e.hash);
      previous = e;
      has_previous = true;
    }
    return static_cast<int>(pending.size());
  } catch (const std::exception& ex) {
    return StatusFromPgException(ex);
  }
}

absl::StatusOr<std::vector<Entry>> LoadChain(pqxx::work& tx, int64_t from, int64_t to, int limit) {
  try {
    const pqxx::result rows = tx.exec_params(
        absl::StrCat("SELECT ", kColumns,
                     " FROM audit_log WHERE sequence >= $1 AND ($2 = 0 OR sequence <= $2) "
                     "ORDER BY sequence LIMIT $3"),
        from, to, limit);
    return EntriesOf(rows);
  } catch (const std::exception& ex) {
    return StatusFromPgException(ex);
  }
}

absl::StatusOr<std::vector<Entry>> ListEntries(pqxx::work& tx, const EntryFilter& f) {
  try {
    const pqxx::result rows =
        tx.exec_params(absl::StrCat("SELECT ", kColumns, kListEntries), f.after_sequence,
                       f.aggregate_type, f.aggregate_id, f.actor_user_id, f.authority_id,
                       f.any_system, TextArrayParameter(f.system_ids), f.action_prefix,
                       MicrosOf(f.recorded_after), MicrosOf(f.recorded_before), f.limit);
    return EntriesOf(rows);
  } catch (const std::exception& ex) {
    return StatusFromPgException(ex);
  }
}

absl::StatusOr<std::optional<Entry>> GetEntry(pqxx::work& tx, int64_t sequence) {
  absl::StatusOr<std::vector<Entry>> one = LoadChain(tx, sequence, sequence, 1);
  if (!one.ok()) return one.status();
  if (one->empty()) return std::nullopt;
  return std::move(one->front());
}

absl::StatusOr<Checkpoint> ChainHead(pqxx::work& tx) {
  try {
    const pqxx::result last = tx.exec(kChainHead);
    Checkpoint head;
    if (!last.empty()) {
      head.size = last[0][0].as<int64_t>();
      head.head_hash = last[0][1].as<std::string>();
    }
    return head;
  } catch (const std::exception& ex) {
    return StatusFromPgException(ex);
  }
}

absl::Status RecordCheckpoint(pqxx::work& tx, const SignedCheckpoint& c) {
  try {
    tx.exec_params0(kRecordCheckpoint, c.checkpoint.size, c.checkpoint.head_hash,
                    absl::ToUnixMicros(c.checkpoint.at), c.jws);
  } catch (const std::exception& ex) {
    return StatusFromPgException(ex);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<SignedCheckpoint>> IssueCheckpoint(pqxx::work& tx,
                                                                const auth::PrivateKey& key,
                                                                absl::string_view service,
                                                                absl::Time now) {
  try {
    tx.exec("SELECT pg_advisory_xact_lock(hashtext('dps.audit.checkpoint.' || current_schema()))");
  } catch (const std::exception& ex) {
    return StatusFromPgException(ex);
  }
  absl::StatusOr<Checkpoint> head = ChainHead(tx);
  if (!head.ok()) return head.status();
  absl::StatusOr<int64_t> last = LastCheckpointSize(tx);
  if (!last.ok()) return last.status();
  if (head->size <= *last) return std::nullopt;
  head->at = now;
  absl::StatusOr<SignedCheckpoint> signed_checkpoint = SignCheckpoint(key, service, *head);
  if (!signed_checkpoint.ok()) return signed_checkpoint.status();
  if (absl::Status s = RecordCheckpoint(tx, *signed_checkpoint); !s.ok()) return s;
  return *std::move(signed_checkpoint);
}

absl::StatusOr<int64_t> LastCheckpointSize(pqxx::work& tx) {
  try {
    return tx.exec1("SELECT coalesce(max(size), 0) FROM audit_checkpoints")[0].as<int64_t>();
  } catch (const std::exception& ex) {
    return StatusFromPgException(ex);
  }
}

absl::StatusOr<std::vector<std::string>> LoadCheckpointJws(pqxx::work& tx, int64_t from_size,
                                                           int64_t to_size, int limit) {
  try {
    const pqxx::result rows = tx.exec_params(
        "SELECT jws FROM audit_checkpoints WHERE size >= $1 AND ($2 = 0 OR size <= $2) "
        "ORDER BY size LIMIT $3",
        from_size, to_size, limit);
    std::vector<std::string> out;
    out.reserve(rows.size());
    for (const pqxx::row& row : rows) out.push_back(row[0].as<std::string>());
    return out;
  } catch (const std::exception& ex) {
    return StatusFromPgException(ex);
  }
}

}  // namespace dps::platform::audit
