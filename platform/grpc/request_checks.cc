#include "platform/grpc/request_checks.h"

#include <google/protobuf/descriptor.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "dps/common/v1/limits.pb.h"
#include "platform/errors/errors.h"

namespace dps::platform {
namespace {

using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Unicode code points in UTF-8 text: every byte but the continuation bytes (10xxxxxx).
size_t CodePoints(const std::string& text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

dps::common::v1::FieldLimits LimitsOf(const FieldDescriptor& field) {
  dps::common::v1::FieldLimits limits = field.options().GetExtension(dps::common::v1::limits);
  if (limits.max_length() == 0) limits.set_max_length(kDefaultMaxLength);
  if (limits.max_items() == 0) limits.set_max_items(kDefaultMaxItems);
  return limits;
}

absl::Status CheckMessage(const Message& message, const std::string& path);

std::string Join(const std::string& path, const FieldDescriptor& field) {
  return path.empty() ? field.name() : absl::StrCat(path, ".", field.name());
}

// One value of `field` (element `index` of a repeated field, or -1 for a singular one).
absl::Status CheckValue(const Message& message, const FieldDescriptor& field, int index,
                        const std::string& at, const dps::common::v1::FieldLimits& limits) {
  const Reflection& reflection = *message.GetReflection();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string scratch;
      const std::string& value =
          index < 0 ? reflection.GetStringReference(message, &field, &scratch)
                    : reflection.GetRepeatedStringReference(message, &field, index, &scratch);
      const bool bytes = field.type() == FieldDescriptor::TYPE_BYTES;
      const size_t length = bytes ? value.size() : CodePoints(value);
      if (length > static_cast<size_t>(limits.max_length())) {
        return InvalidField(at, absl::StrCat("must be at most ", limits.max_length(),
                                             bytes ? " bytes" : " characters", ", got ", length));
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const int number = index < 0 ? reflection.GetEnumValue(message, &field)
                                   : reflection.GetRepeatedEnumValue(message, &field, index);
      const EnumDescriptor& type = *field.enum_type();
      if (type.FindValueByNumber(number) == nullptr) {
        return InvalidField(at, absl::StrCat("must be a value of ", type.name(), ", got ", number));
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      const Message& value = index < 0 ? reflection.GetMessage(message, &field)
                                       : reflection.GetRepeatedMessage(message, &field, index);
      return CheckMessage(value, at);
    }
    default:
      return absl::OkStatus();
  }
}

absl::Status CheckMessage(const Message& message, const std::string& path) {
  const google::protobuf::Descriptor& type = *message.GetDescriptor();
  // Well-known types (Timestamp, Duration, ...) have no strings or enums of the caller's.
  if (absl::StartsWith(type.full_name(), "google.protobuf.")) return absl::OkStatus();
  const Reflection& reflection = *message.GetReflection();
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& field = *type.field(i);
    const std::string at = Join(path, field);
    const dps::common::v1::FieldLimits limits = LimitsOf(field);
    if (field.is_repeated()) {
      const int size = reflection.FieldSize(message, &field);
      if (size > limits.max_items()) {
        return InvalidField(
            at, absl::StrCat("must have at most ", limits.max_items(), " items, got ", size));
      }
      for (int index = 0; index < size; ++index) {
        if (absl::Status s =
                CheckValue(message, field, index, absl::StrCat(at, "[", index, "]"), limits);
            !s.ok()) {
          return s;
        }
      }
      continue;
    }
    if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
        !reflection.HasField(message, &field)) {
      continue;
    }
    if (absl::Status s = CheckValue(message, field, -1, at, limits); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckRequest(const Message& request) { return CheckMessage(request, ""); }

}  // namespace dps::platform
