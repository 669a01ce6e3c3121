// Mapping between absl::Status and grpc::Status.
//
// The domain returns absl::Status; gRPC handlers return grpc::Status. The codes correspond one to
// one, so the mapping keeps the real cause (a NOT_FOUND stays NOT_FOUND) instead of collapsing
// errors into INTERNAL. This is the only place the mapping is written.
#ifndef DPS_PLATFORM_GRPC_STATUS_H_
#define DPS_PLATFORM_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace dps::platform {

// Returns the gRPC status with the same code and message. OK maps to OK.
grpc::Status ToGrpcStatus(const absl::Status& status);

// Returns the absl::Status with the same code and message, for clients of other services.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_GRPC_STATUS_H_
