#include "platform/grpc/proto_time.h"

#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"

namespace dps::platform {

google::protobuf::Timestamp ToTimestamp(absl::Time at) {
  google::protobuf::Timestamp out;
  const int64_t nanos = absl::ToUnixNanos(at);
  out.set_seconds(nanos / 1000000000 - (nanos % 1000000000 < 0 ? 1 : 0));
  out.set_nanos(static_cast<int32_t>(nanos - out.seconds() * 1000000000));
  return out;
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
