// Instants and calendar days between the API's messages (google.protobuf.Timestamp,
// dps.common.v1.Date) and Abseil's types. Every instant is UTC; a Date is a UTC calendar day.
#ifndef DPS_PLATFORM_PROTO_PROTO_TIME_H_
#define DPS_PLATFORM_PROTO_PROTO_TIME_H_

#include <google/protobuf/message.h>
#include <google/protobuf/timestamp.pb.h>

#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "dps/common/v1/common.pb.h"

namespace dps::platform {

// Exact to the nanosecond over google.protobuf.Timestamp's whole range (years 1 to 9999).
google::protobuf::Timestamp ToTimestamp(absl::Time at);
// Exact for a Timestamp CheckTimestamps accepts; use it on requests before trusting one.
absl::Time FromTimestamp(const google::protobuf::Timestamp& at);

// INVALID_ARGUMENT naming the field (with its path: "spec.response_deadline",
// "rows[3].inspected_at") for the first Timestamp anywhere in `message` outside the range
// google.protobuf.Timestamp defines, 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z, or
// with nanos outside 0-999999999. Every such instant can be held exactly by absl::Time, by the
// JSON of a stored record and by a PostgreSQL timestamptz; anything outside it would be clamped
// or wrapped somewhere on the way, so it is refused instead. Every change request is checked
// before its handler runs (platform/grpc/calls.h), and every list request by ToPage.
absl::Status CheckTimestamps(const google::protobuf::Message& message);
dps::common::v1::Date ToDate(absl::CivilDay day);
// An unset date (year 0) is nullopt; an impossible one is InvalidArgument naming `field`.
absl::StatusOr<std::optional<absl::CivilDay>> FromDate(const dps::common::v1::Date& date,
                                                       absl::string_view field);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_PROTO_PROTO_TIME_H_
