#include "platform/work/unit_of_work.h"

#include "absl/strings/str_cat.h"
#include "platform/audit/event_entry.h"
#include "platform/audit/log.h"
#include "platform/events/outbox.h"
#include "platform/pg/idempotency.h"
#include "platform/proto/proto_time.h"

namespace dps::platform {

absl::Status Announce(Call& call, absl::string_view stream, absl::string_view type,
                      absl::string_view aggregate_type, const std::string& aggregate_id,
                      const std::string& system_id, dps::events::v1::EventEnvelope envelope) {
  envelope.set_type(std::string(type));
  envelope.set_aggregate_type(std::string(aggregate_type));
  envelope.set_aggregate_id(aggregate_id);
  *envelope.mutable_occurred_at() = ToTimestamp(call.now);
  envelope.set_request_id(call.request_id);
  *envelope.mutable_actor() = ActorOf(call.caller);
  envelope.set_schema_version(1);
  envelope.set_system_id(system_id);
  absl::StatusOr<std::string> id =
      AppendToOutbox(call.tx, {.stream = std::string(stream),
                               .type = std::string(type),
                               .aggregate_id = aggregate_id,
                               .request_id = call.request_id,
                               .payload = envelope.SerializeAsString()});
  if (id.ok()) ++call.announced;
  return id.status();
}

absl::Status UnitOfWork::Change(const CallerIdentity& caller, const std::string& request_id,
                                absl::string_view method, const std::string& idempotency_key,
                                const google::protobuf::Message& request,
                                google::protobuf::Message& response, const Prepare& prepare,
                                const Body& body) const {
  const absl::Time now = clock_.Now();
  // A retry of the same change by the same organisation finds the first response.
  const IdempotencyKey key{.scope = absl::StrCat(caller.organisation_id, "/", method),
                           .key = idempotency_key};
  if (prepare.read || prepare.ask) {
    // A repeat is answered from the ledger before any fact is gathered again.
    bool answered = false;
    absl::Status read = pool_.InTransaction([&](pqxx::work& tx) -> absl::Status {
      absl::StatusOr<bool> found = FindResponse(tx, key, RequestDigest(request), response);
      if (!found.ok()) return found.status();
      answered = *found;
      if (answered || !prepare.read) return absl::OkStatus();
      Call call{.tx = tx, .caller = caller, .request_id = request_id, .now = now};
      return prepare.read(call);
    });
    if (!read.ok() || answered) return read;
    if (prepare.ask) {
      if (absl::Status s = prepare.ask(caller, request_id); !s.ok()) return s;
    }
  }
  return pool_.InTransaction([&](pqxx::work& tx) {
    response.Clear();
    Call call{.tx = tx, .caller = caller, .request_id = request_id, .now = now};
    return RunOnce(tx, key, request, response, [&]() -> absl::Status {
      if (absl::Status s = body(call); !s.ok()) return s;
      if (call.announced > 0) return absl::OkStatus();  // each event staged its own entry
      return audit::StageEntry(
          tx, audit::EntryOfUnannouncedChange(method, ActorOf(caller), request_id, now, response));
    });
  });
}

absl::Status UnitOfWork::Read(const CallerIdentity& caller, const std::string& request_id,
                              const Body& body) const {
  const absl::Time now = clock_.Now();
  return pool_.InTransaction([&](pqxx::work& tx) {
    Call call{.tx = tx, .caller = caller, .request_id = request_id, .now = now};
    return body(call);
  });
}

absl::Status UnitOfWork::ReadInSteps(const CallerIdentity& caller, const std::string& request_id,
                                     const std::function<absl::Status(Steps&)>& steps) const {
  Steps read{.caller = caller, .request_id = request_id, .now = clock_.Now()};
  read.in_transaction = [&](const Body& body) {
    return pool_.InTransaction([&](pqxx::work& tx) {
      Call call{.tx = tx, .caller = caller, .request_id = request_id, .now = read.now};
      return body(call);
    });
  };
  return steps(read);
}

}  // namespace dps::platform
