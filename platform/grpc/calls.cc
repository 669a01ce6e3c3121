#include "platform/grpc/calls.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "platform/grpc/request_checks.h"
#include "platform/grpc/server.h"
#include "platform/grpc/status.h"
#include "platform/log/log.h"
#include "platform/proto/proto_time.h"

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

absl::StatusOr<CallerIdentity> CallRunner::Admit(const grpc::ServerContext& context, Roles roles,
                                                 const google::protobuf::Message& request) const {
  absl::StatusOr<CallerIdentity> caller = CallerOf(context, authenticator_);
  if (!caller.ok()) return caller;
  if (absl::Status s = RequireRole(*caller, roles); !s.ok()) return s;
  if (absl::Status s = CheckRequest(request); !s.ok()) return s;
  if (absl::Status s = CheckTimestamps(request); !s.ok()) return s;
  return caller;
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
  absl::StatusOr<CallerIdentity> caller = Admit(*context, roles, request);
  if (!caller.ok()) return ToCallerStatus(caller.status(), request_id);
  return ToCallerStatus(
      work_.Change(*caller, request_id, method, idempotency_key, request, response, prepare, body),
      request_id);
}

grpc::Status CallRunner::Read(grpc::ServerContext* context,
                              const google::protobuf::Message& request, Roles roles,
                              const Body& body) const {
  const std::string request_id = RequestIdOf(*context);
  absl::StatusOr<CallerIdentity> caller = Admit(*context, roles, request);
  if (!caller.ok()) return ToCallerStatus(caller.status(), request_id);
  return ToCallerStatus(work_.Read(*caller, request_id, body), request_id);
}

grpc::Status CallRunner::ReadInSteps(grpc::ServerContext* context,
                                     const google::protobuf::Message& request, Roles roles,
                                     const std::function<absl::Status(Steps&)>& steps) const {
  const std::string request_id = RequestIdOf(*context);
  absl::StatusOr<CallerIdentity> caller = Admit(*context, roles, request);
  if (!caller.ok()) return ToCallerStatus(caller.status(), request_id);
  return ToCallerStatus(work_.ReadInSteps(*caller, request_id, steps), request_id);
}

}  // namespace dps::platform
