// How a service's use case does its work in PostgreSQL, whatever called it: one transaction per
// change, holding the idempotency key, so a retry with the same key gets the first response and
// has no second effect; its events go to the outbox in the same transaction (Announce), so a
// change and its announcement commit together or not at all. No transport: the gRPC handlers
// reach it through platform/grpc/calls.h, which first proves who is calling; timers and
// consumers open a Call of their own.
#ifndef DPS_PLATFORM_WORK_UNIT_OF_WORK_H_
#define DPS_PLATFORM_WORK_UNIT_OF_WORK_H_

#include <google/protobuf/message.h>

#include <functional>
#include <pqxx/pqxx>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "dps/events/v1/events.pb.h"
#include "platform/auth/identity.h"
#include "platform/clock/clock.h"
#include "platform/pg/pool.h"

namespace dps::platform {

// What a use case's transaction body sees.
struct Call {
  pqxx::work& tx;
  const CallerIdentity& caller;
  std::string request_id;
  absl::Time now;
  int announced = 0;  // the events Announce wrote in this call
};

// Writes `envelope` (payload set by the caller) to the outbox for `stream`, filling in the
// envelope's common fields from the call. The outbox stages its audit entry with it.
absl::Status Announce(Call& call, absl::string_view stream, absl::string_view type,
                      absl::string_view aggregate_type, const std::string& aggregate_id,
                      const std::string& system_id, dps::events::v1::EventEnvelope envelope);

class UnitOfWork {
 public:
  using Body = std::function<absl::Status(Call&)>;

  // What a change learns before its transaction opens: `read` runs in a short transaction of its
  // own (nothing locked, the connection given back when it returns) and `ask` after it with no
  // connection held at all, for calls to other services. The change's transaction then opens and
  // its body re-checks under its locks whatever the facts asked depend on.
  struct Prepare {
    Body read;
    std::function<absl::Status(const CallerIdentity& caller, const std::string& request_id)> ask;
  };

  // What a read made of steps sees: the caller, and short transactions it opens as it needs
  // them, so that a call to another service between two of them holds no pooled connection.
  struct Steps {
    const CallerIdentity& caller;
    std::string request_id;
    absl::Time now;
    std::function<absl::Status(const Body&)> in_transaction;
  };

  UnitOfWork(PgPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  // A change by `caller`: `prepare` first (either part may be empty), then one transaction
  // holding the idempotency key, scoped to the caller's organisation and `method`, running `body`.
  // A repeat is answered into `response` from the ledger before anything is prepared again. A
  // change that announces no event still gets its audit entry in that transaction
  // (audit::EntryOfUnannouncedChange: the method and the record the response names), so every
  // change is in the service's audit chain; a repeat answered from the ledger adds none.
  absl::Status Change(const CallerIdentity& caller, const std::string& request_id,
                      absl::string_view method, const std::string& idempotency_key,
                      const google::protobuf::Message& request, google::protobuf::Message& response,
                      const Prepare& prepare, const Body& body) const;

  // A read in one transaction.
  absl::Status Read(const CallerIdentity& caller, const std::string& request_id,
                    const Body& body) const;

  // A read that asks other services as well as its own tables, between its own transactions.
  absl::Status ReadInSteps(const CallerIdentity& caller, const std::string& request_id,
                           const std::function<absl::Status(Steps&)>& steps) const;

 private:
  PgPool& pool_;
  const Clock& clock_;
};

}  // namespace dps::platform

#endif  // DPS_PLATFORM_WORK_UNIT_OF_WORK_H_
