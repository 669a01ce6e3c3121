// Writing events through the transactional outbox.
//
// A state change and the event announcing it are written in the same PostgreSQL transaction,
// so either both happen or neither does; the relay (services/relay) later publishes the event
// to its Redis stream. Call AppendToOutbox inside the transaction that makes the change.
//
//   pool.InTransaction([&](pqxx::work& tx) {
//     tx.exec_params0(kSuspendMembership, id, reason);
//     return AppendToOutbox(tx, {.stream = "dps.qualification",
//                                .type = "qualification.membership.suspended",
//                                .aggregate_id = id, .payload = event.SerializeAsString()});
//   });
#ifndef DPS_PLATFORM_EVENTS_OUTBOX_H_
#define DPS_PLATFORM_EVENTS_OUTBOX_H_

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace dps::platform {

struct OutboxEvent {
  std::string stream;        // the Redis stream, one per producing service: "dps.referral"
  std::string type;          // "referral.referral.published"
  std::string aggregate_id;  // the id of the record the event is about
  std::string request_id;    // carried from the request that caused it, for tracing
  std::string payload;       // serialised protobuf (dps.events.v1)
};

// Appends the event in the caller's transaction (the table is in the search_path's schema) and
// returns its event id (a UUID), which consumers use to recognise redeliveries. The event's
// audit entry is staged beside it (platform/audit/log.h), with the event id as its entry id.
absl::StatusOr<std::string> AppendToOutbox(pqxx::work& tx, const OutboxEvent& event);

// Lets the relay's PostgreSQL role publish this schema's outbox and nothing else of it: read the
// outbox, stamp published_at and prune what was published. Run by the schema's owner at every
// start (granting twice changes nothing), so a relay role made after the schema still gets it.
// Does nothing when no role of that name exists (a deployment with one role for everything).
absl::Status GrantOutboxToRelay(pqxx::work& tx, const std::string& schema,
                                const std::string& relay_role);

// The fields of a published stream entry, as the relay writes them and consumers read them.
namespace stream_field {
inline constexpr char kEventId[] = "event_id";
inline constexpr char kType[] = "type";
inline constexpr char kAggregateId[] = "aggregate_id";
inline constexpr char kRequestId[] = "request_id";
inline constexpr char kPayload[] = "payload";
inline constexpr char kCreatedAt[] = "created_at";
}  // namespace stream_field

}  // namespace dps::platform

#endif  // DPS_PLATFORM_EVENTS_OUTBOX_H_
