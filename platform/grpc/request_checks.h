// The checks every request passes before a handler reads it, in one place for every service:
//   - the size limits written next to each field in the proto (dps.common.v1.limits, see
//     proto/dps/common/v1/limits.proto): characters of a string, bytes of a bytes field, items of
//     a repeated field; a field without limits gets the defaults below;
//   - every enum field holds one of its enum's values (proto3 keeps unknown numbers, which would
//     otherwise be stored or reach a switch that does not expect them).
// The error is INVALID_ARGUMENT naming the field path ("spec.children[3].child_key") and the rule,
// never quoting the value.
#ifndef DPS_PLATFORM_GRPC_REQUEST_CHECKS_H_
#define DPS_PLATFORM_GRPC_REQUEST_CHECKS_H_

#include <google/protobuf/message.h>

#include "absl/status/status.h"

namespace dps::platform {

// The limits of a field that declares none (proto/README.md, "Limits").
inline constexpr int kDefaultMaxLength = 256;
inline constexpr int kDefaultMaxItems = 100;

absl::Status CheckRequest(const google::protobuf::Message& request);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_GRPC_REQUEST_CHECKS_H_
