// HTTP to gRPC and back, for any route: the request message built from the path variables, the
// query string and the JSON body; the reply written as JSON (or as raw bytes where the rule says
// `response_body`). The proto3 JSON mapping is protobuf's own; JSON output keeps the proto field
// names (snake_case), the names errors, query parameters and the docs use, and prints every field,
// zeros included, so a client never has to guess a default.
#ifndef DPS_SERVICES_GATEWAY_API_TRANSCODER_H_
#define DPS_SERVICES_GATEWAY_API_TRANSCODER_H_

#include <google/protobuf/message.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/gateway/api/route_table.h"

namespace dps::gateway {

struct HttpRequestParts {
  std::string_view query;  // after '?', undecoded
  std::string_view body;   // the JSON body (routes with body "*")
  std::string_view content_type;
  std::string_view idempotency_key;  // the Idempotency-Key header, if sent
};

// The request message for `match`, or INVALID_ARGUMENT naming the parameter or body path
// (UNSUPPORTED media types are INVALID_ARGUMENT too; the caller maps the 415 by message).
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> BuildRequest(
    const RouteMatch& match, const HttpRequestParts& parts);

// The backend that serves this request: the route's, or the one the request names.
absl::StatusOr<std::string> BackendOf(const Route& route, const google::protobuf::Message& request);

struct HttpBody {
  std::string content_type;
  std::string body;
};

// The reply as the HTTP body.
absl::StatusOr<HttpBody> RenderReply(const Route& route, const google::protobuf::Message& reply);

// One reply of a server stream as a line of newline-delimited JSON.
absl::StatusOr<std::string> RenderStreamItem(const google::protobuf::Message& reply);

// Where in the request an error message points: the JSON pointer into the body ("/spec/weights/
// price") for a body route, or the query or path parameter's name otherwise. The message names
// the field first ("spec.weights.price: must be ..."); nothing is returned when that first word
// is not a field of the request (so "referral is CLOSED: ..." points nowhere).
struct ErrorLocation {
  std::string pointer;    // into the body
  std::string parameter;  // a query or path parameter
};
std::optional<ErrorLocation> LocateError(const Route& route, std::string_view message);

// Media type errors start with this, so the caller can answer 415.
inline constexpr char kUnsupportedMediaType[] = "Content-Type: ";

}  // namespace dps::gateway

#endif  // DPS_SERVICES_GATEWAY_API_TRANSCODER_H_
