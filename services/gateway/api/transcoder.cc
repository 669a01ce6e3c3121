#include "services/gateway/api/transcoder.h"

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/gateway/api/json_body.h"
#include "services/gateway/api/json_writer.h"

namespace dps::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

std::string Short(std::string_view text) {
  return text.size() <= 64 ? std::string(text) : std::string(text.substr(0, 64)) + "…";
}

const FieldDescriptor* FieldNamed(const Descriptor& message, std::string_view name) {
  if (const FieldDescriptor* field = message.FindFieldByName(std::string(name))) return field;
  for (int i = 0; i < message.field_count(); ++i) {
    if (message.field(i)->json_name() == name) return message.field(i);
  }
  return nullptr;
}

// The fields a dotted name walks through, by proto or JSON names; empty if any is missing.
std::vector<const FieldDescriptor*> ResolveName(const Descriptor* message, std::string_view name) {
  std::vector<const FieldDescriptor*> fields;
  for (absl::string_view part : absl::StrSplit(absl::string_view(name.data(), name.size()), '.')) {
    if (message == nullptr) return {};
    const FieldDescriptor* field = FieldNamed(*message, std::string_view(part.data(), part.size()));
    if (field == nullptr) return {};
    fields.push_back(field);
    message =
        field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE ? field->message_type() : nullptr;
  }
  return fields;
}

// Sets (or, for a repeated field, appends) the field at the end of `path` from its text form.
// `label` names it in errors ("query parameter page.page_size", "path variable id").
absl::Status SetFromText(Message& root, const std::vector<const FieldDescriptor*>& path,
                         std::string_view text, const std::string& label) {
  Message* message = &root;
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    if (path[i]->is_repeated()) {
      return absl::InvalidArgumentError(absl::StrCat(label, ": cannot address inside a list"));
    }
    message = message->GetReflection()->MutableMessage(message, path[i]);
  }
  const FieldDescriptor& field = *path.back();
  const Reflection& reflection = *message->GetReflection();
  const bool repeated = field.is_repeated();
  auto refuse = [&](absl::string_view rule) {
    return absl::InvalidArgumentError(
        absl::StrCat(label, ": ", rule, ", got \"", Short(text), "\""));
  };
  const std::string value(text);
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      repeated ? reflection.AddString(message, &field, value)
               : reflection.SetString(message, &field, value);
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t n;
      if (!absl::SimpleAtoi(value, &n)) return refuse("must be a whole number");
      repeated ? reflection.AddInt32(message, &field, n) : reflection.SetInt32(message, &field, n);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t n;
      if (!absl::SimpleAtoi(value, &n)) return refuse("must be a whole number");
      repeated ? reflection.AddInt64(message, &field, n) : reflection.SetInt64(message, &field, n);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t n;
      if (!absl::SimpleAtoi(value, &n)) return refuse("must be a whole number, 0 or more");
      repeated ? reflection.AddUInt32(message, &field, n)
               : reflection.SetUInt32(message, &field, n);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t n;
      if (!absl::SimpleAtoi(value, &n)) return refuse("must be a whole number, 0 or more");
      repeated ? reflection.AddUInt64(message, &field, n)
               : reflection.SetUInt64(message, &field, n);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double n;
      if (!absl::SimpleAtod(value, &n)) return refuse("must be a number");
      if (field.cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE) {
        repeated ? reflection.AddDouble(message, &field, n)
                 : reflection.SetDouble(message, &field, n);
      } else {
        repeated ? reflection.AddFloat(message, &field, static_cast<float>(n))
                 : reflection.SetFloat(message, &field, static_cast<float>(n));
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool b;
      if (value == "true" || value == "1") {
        b = true;
      } else if (value == "false" || value == "0") {
        b = false;
      } else {
        return refuse("must be true or false");
      }
      repeated ? reflection.AddBool(message, &field, b) : reflection.SetBool(message, &field, b);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* known = field.enum_type()->FindValueByName(value);
      if (known == nullptr) {
        return refuse(absl::StrCat(
            "must be a value of ", field.enum_type()->name(), " by name (e.g. ",
            field.enum_type()->value(field.enum_type()->value_count() > 1 ? 1 : 0)->name(), ")"));
      }
      repeated ? reflection.AddEnum(message, &field, known)
               : reflection.SetEnum(message, &field, known);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      const std::string& type = field.message_type()->full_name();
      Message* target = repeated ? reflection.AddMessage(message, &field)
                                 : reflection.MutableMessage(message, &field);
      if (type == "google.protobuf.Timestamp") {
        google::protobuf::Timestamp timestamp;
        if (!google::protobuf::util::TimeUtil::FromString(value, &timestamp)) {
          return refuse("must be an RFC 3339 time such as 2027-03-15T17:00:00Z");
        }
        target->CopyFrom(timestamp);
        return absl::OkStatus();
      }
      if (type == "google.protobuf.Duration") {
        google::protobuf::Duration duration;
        if (!google::protobuf::util::TimeUtil::FromString(value, &duration)) {
          return refuse("must be a duration in seconds such as 3600s");
        }
        target->CopyFrom(duration);
        return absl::OkStatus();
      }
      return absl::InvalidArgumentError(
          absl::StrCat(label, ": names a group of fields; give one of them (", label, ".<field>)"));
    }
  }
  return refuse("cannot be set from text");
}

// The value of a scalar field at `path` as text, for comparing a path variable with the body.
std::string TextAt(const Message& root, const std::vector<const FieldDescriptor*>& path) {
  const Message* message = &root;
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    message = &message->GetReflection()->GetMessage(*message, path[i]);
  }
  std::string text;
  google::protobuf::TextFormat::PrintFieldValueToString(*message, path.back(), -1, &text);
  return text;
}

bool HasValue(const Message& root, const std::vector<const FieldDescriptor*>& path) {
  const Message* message = &root;
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    if (!message->GetReflection()->HasField(*message, path[i])) return false;
    message = &message->GetReflection()->GetMessage(*message, path[i]);
  }
  return message->GetReflection()->HasField(*message, path.back());
}

absl::Status ApplyQuery(const RouteMatch& match, std::string_view query, Message& request) {
  std::set<std::string> seen;
  for (absl::string_view piece :
       absl::StrSplit(absl::string_view(query.data(), query.size()), '&', absl::SkipEmpty())) {
    const std::string_view pair(piece.data(), piece.size());
    const auto equals = pair.find('=');
    std::optional<std::string> name = PercentDecode(pair.substr(0, equals), true);
    std::optional<std::string> value =
        PercentDecode(equals == std::string_view::npos ? "" : pair.substr(equals + 1), true);
    if (!name.has_value() || !value.has_value()) {
      return absl::InvalidArgumentError("query: a malformed %-escape");
    }
    const std::string label = absl::StrCat("query parameter ", Short(*name));
    if (match.route->body) {
      return absl::InvalidArgumentError(
          absl::StrCat(label, ": not accepted; this call takes its fields in the JSON body"));
    }
    const std::vector<const FieldDescriptor*> fields =
        ResolveName(match.route->rpc->input_type(), *name);
    if (fields.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(label, ": unknown; the parameters are the fields of ",
                       match.route->rpc->input_type()->name(), " (see /v1/openapi.json)"));
    }
    for (const auto& [segment, ignored] : match.bindings) {
      if (segment->fields.front() == fields.front()) {
        return absl::InvalidArgumentError(absl::StrCat(label, ": given in the path already"));
      }
    }
    if (!fields.back()->is_repeated() && !seen.insert(fields.back()->full_name()).second) {
      return absl::InvalidArgumentError(absl::StrCat(label, ": given twice"));
    }
    if (absl::Status s = SetFromText(request, fields, *value, label); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Message>> BuildRequest(const RouteMatch& match,
                                                      const HttpRequestParts& parts) {
  const Route& route = *match.route;
  const Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(route.rpc->input_type());
  std::unique_ptr<Message> request(prototype->New());
  if (route.body && !parts.body.empty()) {
    const std::string_view essence = parts.content_type.substr(0, parts.content_type.find(';'));
    const std::string media = absl::AsciiStrToLower(
        absl::StripAsciiWhitespace(absl::string_view(essence.data(), essence.size())));
    if (media != "application/json") {
      return absl::InvalidArgumentError(absl::StrCat(kUnsupportedMediaType,
                                                     "must be application/json, got \"",
                                                     Short(parts.content_type), "\""));
    }
    if (absl::Status s = CheckJsonBody(parts.body, *route.rpc->input_type()); !s.ok()) return s;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    const auto parsed = google::protobuf::util::JsonStringToMessage(
        google::protobuf::StringPiece(parts.body.data(), parts.body.size()), request.get(),
        options);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("body: ", Short(parsed.message().ToString())));
    }
  } else if (!route.body && !parts.body.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("body: ", route.Label(), " takes no body; its fields are query parameters"));
  }
  if (absl::Status s = ApplyQuery(match, parts.query, *request); !s.ok()) return s;
  for (const auto& [segment, value] : match.bindings) {
    const std::string label = absl::StrCat("path variable ", segment->field_path);
    if (route.body && HasValue(*request, segment->fields)) {
      std::unique_ptr<Message> from_path(prototype->New());
      if (absl::Status s = SetFromText(*from_path, segment->fields, value, label); !s.ok())
        return s;
      if (TextAt(*from_path, segment->fields) != TextAt(*request, segment->fields)) {
        return absl::InvalidArgumentError(absl::StrCat(
            segment->field_path, ": the body gives another value than the path; leave it out"));
      }
    }
    if (absl::Status s = SetFromText(*request, segment->fields, value, label); !s.ok()) return s;
  }
  if (route.idempotency_key != nullptr) {
    const Reflection& reflection = *request->GetReflection();
    const std::string in_body = reflection.GetString(*request, route.idempotency_key);
    if (parts.idempotency_key.empty()) {
      return absl::InvalidArgumentError(
          "Idempotency-Key: required on every change (a new random value, e.g. a UUID, per "
          "change; the same value when retrying it)");
    }
    if (parts.idempotency_key.size() > 128) {
      return absl::InvalidArgumentError("Idempotency-Key: at most 128 characters");
    }
    if (!in_body.empty() && in_body != parts.idempotency_key) {
      return absl::InvalidArgumentError(
          "idempotency_key: differs from the Idempotency-Key header; send it in the header only");
    }
    reflection.SetString(request.get(), route.idempotency_key, std::string(parts.idempotency_key));
  }
  return request;
}

absl::StatusOr<std::string> BackendOf(const Route& route, const Message& request) {
  if (route.backend_field == nullptr) return route.backend;
  const std::string named = request.GetReflection()->GetString(request, route.backend_field);
  for (const char* known : {"qualification", "referral", "contracts"}) {
    if (named == known) return named;
  }
  return absl::InvalidArgumentError(absl::StrCat(route.backend_field->name(),
                                                 ": must be qualification, referral or contracts, "
                                                 "got \"",
                                                 Short(named), "\""));
}

namespace {

// `reply` as JSON (json_writer.h); a reply holding a well-known type the writer does not write
// goes through protobuf's printer, with the same options.
absl::Status AppendReplyJson(const Message& reply, std::string& out) {
  absl::Status written = AppendJson(reply, out);
  if (written.code() == absl::StatusCode::kUnimplemented) {
    google::protobuf::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    options.always_print_primitive_fields = true;
    std::string printed;
    const auto status = google::protobuf::util::MessageToJsonString(reply, &printed, options);
    written =
        status.ok() ? absl::OkStatus() : absl::InvalidArgumentError(status.message().ToString());
    if (written.ok()) out += printed;
  }
  if (!written.ok()) return absl::InternalError(absl::StrCat("reply: ", written.message()));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<HttpBody> RenderReply(const Route& route, const Message& reply) {
  if (route.response_body != nullptr) {
    const Reflection& reflection = *reply.GetReflection();
    HttpBody body{reflection.GetString(reply, route.media_type),
                  reflection.GetString(reply, route.response_body)};
    if (body.content_type.empty()) body.content_type = "application/octet-stream";
    return body;
  }
  HttpBody body{"application/json", ""};
  if (absl::Status s = AppendReplyJson(reply, body.body); !s.ok()) return s;
  return body;
}

absl::StatusOr<std::string> RenderStreamItem(const Message& reply) {
  std::string line;
  if (absl::Status s = AppendReplyJson(reply, line); !s.ok()) return s;
  line.push_back('\n');
  return line;
}

std::optional<ErrorLocation> LocateError(const Route& route, std::string_view message) {
  const auto colon = message.find(": ");
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view path = message.substr(0, colon);
  // Field paths as the services write them: name, name[3], name["key"], joined by dots.
  const Descriptor* type = route.rpc->input_type();
  std::string pointer;
  std::string first;
  while (!path.empty()) {
    std::size_t end = 0;
    while (end < path.size() && (absl::ascii_isalnum(path[end]) || path[end] == '_')) ++end;
    if (end == 0 || type == nullptr) return std::nullopt;
    const std::string name(path.substr(0, end));
    const FieldDescriptor* field = type->FindFieldByName(name);
    if (field == nullptr) return std::nullopt;
    if (first.empty()) first = name;
    absl::StrAppend(&pointer, "/", name);
    path.remove_prefix(end);
    while (!path.empty() && path.front() == '[') {
      const auto close = path.find(']');
      if (close == std::string_view::npos || !(field->is_repeated() || field->is_map())) {
        return std::nullopt;
      }
      std::string_view index = path.substr(1, close - 1);
      if (index.size() >= 2 && index.front() == '"' && index.back() == '"') {
        index = index.substr(1, index.size() - 2);
      }
      // RFC 6901: ~ and / in a key are escaped.
      std::string escaped;
      for (char c : index) {
        if (c == '~') {
          escaped += "~0";
        } else if (c == '/') {
          escaped += "~1";
        } else {
          escaped.push_back(c);
        }
      }
      absl::StrAppend(&pointer, "/", escaped);
      path.remove_prefix(close + 1);
    }
    type = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE ? field->message_type() : nullptr;
    if (field->is_map() && type != nullptr) type = type->map_value()->message_type();
    if (!path.empty()) {
      if (path.front() != '.') return std::nullopt;
      path.remove_prefix(1);
    }
  }
  if (pointer.empty()) return std::nullopt;
  if (route.body) return ErrorLocation{.pointer = pointer};
  return ErrorLocation{.parameter = first};
}

}  // namespace dps::gateway
