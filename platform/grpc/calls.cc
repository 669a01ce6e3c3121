#include "platform/grpc/calls.h"

#include "absl/strings/str_cat.h"
#include "platform/events/outbox.h"
#include "platform/grpc/proto_time.h"
#include "platform/grpc/request_checks.h"
#include "platform/grpc/server.h"
#include "platform/grpc/status.h"
#include "platform/pg/idempotency.h"

namespace dps::platform {

absl::StatusOr<CallerIdentity> CallRunner::Authorise(const grpc::ServerContext& context,
                                                     Roles roles) const {
  absl::StatusOr<CallerIdentity> caller = CallerOf(context, authenticator_);
  if (!caller.ok()) return caller;
  if (absl::Status s = RequireRole(*caller, roles); !s.ok()) return s;
  return caller;
}

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
  return id.status();
}

grpc::Status CallRunner::Change(grpc::ServerContext* context, absl::string_view method,
                                const std::string& idempotency_key,
                                const google::protobuf::Message& request,
                                google::protobuf::Message& response, Roles roles,
                                const Body& body) const {
  absl::StatusOr<CallerIdentity> caller = Authorise(*context, roles);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (absl::Status s = CheckRequest(request); !s.ok()) return ToGrpcStatus(s);
  const std::string request_id = RequestIdOf(*context);
  const absl::Time now = clock_.Now();
  // A retry of the same change by the same organisation finds the first response.
  const IdempotencyKey key{.scope = absl::StrCat(caller->organisation_id, "/", method),
                           .key = idempotency_key};
  absl::Status status = pool_.InTransaction([&](pqxx::work& tx) {
    response.Clear();
    Call call{.tx = tx, .caller = *caller, .request_id = request_id, .now = now};
    return RunOnce(tx, key, request, response, [&] { return body(call); });
  });
  return ToGrpcStatus(status);
}

grpc::Status CallRunner::Read(grpc::ServerContext* context,
                              const google::protobuf::Message& request, Roles roles,
                              const Body& body) const {
  absl::StatusOr<CallerIdentity> caller = Authorise(*context, roles);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (absl::Status s = CheckRequest(request); !s.ok()) return ToGrpcStatus(s);
  const std::string request_id = RequestIdOf(*context);
  const absl::Time now = clock_.Now();
  absl::Status status = pool_.InTransaction([&](pqxx::work& tx) {
    Call call{.tx = tx, .caller = *caller, .request_id = request_id, .now = now};
    return body(call);
  });
  return ToGrpcStatus(status);
}

}  // namespace dps::platform
