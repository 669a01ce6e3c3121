#include "services/gateway/api/route_table.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "dps/audit/v1/audit.pb.h"
#include "dps/contracts/v1/contracts.pb.h"
#include "dps/contracts/v1/market_intelligence.pb.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "dps/referral/v1/referral.pb.h"
#include "dps/scoring/v1/scoring.pb.h"
#include "google/api/annotations.pb.h"

namespace dps::gateway {
namespace {

namespace http = boost::beast::http;
using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;

absl::Status Refuse(const MethodDescriptor& rpc, absl::string_view why) {
  return absl::FailedPreconditionError(absl::StrCat(rpc.full_name(), ": ", why));
}

// The fields a dotted path names, from `message` down; empty when any step is missing.
std::vector<const FieldDescriptor*> Resolve(const Descriptor* message, std::string_view path) {
  std::vector<const FieldDescriptor*> fields;
  for (absl::string_view name : absl::StrSplit(absl::string_view(path.data(), path.size()), '.')) {
    if (message == nullptr) return {};
    const FieldDescriptor* field = message->FindFieldByName(std::string(name));
    if (field == nullptr) return {};
    fields.push_back(field);
    message = field->message_type();
  }
  return fields;
}

bool IsScalar(const FieldDescriptor& field) {
  return field.cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE;
}

bool IsWellKnownScalar(const Descriptor& message) {
  return message.full_name() == "google.protobuf.Timestamp" ||
         message.full_name() == "google.protobuf.Duration";
}

// Whether a query string can carry `message`'s fields (other than `bound`): scalars, enums,
// repeated scalars, Timestamps and Durations, and sub-messages of those, not repeated.
bool QueryExpressible(const Descriptor& message, const std::vector<const FieldDescriptor*>& bound,
                      int depth, std::string* offending) {
  if (depth > 4) return false;
  for (int i = 0; i < message.field_count(); ++i) {
    const FieldDescriptor* field = message.field(i);
    if (std::find(bound.begin(), bound.end(), field) != bound.end()) continue;
    if (IsScalar(*field)) continue;
    if (IsWellKnownScalar(*field->message_type()) && !field->is_repeated()) continue;
    if (!field->is_repeated() && !field->is_map() &&
        QueryExpressible(*field->message_type(), bound, depth + 1, offending)) {
      continue;
    }
    *offending = field->full_name();
    return false;
  }
  return true;
}

// Which process serves a service: the middle of its package (dps.referral.v1 -> referral). The
// audit log is kept by each stateful service, so its requests name the chain in `service`.
absl::Status SetBackend(const MethodDescriptor& rpc, Route& route) {
  const std::vector<std::string> parts = absl::StrSplit(rpc.service()->file()->package(), '.');
  if (parts.size() != 3 || parts[0] != "dps") return Refuse(rpc, "not a dps.<service>.v1 package");
  if (parts[1] == "audit") {
    route.backend_field = rpc.input_type()->FindFieldByName("service");
    if (route.backend_field == nullptr ||
        route.backend_field->type() != FieldDescriptor::TYPE_STRING) {
      return Refuse(rpc, "an audit request must name its chain in a string field `service`");
    }
    return absl::OkStatus();
  }
  route.backend = parts[1];
  return absl::OkStatus();
}

absl::Status ParseTemplate(const MethodDescriptor& rpc, const std::string& path, Route& route) {
  if (!absl::StartsWith(path, "/") || absl::StrContains(path, "//")) {
    return Refuse(rpc,
                  absl::StrCat("path \"", path, "\" must start with / and have no empty segment"));
  }
  std::string body = path.substr(1);
  const auto last_slash = body.rfind('/');
  const auto colon = body.find(':', last_slash == std::string::npos ? 0 : last_slash);
  if (colon != std::string::npos) {
    route.verb = body.substr(colon + 1);
    body = body.substr(0, colon);
    if (route.verb.empty()) return Refuse(rpc, "empty custom verb");
  }
  for (absl::string_view text : absl::StrSplit(body, '/')) {
    Segment segment;
    if (absl::StartsWith(text, "{")) {
      if (!absl::EndsWith(text, "}") || absl::StrContains(text, "=") ||
          absl::StrContains(text, "*")) {
        return Refuse(rpc, absl::StrCat("path variable ", text,
                                        " must be one whole segment, {field}, with no pattern"));
      }
      segment.field_path = std::string(text.substr(1, text.size() - 2));
      segment.fields = Resolve(rpc.input_type(), segment.field_path);
      if (segment.fields.empty() || !IsScalar(*segment.fields.back()) ||
          segment.fields.back()->is_repeated()) {
        return Refuse(rpc, absl::StrCat("path variable {", segment.field_path,
                                        "} names no scalar field of ", rpc.input_type()->name()));
      }
    } else {
      if (text.empty() || absl::StrContains(text, "{") || absl::StrContains(text, "}") ||
          absl::StrContains(text, "*")) {
        return Refuse(rpc, absl::StrCat("path segment \"", text, "\" is not a literal"));
      }
      segment.literal = std::string(text);
    }
    route.segments.push_back(std::move(segment));
  }
  return absl::OkStatus();
}

absl::StatusOr<Route> RouteFor(const MethodDescriptor& rpc) {
  if (!rpc.options().HasExtension(google::api::http)) {
    return Refuse(rpc, "has no google.api.http rule");
  }
  const google::api::HttpRule& rule = rpc.options().GetExtension(google::api::http);
  if (rule.additional_bindings_size() > 0) return Refuse(rpc, "additional_bindings are not used");
  Route route;
  route.rpc = &rpc;
  route.grpc_method = absl::StrCat("/", rpc.service()->full_name(), "/", rpc.name());
  std::string path;
  switch (rule.pattern_case()) {
    case google::api::HttpRule::kGet:
      route.method = http::verb::get, path = rule.get();
      break;
    case google::api::HttpRule::kPost:
      route.method = http::verb::post, path = rule.post();
      break;
    case google::api::HttpRule::kPut:
      route.method = http::verb::put, path = rule.put();
      break;
    case google::api::HttpRule::kPatch:
      route.method = http::verb::patch, path = rule.patch();
      break;
    case google::api::HttpRule::kDelete:
      route.method = http::verb::delete_, path = rule.delete_();
      break;
    default:
      return Refuse(rpc, "the rule must use get, post, put, patch or delete");
  }
  route.path_template = path;
  if (absl::Status s = ParseTemplate(rpc, path, route); !s.ok()) return s;
  if (absl::Status s = SetBackend(rpc, route); !s.ok()) return s;

  if (rule.body() == "*") {
    if (route.method == http::verb::get || route.method == http::verb::delete_) {
      return Refuse(rpc, "GET and DELETE take no body");
    }
    route.body = true;
  } else if (!rule.body().empty()) {
    return Refuse(rpc, "body must be \"*\" or absent");
  } else if (route.method != http::verb::get && route.method != http::verb::delete_) {
    return Refuse(rpc, "a POST, PUT or PATCH rule takes the whole body (body: \"*\")");
  }
  if (!route.body) {
    std::vector<const FieldDescriptor*> bound;
    for (const Segment& segment : route.segments) {
      if (segment.variable()) bound.push_back(segment.fields.front());
    }
    std::string offending;
    if (!QueryExpressible(*rpc.input_type(), bound, 0, &offending)) {
      return Refuse(rpc, absl::StrCat(offending, " cannot be carried in a query string"));
    }
  }
  if (!rule.response_body().empty()) {
    route.response_body = rpc.output_type()->FindFieldByName(rule.response_body());
    route.media_type = rpc.output_type()->FindFieldByName("media_type");
    if (route.response_body == nullptr ||
        route.response_body->type() != FieldDescriptor::TYPE_BYTES || route.media_type == nullptr ||
        route.media_type->type() != FieldDescriptor::TYPE_STRING) {
      return Refuse(rpc, "response_body must name a bytes field beside a string media_type");
    }
  }
  const FieldDescriptor* key = rpc.input_type()->FindFieldByName("idempotency_key");
  if (key != nullptr && key->type() == FieldDescriptor::TYPE_STRING && route.body) {
    route.idempotency_key = key;
  }
  return route;
}

// Whether some request path could match both templates.
bool Overlap(const Route& a, const Route& b) {
  if (a.method != b.method || a.verb != b.verb || a.segments.size() != b.segments.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.segments.size(); ++i) {
    const Segment& x = a.segments[i];
    const Segment& y = b.segments[i];
    if (!x.variable() && !y.variable() && x.literal != y.literal) return false;
  }
  return true;
}

// The path split into segments and its custom verb (after the last ':' of the last segment).
struct SplitPath {
  std::vector<std::string_view> segments;
  std::string_view verb;
};

std::optional<SplitPath> Split(std::string_view path) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  SplitPath split;
  path.remove_prefix(1);
  const auto last_slash = path.rfind('/');
  const auto colon = path.find(':', last_slash == std::string_view::npos ? 0 : last_slash);
  if (colon != std::string_view::npos) {
    split.verb = path.substr(colon + 1);
    path = path.substr(0, colon);
  }
  for (absl::string_view segment :
       absl::StrSplit(absl::string_view(path.data(), path.size()), '/')) {
    if (segment.empty()) return std::nullopt;
    split.segments.emplace_back(segment.data(), segment.size());
  }
  return split;
}

bool Matches(const Route& route, const SplitPath& path) {
  if (route.verb != path.verb || route.segments.size() != path.segments.size()) return false;
  for (std::size_t i = 0; i < route.segments.size(); ++i) {
    if (!route.segments[i].variable() && route.segments[i].literal != path.segments[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string Route::Label() const {
  return absl::StrCat(boost::beast::http::to_string(method).to_string(), " ", path_template);
}

absl::StatusOr<RouteTable> RouteTable::Build(
    const std::vector<const google::protobuf::ServiceDescriptor*>& services) {
  RouteTable table;
  for (const auto* service : services) {
    for (int i = 0; i < service->method_count(); ++i) {
      const MethodDescriptor& rpc = *service->method(i);
      if (rpc.client_streaming()) return Refuse(rpc, "client streaming cannot be served over REST");
      absl::StatusOr<Route> route = RouteFor(rpc);
      if (!route.ok()) return route.status();
      for (const Route& other : table.routes_) {
        if (Overlap(other, *route)) {
          return Refuse(rpc, absl::StrCat(route->Label(), " could match the same requests as ",
                                          other.Label(), " (", other.rpc->full_name(), ")"));
        }
      }
      table.routes_.push_back(*std::move(route));
    }
  }
  return table;
}

std::optional<RouteMatch> RouteTable::Find(http::verb method, std::string_view path) const {
  const std::optional<SplitPath> split = Split(path);
  if (!split.has_value()) return std::nullopt;
  for (const Route& route : routes_) {
    if (route.method != method || !Matches(route, *split)) continue;
    RouteMatch match{.route = &route};
    for (std::size_t i = 0; i < route.segments.size(); ++i) {
      if (!route.segments[i].variable()) continue;
      std::optional<std::string> value = PercentDecode(split->segments[i], false);
      if (!value.has_value() || value->empty()) return std::nullopt;
      match.bindings.emplace_back(&route.segments[i], *std::move(value));
    }
    return match;
  }
  return std::nullopt;
}

bool RouteTable::PathExists(std::string_view path) const {
  const std::optional<SplitPath> split = Split(path);
  if (!split.has_value()) return false;
  for (const Route& route : routes_) {
    if (Matches(route, *split)) return true;
  }
  return false;
}

std::vector<const google::protobuf::ServiceDescriptor*> DpsServices() {
  // One message of each API file, so the file is linked in and its services are known; a new
  // RPC in any of these files needs nothing here.
  const google::protobuf::FileDescriptor* files[] = {
      dps::qualification::v1::GetLotRequest::descriptor()->file(),
      dps::referral::v1::GetReferralRequest::descriptor()->file(),
      dps::scoring::v1::EvaluateRequest::descriptor()->file(),
      dps::contracts::v1::GetIpaRequest::descriptor()->file(),
      dps::contracts::v1::GetCostBenchmarksRequest::descriptor()->file(),
      dps::audit::v1::GetAuditEntryRequest::descriptor()->file()};
  std::vector<const google::protobuf::ServiceDescriptor*> services;
  for (const auto* file : files) {
    for (int i = 0; i < file->service_count(); ++i) services.push_back(file->service(i));
  }
  return services;
}

std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      auto hex = [](char h) -> int {
        if (h >= '0' && h <= '9') return h - '0';
        if (h >= 'a' && h <= 'f') return h - 'a' + 10;
        if (h >= 'A' && h <= 'F') return h - 'A' + 10;
        return -1;
      };
      const int high = hex(text[i + 1]);
      const int low = hex(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace dps::gateway
