#include "platform/events/outbox.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "platform/audit/event_entry.h"
#include "platform/audit/log.h"

namespace dps::platform {
namespace {

constexpr char kInsertOutbox[] = R"sql(
  INSERT INTO outbox (stream, event_type, aggregate_id, request_id, payload)
  VALUES ($1, $2, $3, $4, $5)
  RETURNING event_id::text)sql";

}  // namespace

absl::StatusOr<std::string> AppendToOutbox(pqxx::work& tx, const OutboxEvent& event) {
  if (event.stream.empty() || event.type.empty()) {
    return absl::InvalidArgumentError("outbox event: stream and type are required");
  }
  const pqxx::binarystring payload(event.payload);
  const pqxx::row row = tx.exec_params1(kInsertOutbox, event.stream, event.type, event.aggregate_id,
                                        event.request_id, payload);
  const std::string event_id = row[0].as<std::string>();
  // Every event announces a state change: the audit log records it in the same transaction.
  if (absl::Status s = audit::StageEntry(
          tx, audit::EntryOfEvent(event.type, event.aggregate_id, event.request_id, event.payload,
                                  event_id, absl::Now()));
      !s.ok()) {
    return s;
  }
  return event_id;
}

absl::Status GrantOutboxToRelay(pqxx::work& tx, const std::string& schema,
                                const std::string& relay_role) {
  if (relay_role.empty() ||
      tx.exec_params("SELECT 1 FROM pg_roles WHERE rolname = $1", relay_role).empty()) {
    return absl::OkStatus();
  }
  // Replicas starting together would grant at once, and concurrent grants on one object can
  // fail ("tuple concurrently updated"): one at a time, and only what is missing.
  tx.exec_params("SELECT pg_advisory_xact_lock(hashtext($1))", "dps.outbox-grant." + schema);
  if (tx.exec_params1("SELECT has_schema_privilege($1::name, $3::text, 'USAGE') AND "
                      "has_table_privilege($1::name, $2::text, 'SELECT') AND "
                      "has_column_privilege($1::name, $2::text, 'published_at', 'UPDATE') AND "
                      "has_table_privilege($1::name, $2::text, 'DELETE')",
                      relay_role, schema + ".outbox", schema)[0]
          .as<bool>()) {
    return absl::OkStatus();
  }
  const std::string role = tx.quote_name(relay_role);
  const std::string outbox = absl::StrCat(tx.quote_name(schema), ".outbox");
  tx.exec0(absl::StrCat("GRANT USAGE ON SCHEMA ", tx.quote_name(schema), " TO ", role));
  tx.exec0(absl::StrCat("GRANT SELECT, DELETE, UPDATE (published_at) ON ", outbox, " TO ", role));
  return absl::OkStatus();
}

}  // namespace dps::platform
