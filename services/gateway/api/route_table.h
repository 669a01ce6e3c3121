// The REST routes, read from the `google.api.http` rule on every RPC of the services compiled into
// the gateway. Nothing here is written per route: an annotated RPC added to a proto is a route.
//
// A rule's path is a template of literal segments and variables, each variable exactly one
// segment binding a scalar field of the request, with an optional custom verb at the end:
//   GET  /v1/referrals/{id}            -> ReferralService.GetReferral, id from the path
//   POST /v1/referrals/{id}:publish    -> ReferralService.PublishReferral, the body is the request
// Building the table refuses (naming the RPC) any rule it could not serve faithfully: a
// multi-segment variable, a variable naming no scalar field, a GET whose request holds fields a
// query string cannot carry, a body other than "*" or none, two rules that could match the same
// request.
#ifndef DPS_SERVICES_GATEWAY_API_ROUTE_TABLE_H_
#define DPS_SERVICES_GATEWAY_API_ROUTE_TABLE_H_

#include <google/protobuf/descriptor.h>

#include <boost/beast/http/verb.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace dps::gateway {

// One segment of a path template: a literal, or a variable bound to a request field.
struct Segment {
  std::string literal;     // empty for a variable
  std::string field_path;  // the variable's field, dotted ("id", "page.page_size")
  std::vector<const google::protobuf::FieldDescriptor*> fields;  // that path, resolved
  bool variable() const { return !fields.empty(); }
};

struct Route {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string path_template;  // as written in the rule, e.g. "/v1/referrals/{id}:publish"
  std::vector<Segment> segments;
  std::string verb;   // the custom method after ':', or empty
  bool body = false;  // the JSON body is the request message ("*")
  const google::protobuf::MethodDescriptor* rpc = nullptr;
  std::string grpc_method;  // "/dps.referral.v1.ReferralService/GetReferral"
  // The process that serves it ("referral"), or empty when the request names it in
  // backend_field (the audit log, kept by each service).
  std::string backend;
  const google::protobuf::FieldDescriptor* backend_field = nullptr;
  // The bytes field returned as the whole body with the media type in a `media_type` field
  // (`response_body` in the rule); null for a JSON body.
  const google::protobuf::FieldDescriptor* response_body = nullptr;
  const google::protobuf::FieldDescriptor* media_type = nullptr;
  // The request's idempotency_key field, which the Idempotency-Key header fills; null for reads.
  const google::protobuf::FieldDescriptor* idempotency_key = nullptr;

  // "GET /v1/referrals/{id}": the label in logs and metrics.
  std::string Label() const;
};

// A request path matched against a route: the route and each variable's (decoded) value.
struct RouteMatch {
  const Route* route = nullptr;
  std::vector<std::pair<const Segment*, std::string>> bindings;
};

class RouteTable final {
 public:
  // Every RPC of `services` with its rule. An RPC without a rule is an error: the whole API is
  // reachable over HTTP, or the gateway does not start.
  static absl::StatusOr<RouteTable> Build(
      const std::vector<const google::protobuf::ServiceDescriptor*>& services);

  // The route for method and path (no query string), or nullopt.
  std::optional<RouteMatch> Find(boost::beast::http::verb method, std::string_view path) const;
  // Whether some route has this path under another method (405 rather than 404).
  bool PathExists(std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// The services the gateway is built with: every service of every DPS API file linked into it.
std::vector<const google::protobuf::ServiceDescriptor*> DpsServices();

// Decodes %XX escapes; nullopt on a malformed escape. `plus_is_space` for query strings.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

}  // namespace dps::gateway

#endif  // DPS_SERVICES_GATEWAY_API_ROUTE_TABLE_H_
