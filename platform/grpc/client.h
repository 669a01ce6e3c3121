// Calling another DPS service: every outgoing call carries the caller's request id and a
// deadline, set in one place so no call goes out without them.
//
//   grpc::ClientContext context;
//   PrepareClientContext(request_id, absl::Seconds(2), &context);
//   stub->Evaluate(&context, request, &response);
#ifndef DPS_PLATFORM_GRPC_CLIENT_H_
#define DPS_PLATFORM_GRPC_CLIENT_H_

#include <grpcpp/client_context.h>

#include <string>

#include "absl/time/time.h"

namespace dps::platform {

// Sets x-request-id (when not empty) and a deadline `timeout` from now.
void PrepareClientContext(const std::string& request_id, absl::Duration timeout,
                          grpc::ClientContext* context);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_GRPC_CLIENT_H_
