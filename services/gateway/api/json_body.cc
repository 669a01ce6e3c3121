#include "services/gateway/api/json_body.h"

#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"

namespace dps::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using Json = nlohmann::json;

struct Refusal {
  std::string message;
};

// Keys quoted in errors are cut short: a 1 MB key must not become a 1 MB error.
std::string Quoted(const std::string& text) {
  return text.size() <= 64 ? text : absl::StrCat(text.substr(0, 64), "…");
}

// Parses the body, refusing repeated keys and deep nesting as it goes (the callback sees every
// key before it is stored, and the depth of each value).
Json Parse(std::string_view body, int max_depth) {
  std::vector<std::set<std::string>> keys;  // one set for each object being read
  std::vector<std::string> path;
  auto callback = [&](int depth, Json::parse_event_t event, Json& parsed) {
    if (depth > max_depth) {
      throw Refusal{absl::StrCat("body: nested deeper than ", max_depth, " levels")};
    }
    switch (event) {
      case Json::parse_event_t::object_start:
        keys.emplace_back();
        break;
      case Json::parse_event_t::object_end:
        if (!keys.empty()) keys.pop_back();
        break;
      case Json::parse_event_t::key: {
        const std::string key = parsed.get<std::string>();
        if (!keys.empty() && !keys.back().insert(key).second) {
          throw Refusal{absl::StrCat("body: the key \"", Quoted(key),
                                     "\" appears twice in one object; a key may appear once")};
        }
        break;
      }
      default:
        break;
    }
    return true;
  };
  try {
    return Json::parse(body.begin(), body.end(), callback, /*allow_exceptions=*/true);
  } catch (const Json::parse_error& error) {
    throw Refusal{absl::StrCat("body: not valid JSON (at byte ", error.byte, ")")};
  }
}

const FieldDescriptor* FieldNamed(const Descriptor& message, const std::string& key) {
  if (const FieldDescriptor* field = message.FindFieldByName(key)) return field;
  for (int i = 0; i < message.field_count(); ++i) {
    if (message.field(i)->json_name() == key) return message.field(i);
  }
  return nullptr;
}

void CheckMessage(const Json& value, const Descriptor& message, const std::string& path);

// One value of `field` (an element, for a repeated field).
void CheckValue(const Json& value, const FieldDescriptor& field, const std::string& path) {
  if (value.is_null()) return;  // proto3 JSON: null is the default value
  auto refuse = [&](absl::string_view kind) {
    throw Refusal{absl::StrCat(path, ": must be ", kind)};
  };
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      const Descriptor& type = *field.message_type();
      const std::string& name = type.full_name();
      if (name == "google.protobuf.Timestamp" || name == "google.protobuf.Duration" ||
          name == "google.protobuf.FieldMask") {
        if (!value.is_string()) refuse("a string");
        return;
      }
      if (name == "google.protobuf.Struct" || name == "google.protobuf.Value" ||
          name == "google.protobuf.ListValue" || name == "google.protobuf.Any") {
        return;  // any JSON; protobuf's parser checks these itself
      }
      if (type.file()->package() == "google.protobuf") {  // wrappers hold one scalar
        if (value.is_structured()) refuse("a single value");
        return;
      }
      if (!value.is_object()) refuse("an object");
      CheckMessage(value, type, path);
      return;
    }
    case FieldDescriptor::CPPTYPE_BOOL:
      if (!value.is_boolean()) refuse("true or false");
      return;
    case FieldDescriptor::CPPTYPE_STRING:
      if (!value.is_string()) refuse("a string");
      return;
    case FieldDescriptor::CPPTYPE_ENUM:
      if (!value.is_string() && !value.is_number_integer()) refuse("an enum value name");
      return;
    default:  // numbers: proto3 JSON also accepts them as strings ("12", "NaN")
      if (!value.is_number() && !value.is_string()) refuse("a number");
      return;
  }
}

void CheckMessage(const Json& object, const Descriptor& message, const std::string& path) {
  for (const auto& [key, value] : object.items()) {
    const std::string here = path.empty() ? key : absl::StrCat(path, ".", key);
    const FieldDescriptor* field = FieldNamed(message, key);
    if (field == nullptr) {
      throw Refusal{absl::StrCat(path.empty() ? Quoted(key) : absl::StrCat(path, ".", Quoted(key)),
                                 ": unknown field of ", message.name())};
    }
    if (value.is_null()) continue;
    if (field->is_map()) {
      if (!value.is_object()) throw Refusal{absl::StrCat(here, ": must be an object")};
      const FieldDescriptor& map_value = *field->message_type()->map_value();
      for (const auto& [map_key, item] : value.items()) {
        CheckValue(item, map_value, absl::StrCat(here, "[\"", Quoted(map_key), "\"]"));
      }
    } else if (field->is_repeated()) {
      if (!value.is_array()) throw Refusal{absl::StrCat(here, ": must be an array")};
      for (std::size_t i = 0; i < value.size(); ++i) {
        const std::string element = absl::StrCat(here, "[", i, "]");
        if (value[i].is_array()) throw Refusal{absl::StrCat(element, ": must not be an array")};
        CheckValue(value[i], *field, element);
      }
    } else {
      CheckValue(value, *field, here);
    }
  }
}

}  // namespace

absl::Status CheckJsonBody(std::string_view body, const Descriptor& message, int max_depth) {
  try {
    const Json parsed = Parse(body, max_depth);
    if (!parsed.is_object()) return absl::InvalidArgumentError("body: must be a JSON object");
    CheckMessage(parsed, message, "");
    return absl::OkStatus();
  } catch (const Refusal& refusal) {
    return absl::InvalidArgumentError(refusal.message);
  }
}

}  // namespace dps::gateway
