#include "platform/audit/log.h"

#include "absl/strings/str_cat.h"
#include "platform/pg/pool.h"

namespace dps::platform::audit {
namespace {

// Instants travel as microseconds since 1970, so no text format stands between them.
constexpr char kStage[] = R"sql(
  INSERT INTO audit_log (entry_id, recorded_at, actor_user_id, actor_role, actor_organisation_id,
                         request_id, action, aggregate_type, aggregate_id, system_id,
                         authority_id, from_state, to_state, reason, details_json)
  VALUES ($1::uuid, TIMESTAMPTZ 'epoch' + $2::bigint * INTERVAL '1 microsecond', $3, $4, $5, $6,
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
    const pqxx::result last = tx.exec(
        "SELECT sequence, hash FROM audit_log WHERE sequence IS NOT NULL "
        "ORDER BY sequence DESC LIMIT 1");
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
    std::vector<Entry> out;
    out.reserve(rows.size());
    for (const pqxx::row& row : rows) out.push_back(EntryOfRow(row));
    return out;
  } catch (const std::exception& ex) {
    return StatusFromPgException(ex);
  }
}

}  // namespace dps::platform::audit
