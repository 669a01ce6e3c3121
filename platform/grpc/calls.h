// How a service's gRPC handler does its work: the caller identified by a verified token and their
// role checked, the request checked (limits, enums, timestamps), then the unit of work
// (platform/work/unit_of_work.h: one transaction, the idempotency key, the outbox) and its status
// mapped to what the caller is told.
//
//   return calls_.Change(context, "CreateReferral", request->idempotency_key(), *request,
//                        *response, {ROLE_PLACING_OFFICER}, [&](Call& call) { ... });
#ifndef DPS_PLATFORM_GRPC_CALLS_H_
#define DPS_PLATFORM_GRPC_CALLS_H_

#include <google/protobuf/message.h>
#include <grpcpp/server_context.h>

#include <functional>
#include <initializer_list>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "platform/clock/clock.h"
#include "platform/grpc/caller.h"
#include "platform/pg/pool.h"
#include "platform/work/unit_of_work.h"

namespace dps::platform {

// The status a caller is sent for `status`. A database failure or an internal error (INTERNAL,
// UNKNOWN, DATA_LOSS) is logged whole under the request id and answered with its code and a
// generic message naming the request id: PostgreSQL's text, a statement or a stack of causes is
// for operators only. Any other message keeps its text, with every quoted value cut to
// kMaxQuotedLength characters (platform/errors/errors.h) and the whole to 1024.
grpc::Status ToCallerStatus(const absl::Status& status, const std::string& request_id);

// A call is refused before its handler runs when a Timestamp in its request is out of range
// (CheckTimestamps in platform/proto/proto_time.h).
class CallRunner {
 public:
  using Body = UnitOfWork::Body;
  using Prepare = UnitOfWork::Prepare;
  using Steps = UnitOfWork::Steps;
  using Roles = std::initializer_list<dps::common::v1::Role>;

  CallRunner(PgPool& pool, const Clock& clock, const auth::Authenticator& authenticator)
      : work_(pool, clock), authenticator_(authenticator) {}

  // A change: caller and role checked, then the request (CheckRequest: limits and enums), then
  // UnitOfWork::Change.
  grpc::Status Change(grpc::ServerContext* context, absl::string_view method,
                      const std::string& idempotency_key, const google::protobuf::Message& request,
                      google::protobuf::Message& response, Roles roles, const Body& body) const;

  // A change whose facts from other services are gathered first (UnitOfWork::Prepare), so no
  // remote call is made while a row lock or a pooled connection is held; otherwise as above.
  grpc::Status Change(grpc::ServerContext* context, absl::string_view method,
                      const std::string& idempotency_key, const google::protobuf::Message& request,
                      google::protobuf::Message& response, Roles roles, const Prepare& prepare,
                      const Body& body) const;
  // A read: caller and role checked, then the request, then one transaction.
  grpc::Status Read(grpc::ServerContext* context, const google::protobuf::Message& request,
                    Roles roles, const Body& body) const;

  // A read that asks other services as well as its own tables: caller, role and request checked
  // as Read does, then `steps`, which calls them between its own transactions.
  grpc::Status ReadInSteps(grpc::ServerContext* context, const google::protobuf::Message& request,
                           Roles roles, const std::function<absl::Status(Steps&)>& steps) const;

 private:
  // The caller, with the role checked and the request checked; or the status to answer with.
  absl::StatusOr<CallerIdentity> Admit(const grpc::ServerContext& context, Roles roles,
                                       const google::protobuf::Message& request) const;

  UnitOfWork work_;
  const auth::Authenticator& authenticator_;
};

}  // namespace dps::platform

#endif  // DPS_PLATFORM_GRPC_CALLS_H_
