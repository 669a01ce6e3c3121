// How a service's gRPC handler does its work in PostgreSQL: the caller identified and their role
// checked, then one transaction. A change also holds the idempotency key, so a retry with the same
// key gets the first response and has no second effect; its events go to the outbox in the same
// transaction (Announce), so a change and its announcement commit together or not at all.
//
//   return calls_.Change(context, "CreateReferral", request->idempotency_key(), *request,
//                        *response, {ROLE_PLACING_OFFICER}, [&](Call& call) { ... });
#ifndef DPS_PLATFORM_GRPC_CALLS_H_
#define DPS_PLATFORM_GRPC_CALLS_H_

#include <google/protobuf/message.h>
#include <grpcpp/server_context.h>

#include <functional>
#include <initializer_list>
#include <pqxx/pqxx>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "dps/events/v1/events.pb.h"
#include "platform/clock/clock.h"
#include "platform/grpc/caller.h"
#include "platform/pg/pool.h"

namespace dps::platform {

// What a handler's transaction body sees.
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

// The status a caller is sent for `status`. A database failure or an internal error (INTERNAL,
// UNKNOWN, DATA_LOSS) is logged whole under the request id and answered with its code and a
// generic message naming the request id: PostgreSQL's text, a statement or a stack of causes is
// for operators only. Any other message keeps its text, with every quoted value cut to
// kMaxQuotedLength characters (platform/errors/errors.h) and the whole to 1024.
grpc::Status ToCallerStatus(const absl::Status& status, const std::string& request_id);

// A change is refused before its handler runs when a Timestamp in its request is out of range
// (CheckTimestamps in proto_time.h).
class CallRunner {
 public:
  using Body = std::function<absl::Status(Call&)>;
  using Roles = std::initializer_list<dps::common::v1::Role>;

  CallRunner(PgPool& pool, const Clock& clock, const auth::Authenticator& authenticator)
      : pool_(pool), clock_(clock), authenticator_(authenticator) {}

  // A change: caller and role checked, then the request (CheckRequest: limits and enums), then
  // one transaction holding the idempotency key, scoped to the caller's organisation and `method`.
  // A change that announces no event still gets its audit entry in that transaction
  // (audit::EntryOfUnannouncedChange: the method and the record the response names), so every
  // change is in the service's audit chain; a repeat answered from the ledger adds none.
  grpc::Status Change(grpc::ServerContext* context, absl::string_view method,
                      const std::string& idempotency_key, const google::protobuf::Message& request,
                      google::protobuf::Message& response, Roles roles, const Body& body) const;

  // What a change learns before its transaction opens: `read` runs in a short transaction of its
  // own (nothing locked, the connection given back when it returns) and `ask` after it with no
  // connection held at all, for calls to other services. The change's transaction then opens and
  // `body` re-checks under its locks whatever the facts asked depend on.
  struct Prepare {
    Body read;
    std::function<absl::Status(const CallerIdentity& caller, const std::string& request_id)> ask;
  };
  // A change whose facts from other services are gathered first (Prepare), so no remote call is
  // made while a row lock or a pooled connection is held; otherwise as Change above.
  grpc::Status Change(grpc::ServerContext* context, absl::string_view method,
                      const std::string& idempotency_key, const google::protobuf::Message& request,
                      google::protobuf::Message& response, Roles roles, const Prepare& prepare,
                      const Body& body) const;
  // A read: caller and role checked, then the request, then one transaction.
  grpc::Status Read(grpc::ServerContext* context, const google::protobuf::Message& request,
                    Roles roles, const Body& body) const;

  // What a read made of steps sees: the caller, and short transactions it opens as it needs
  // them, so that a call to another service between two of them holds no pooled connection.
  struct Steps {
    const CallerIdentity& caller;
    std::string request_id;
    absl::Time now;
    std::function<absl::Status(const Body&)> in_transaction;
  };
  // A read that asks other services as well as its own tables: caller, role and request checked
  // as Read does, then `steps`, which calls them between its own transactions.
  grpc::Status ReadInSteps(grpc::ServerContext* context, const google::protobuf::Message& request,
                           Roles roles, const std::function<absl::Status(Steps&)>& steps) const;

 private:
  absl::StatusOr<CallerIdentity> Authorise(const grpc::ServerContext& context, Roles roles) const;

  PgPool& pool_;
  const Clock& clock_;
  const auth::Authenticator& authenticator_;
};

}  // namespace dps::platform

#endif  // DPS_PLATFORM_GRPC_CALLS_H_
