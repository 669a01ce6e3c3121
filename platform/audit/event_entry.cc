#include "platform/audit/event_entry.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>

#include <nlohmann/json.hpp>

#include "dps/events/v1/events.pb.h"
#include "platform/proto/proto_time.h"

namespace dps::platform::audit {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

absl::Time ToMicros(absl::Time at) { return absl::FromUnixMicros(absl::ToUnixMicros(at)); }

// The string field `name` of `m`, or "".
std::string StringField(const Message& m, const char* name) {
  const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(name);
  if (f == nullptr || f->is_repeated() || f->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
    return "";
  }
  return m.GetReflection()->GetString(m, f);
}

// The name of the enum field `name` of `m` ("IPA_STATE_DRAFT"), or "" when unset or absent.
std::string EnumField(const Message& m, const char* name) {
  const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(name);
  if (f == nullptr || f->is_repeated() || f->cpp_type() != FieldDescriptor::CPPTYPE_ENUM) {
    return "";
  }
  const int value = m.GetReflection()->GetEnumValue(m, f);
  if (value == 0) return "";
  const auto* described = f->enum_type()->FindValueByNumber(value);
  return described != nullptr ? described->name() : std::to_string(value);
}

// The payload as canonical JSON: field names as in the proto, keys sorted, no whitespace.
std::string CanonicalJson(const Message& m) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(m, &json, options).ok()) return "{}";
  // nlohmann's objects are ordered maps: dumping sorts the keys at every level.
  return nlohmann::json::parse(json, nullptr, false).dump();
}

// "OutcomeTask" -> "outcome_task".
std::string SnakeCase(absl::string_view name) {
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') {
      if (!out.empty()) out.push_back('_');
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// The message field `name` of `m`, when set.
const Message* MessageField(const Message& m, const char* name) {
  const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(name);
  if (f == nullptr || f->is_repeated() || f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE ||
      !m.GetReflection()->HasField(m, f)) {
    return nullptr;
  }
  return &m.GetReflection()->GetMessage(m, f);
}

}  // namespace

Entry EntryOfUnannouncedChange(absl::string_view method, const dps::common::v1::Actor& actor,
                               absl::string_view request_id, absl::Time now,
                               const google::protobuf::Message& answer) {
  Entry e;
  e.action = std::string(method);
  e.request_id = std::string(request_id);
  e.recorded_at = ToMicros(now);
  e.actor_user_id = actor.user_id();
  e.actor_role = actor.role();
  e.actor_organisation_id = actor.organisation_id();
  e.aggregate_type = SnakeCase(answer.GetDescriptor()->name());
  e.aggregate_id = StringField(answer, "id");
  e.system_id = StringField(answer, "system_id");
  if (e.system_id.empty()) {
    if (const Message* spec = MessageField(answer, "spec")) {
      e.system_id = StringField(*spec, "system_id");
    }
  }
  // A purchasing system is its own system: its lead authority reads the entries of its changes.
  if (e.system_id.empty() && e.aggregate_type == "purchasing_system") e.system_id = e.aggregate_id;
  e.authority_id = StringField(answer, "placing_authority_id");
  if (e.authority_id.empty() &&
      (actor.role() == "ROLE_PLACING_OFFICER" || actor.role() == "ROLE_COMMISSIONER")) {
    e.authority_id = actor.organisation_id();
  }
  e.to_state = EnumField(answer, "state");
  e.details_json = "{}";
  return e;
}

Entry EntryOfEvent(absl::string_view type, absl::string_view aggregate_id,
                   absl::string_view request_id, absl::string_view payload,
                   absl::string_view event_id, absl::Time now) {
  Entry e;
  e.entry_id = std::string(event_id);
  // "contracts.ipa.signed": the service is the chain itself, so the action is the rest.
  const size_t dot = type.find('.');
  e.action = std::string(dot == absl::string_view::npos ? type : type.substr(dot + 1));
  e.aggregate_id = std::string(aggregate_id);
  e.request_id = std::string(request_id);
  e.recorded_at = ToMicros(now);
  e.details_json = "{}";

  dps::events::v1::EventEnvelope envelope;
  if (!envelope.ParseFromString(std::string(payload)) ||
      envelope.payload_case() == dps::events::v1::EventEnvelope::PAYLOAD_NOT_SET) {
    return e;
  }
  if (envelope.has_occurred_at() && CheckTimestamps(envelope).ok()) {
    e.recorded_at = ToMicros(FromTimestamp(envelope.occurred_at()));
  }
  e.actor_user_id = envelope.actor().user_id();
  e.actor_role = envelope.actor().role();
  e.actor_organisation_id = envelope.actor().organisation_id();
  e.aggregate_type = envelope.aggregate_type();
  e.system_id = envelope.system_id();
  // The typed event: the oneof's one set field.
  const google::protobuf::OneofDescriptor* oneof =
      envelope.GetDescriptor()->FindOneofByName("payload");
  const FieldDescriptor* set = envelope.GetReflection()->GetOneofFieldDescriptor(envelope, oneof);
  if (set == nullptr || set->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return e;
  const Message& event = envelope.GetReflection()->GetMessage(envelope, set);
  e.authority_id = StringField(event, "placing_authority_id");
  if (e.authority_id.empty()) e.authority_id = StringField(event, "authority_id");
  e.from_state = EnumField(event, "previous_state");
  e.to_state = EnumField(event, "state");
  e.details_json = CanonicalJson(event);
  return e;
}

}  // namespace dps::platform::audit
