// Instants and calendar days between the API's messages (google.protobuf.Timestamp,
// dps.common.v1.Date) and Abseil's types. Every instant is UTC; a Date is a UTC calendar day.
#ifndef DPS_PLATFORM_GRPC_PROTO_TIME_H_
#define DPS_PLATFORM_GRPC_PROTO_TIME_H_

#include <google/protobuf/timestamp.pb.h>

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "dps/common/v1/common.pb.h"

namespace dps::platform {

google::protobuf::Timestamp ToTimestamp(absl::Time at);
absl::Time FromTimestamp(const google::protobuf::Timestamp& at);
dps::common::v1::Date ToDate(absl::CivilDay day);
// An unset date (year 0) is nullopt; an impossible one is InvalidArgument naming `field`.
absl::StatusOr<std::optional<absl::CivilDay>> FromDate(const dps::common::v1::Date& date,
                                                       absl::string_view field);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_GRPC_PROTO_TIME_H_
