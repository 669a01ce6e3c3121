#include "platform/events/outbox.h"

#include "absl/strings/str_cat.h"

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
  return row[0].as<std::string>();
}

}  // namespace dps::platform
