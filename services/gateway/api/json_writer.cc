#include "services/gateway/api/json_writer.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"

namespace dps::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr int64_t kMinTimestampSeconds = -62135596800;  // 0001-01-01T00:00:00Z
constexpr int64_t kMaxTimestampSeconds = 253402300799;  // 9999-12-31T23:59:59Z

void AppendString(std::string_view value, std::string& out) {
  out.push_back('"');
  for (const char c : value) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppendFormat(&out, "\\u%04x", static_cast<unsigned char>(c));
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

// The shortest text that reads back as the same value; NaN and the infinities as the mapping's
// strings.
template <typename Float>
void AppendFloat(Float value, std::string& out) {
  if (std::isnan(value)) {
    out += "\"NaN\"";
  } else if (std::isinf(value)) {
    out += value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  } else {
    char buffer[64];
    const auto written = std::to_chars(buffer, buffer + sizeof(buffer), value);
    out.append(buffer, written.ptr);
  }
}

absl::Status AppendTimestamp(const Message& timestamp, std::string& out) {
  const Descriptor& type = *timestamp.GetDescriptor();
  const Reflection& reflection = *timestamp.GetReflection();
  const int64_t seconds = reflection.GetInt64(timestamp, type.FindFieldByNumber(1));
  const int32_t nanos = reflection.GetInt32(timestamp, type.FindFieldByNumber(2));
  if (seconds < kMinTimestampSeconds || seconds > kMaxTimestampSeconds || nanos < 0 ||
      nanos > 999999999) {
    return absl::InvalidArgumentError(
        absl::StrCat("timestamp out of range: ", seconds, " s, ", nanos, " ns"));
  }
  const absl::CivilSecond civil =
      absl::ToCivilSecond(absl::FromUnixSeconds(seconds), absl::UTCTimeZone());
  absl::StrAppendFormat(&out, "\"%04d-%02d-%02dT%02d:%02d:%02d", civil.year(), civil.month(),
                        civil.day(), civil.hour(), civil.minute(), civil.second());
  if (nanos % 1000000 == 0 && nanos != 0) {
    absl::StrAppendFormat(&out, ".%03d", nanos / 1000000);
  } else if (nanos % 1000 == 0 && nanos != 0) {
    absl::StrAppendFormat(&out, ".%06d", nanos / 1000);
  } else if (nanos != 0) {
    absl::StrAppendFormat(&out, ".%09d", nanos);
  }
  out += "Z\"";
  return absl::OkStatus();
}

absl::Status AppendMessage(const Message& message, std::string& out);

// One value of `field` (element `index` when repeated, else -1).
absl::Status AppendValue(const Message& message, const FieldDescriptor& field, int index,
                         std::string& out) {
  const Reflection& reflection = *message.GetReflection();
  const bool repeated = index >= 0;
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      absl::StrAppend(&out, repeated ? reflection.GetRepeatedInt32(message, &field, index)
                                     : reflection.GetInt32(message, &field));
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      absl::StrAppend(&out, repeated ? reflection.GetRepeatedUInt32(message, &field, index)
                                     : reflection.GetUInt32(message, &field));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      absl::StrAppend(&out, "\"",
                      repeated ? reflection.GetRepeatedInt64(message, &field, index)
                               : reflection.GetInt64(message, &field),
                      "\"");
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      absl::StrAppend(&out, "\"",
                      repeated ? reflection.GetRepeatedUInt64(message, &field, index)
                               : reflection.GetUInt64(message, &field),
                      "\"");
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      AppendFloat(repeated ? reflection.GetRepeatedDouble(message, &field, index)
                           : reflection.GetDouble(message, &field),
                  out);
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      AppendFloat(repeated ? reflection.GetRepeatedFloat(message, &field, index)
                           : reflection.GetFloat(message, &field),
                  out);
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      out += (repeated ? reflection.GetRepeatedBool(message, &field, index)
                       : reflection.GetBool(message, &field))
                 ? "true"
                 : "false";
      break;
    case FieldDescriptor::CPPTYPE_ENUM: {
      const int number = repeated ? reflection.GetRepeatedEnumValue(message, &field, index)
                                  : reflection.GetEnumValue(message, &field);
      const EnumValueDescriptor* value = field.enum_type()->FindValueByNumber(number);
      if (value != nullptr) {
        AppendString(value->name(), out);
      } else {
        absl::StrAppend(&out, number);
      }
      break;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string scratch;
      const std::string& value =
          repeated ? reflection.GetRepeatedStringReference(message, &field, index, &scratch)
                   : reflection.GetStringReference(message, &field, &scratch);
      if (field.type() == FieldDescriptor::TYPE_BYTES) {
        AppendString(absl::Base64Escape(value), out);
      } else {
        AppendString(value, out);
      }
      break;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return AppendMessage(repeated ? reflection.GetRepeatedMessage(message, &field, index)
                                    : reflection.GetMessage(message, &field),
                           out);
  }
  return absl::OkStatus();
}

// A map's entries as an object, each key as a string.
absl::Status AppendMap(const Message& message, const FieldDescriptor& field, std::string& out) {
  const Reflection& reflection = *message.GetReflection();
  const FieldDescriptor& key = *field.message_type()->map_key();
  const FieldDescriptor& value = *field.message_type()->map_value();
  out.push_back('{');
  const int size = reflection.FieldSize(message, &field);
  for (int i = 0; i < size; ++i) {
    if (i > 0) out.push_back(',');
    const Message& entry = reflection.GetRepeatedMessage(message, &field, i);
    std::string key_text;
    if (absl::Status s = AppendValue(entry, key, -1, key_text); !s.ok()) return s;
    if (key_text.front() == '"') {
      out += key_text;
    } else {
      AppendString(key_text, out);
    }
    out.push_back(':');
    if (absl::Status s = AppendValue(entry, value, -1, out); !s.ok()) return s;
  }
  out.push_back('}');
  return absl::OkStatus();
}

absl::Status AppendMessage(const Message& message, std::string& out) {
  const Descriptor& type = *message.GetDescriptor();
  if (type.file()->package() == "google.protobuf") {
    if (type.full_name() == "google.protobuf.Timestamp") return AppendTimestamp(message, out);
    return absl::UnimplementedError(absl::StrCat(type.full_name(), " is not written here"));
  }
  const Reflection& reflection = *message.GetReflection();
  out.push_back('{');
  bool first = true;
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& field = *type.field(i);
    // A field with presence (a message, a oneof's member, a proto3 optional) only when set;
    // every other field always, at its default when unset.
    if (!field.is_repeated() && field.has_presence() && !reflection.HasField(message, &field)) {
      continue;
    }
    if (!first) out.push_back(',');
    first = false;
    AppendString(field.name(), out);
    out.push_back(':');
    if (field.is_map()) {
      if (absl::Status s = AppendMap(message, field, out); !s.ok()) return s;
    } else if (field.is_repeated()) {
      out.push_back('[');
      const int size = reflection.FieldSize(message, &field);
      for (int j = 0; j < size; ++j) {
        if (j > 0) out.push_back(',');
        if (absl::Status s = AppendValue(message, field, j, out); !s.ok()) return s;
      }
      out.push_back(']');
    } else if (absl::Status s = AppendValue(message, field, -1, out); !s.ok()) {
      return s;
    }
  }
  out.push_back('}');
  return absl::OkStatus();
}

}  // namespace

absl::Status AppendJson(const Message& message, std::string& out) {
  const size_t before = out.size();
  absl::Status status = AppendMessage(message, out);
  if (!status.ok()) out.resize(before);
  return status;
}

}  // namespace dps::gateway
