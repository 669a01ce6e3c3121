#include "platform/proto/proto_time.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"

namespace dps::platform {

namespace {

// google.protobuf.Timestamp's range: 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
constexpr int64_t kMinSeconds = -62135596800;
constexpr int64_t kMaxSeconds = 253402300799;

absl::Status CheckTimestampsAt(const google::protobuf::Message& message, const std::string& path);

absl::Status CheckOne(const google::protobuf::Message& message, const std::string& path) {
  if (message.GetDescriptor() != google::protobuf::Timestamp::descriptor()) {
    return CheckTimestampsAt(message, path);
  }
  google::protobuf::Timestamp at;
  at.CopyFrom(message);
  if (at.seconds() < kMinSeconds || at.seconds() > kMaxSeconds) {
    return InvalidField(path, "must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
  }
  if (at.nanos() < 0 || at.nanos() > 999999999) {
    return InvalidField(absl::StrCat(path, ".nanos"), "must be between 0 and 999999999");
  }
  return absl::OkStatus();
}

absl::Status CheckTimestampsAt(const google::protobuf::Message& message, const std::string& path) {
  const google::protobuf::Reflection* reflection = message.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);  // only those set
  for (const google::protobuf::FieldDescriptor* field : fields) {
    if (field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    const std::string name = path.empty() ? field->name() : absl::StrCat(path, ".", field->name());
    if (!field->is_repeated()) {
      if (absl::Status s = CheckOne(reflection->GetMessage(message, field), name); !s.ok()) {
        return s;
      }
      continue;
    }
    // A map's entries are messages too; their values are checked under "field[i].value".
    for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
      if (absl::Status s = CheckOne(reflection->GetRepeatedMessage(message, field, i),
                                    absl::StrCat(name, "[", i, "]"));
          !s.ok()) {
        return s;
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

google::protobuf::Timestamp ToTimestamp(absl::Time at) {
  google::protobuf::Timestamp out;
  // Whole seconds rounded down and the nanoseconds after them, so that no instant between the
  // years 1 and 9999 saturates as a count of nanoseconds since 1970 would (1677 to 2262).
  const int64_t seconds = absl::ToUnixSeconds(at);
  out.set_seconds(seconds);
  out.set_nanos(
      static_cast<int32_t>(absl::ToInt64Nanoseconds(at - absl::FromUnixSeconds(seconds))));
  return out;
}

absl::Status CheckTimestamps(const google::protobuf::Message& message) {
  return CheckTimestampsAt(message, "");
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& at) {
  return absl::FromUnixSeconds(at.seconds()) + absl::Nanoseconds(at.nanos());
}

dps::common::v1::Date ToDate(absl::CivilDay day) {
  dps::common::v1::Date out;
  out.set_year(static_cast<int32_t>(day.year()));
  out.set_month(day.month());
  out.set_day(day.day());
  return out;
}

absl::StatusOr<std::optional<absl::CivilDay>> FromDate(const dps::common::v1::Date& date,
                                                       absl::string_view field) {
  if (date.year() == 0 && date.month() == 0 && date.day() == 0) return std::nullopt;
  absl::CivilDay day(date.year(), date.month(), date.day());
  if (day.year() != date.year() || day.month() != date.month() || day.day() != date.day() ||
      date.year() < 1900 || date.year() > 9999) {
    return InvalidField(field, absl::StrCat("not a calendar date: ", date.year(), "-", date.month(),
                                            "-", date.day()));
  }
  return std::optional<absl::CivilDay>(day);
}

}  // namespace dps::platform
