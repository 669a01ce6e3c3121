#include "platform/grpc/calls.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "platform/audit/event_entry.h"
#include "platform/audit/log.h"
#include "platform/errors/errors.h"
#include "platform/events/outbox.h"
#include "platform/grpc/proto_time.h"
#include "platform/grpc/request_checks.h"
#include "platform/grpc/server.h"
#include "platform/grpc/status.h"
#include "platform/log/log.h"
#include "platform/pg/idempotency.h"

namespace dps::platform {
namespace {

// The longest error message a caller is sent; a rule and a field path fit easily.
constexpr size_t kMaxMessageLength = 1024;

// Every quoted run of `message` ("...") cut to kMaxQuotedLength characters: handlers quote what
// callers sent, and a quote not made with Quote() must not repeat a megabyte.
std::string ShortenQuotes(absl::string_view message) {
  std::string out;
  size_t i = 0;
  while (i < message.size()) {
    const size_t open = message.find('"', i);
    if (open == absl::string_view::npos) break;
    size_t close = open + 1;
    while (close < message.size() && message[close] != '"') close += message[close] == '\\' ? 2 : 1;
    if (close >= message.size()) break;
    absl::StrAppend(&out, message.substr(i, open + 1 - i),
                    Truncated(message.substr(open + 1, close - open - 1)), "\"");
    i = close + 1;
  }
  absl::StrAppend(&out, message.substr(std::min(i, message.size())));
  return Truncated(out, kMaxMessageLength);
}

}  // namespace

grpc::Status ToCallerStatus(const absl::Status& status, const std::string& request_id) {
  if (status.ok()) return grpc::Status::OK;
  const bool internal = status.code() == absl::StatusCode::kInternal ||
                        status.code() == absl::StatusCode::kUnknown ||
                        status.code() == absl::StatusCode::kDataLoss;
  if (!internal && !IsDatabaseError(status)) {
    return ToGrpcStatus(absl::Status(status.code(), ShortenQuotes(status.message())));
  }
  // The detail (PostgreSQL's text, a bug's) goes to the log under the request id, which the
  // caller is given to quote.
  Log(LogLevel::kError, "call failed inside the service",
      {{"request_id", request_id},
       {"code", absl::StatusCodeToString(status.code())},
       {"error", Truncated(status.message(), 4096)}});
  std::string message;
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
      message = "the database is unavailable; retry with the same idempotency key";
      break;
    case absl::StatusCode::kAborted:
      message = "a concurrent change conflicted with this one; retry with the same idempotency key";
      break;
    case absl::StatusCode::kAlreadyExists:
      message = "already exists: a concurrent request made it first";
      break;
    default:
      message = "internal error";
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      absl::StrCat(message, " (request id ", request_id, ")"));
}

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
  if (id.ok()) ++call.announced;
  return id.status();
}

grpc::Status CallRunner::Change(grpc::ServerContext* context, absl::string_view method,
                                const std::string& idempotency_key,
                                const google::protobuf::Message& request,
                                google::protobuf::Message& response, Roles roles,
                                const Body& body) const {
  return Change(context, method, idempotency_key, request, response, roles, Prepare{}, body);
}

grpc::Status CallRunner::Change(grpc::ServerContext* context, absl::string_view method,
                                const std::string& idempotency_key,
                                const google::protobuf::Message& request,
                                google::protobuf::Message& response, Roles roles,
                                const Prepare& prepare, const Body& body) const {
  const std::string request_id = RequestIdOf(*context);
  absl::StatusOr<CallerIdentity> caller = Authorise(*context, roles);
  if (!caller.ok()) return ToCallerStatus(caller.status(), request_id);
  if (absl::Status s = CheckRequest(request); !s.ok()) return ToCallerStatus(s, request_id);
  if (absl::Status s = CheckTimestamps(request); !s.ok()) return ToCallerStatus(s, request_id);
  const absl::Time now = clock_.Now();
  // A retry of the same change by the same organisation finds the first response.
  const IdempotencyKey key{.scope = absl::StrCat(caller->organisation_id, "/", method),
                           .key = idempotency_key};
  if (prepare.read || prepare.ask) {
    // A repeat is answered from the ledger before any fact is gathered again.
    bool answered = false;
    absl::Status read = pool_.InTransaction([&](pqxx::work& tx) -> absl::Status {
      absl::StatusOr<bool> found = FindResponse(tx, key, RequestDigest(request), response);
      if (!found.ok()) return found.status();
      answered = *found;
      if (answered || !prepare.read) return absl::OkStatus();
      Call call{.tx = tx, .caller = *caller, .request_id = request_id, .now = now};
      return prepare.read(call);
    });
    if (!read.ok()) return ToCallerStatus(read, request_id);
    if (answered) return grpc::Status::OK;
    if (prepare.ask) {
      if (absl::Status s = prepare.ask(*caller, request_id); !s.ok()) {
        return ToCallerStatus(s, request_id);
      }
    }
  }
  absl::Status status = pool_.InTransaction([&](pqxx::work& tx) {
    response.Clear();
    Call call{.tx = tx, .caller = *caller, .request_id = request_id, .now = now};
    return RunOnce(tx, key, request, response, [&]() -> absl::Status {
      if (absl::Status s = body(call); !s.ok()) return s;
      if (call.announced > 0) return absl::OkStatus();  // each event staged its own entry
      return audit::StageEntry(
          tx, audit::EntryOfUnannouncedChange(method, ActorOf(*caller), request_id, now, response));
    });
  });
  return ToCallerStatus(status, request_id);
}

grpc::Status CallRunner::Read(grpc::ServerContext* context,
                              const google::protobuf::Message& request, Roles roles,
                              const Body& body) const {
  const std::string request_id = RequestIdOf(*context);
  absl::StatusOr<CallerIdentity> caller = Authorise(*context, roles);
  if (!caller.ok()) return ToCallerStatus(caller.status(), request_id);
  if (absl::Status s = CheckRequest(request); !s.ok()) return ToCallerStatus(s, request_id);
  if (absl::Status s = CheckTimestamps(request); !s.ok()) return ToCallerStatus(s, request_id);
  const absl::Time now = clock_.Now();
  absl::Status status = pool_.InTransaction([&](pqxx::work& tx) {
    Call call{.tx = tx, .caller = *caller, .request_id = request_id, .now = now};
    return body(call);
  });
  return ToCallerStatus(status, request_id);
}

grpc::Status CallRunner::ReadInSteps(grpc::ServerContext* context,
                                     const google::protobuf::Message& request, Roles roles,
                                     const std::function<absl::Status(Steps&)>& steps) const {
  const std::string request_id = RequestIdOf(*context);
  absl::StatusOr<CallerIdentity> caller = Authorise(*context, roles);
  if (!caller.ok()) return ToCallerStatus(caller.status(), request_id);
  if (absl::Status s = CheckRequest(request); !s.ok()) return ToCallerStatus(s, request_id);
  if (absl::Status s = CheckTimestamps(request); !s.ok()) return ToCallerStatus(s, request_id);
  Steps read{.caller = *caller, .request_id = request_id, .now = clock_.Now()};
  read.in_transaction = [&](const Body& body) {
    return pool_.InTransaction([&](pqxx::work& tx) {
      Call call{.tx = tx, .caller = *caller, .request_id = request_id, .now = read.now};
      return body(call);
    });
  };
  return ToCallerStatus(steps(read), request_id);
}

}  // namespace dps::platform
