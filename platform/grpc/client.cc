#include "platform/grpc/client.h"

#include <chrono>

#include "absl/time/clock.h"
#include "platform/grpc/server.h"

namespace dps::platform {

void PrepareClientContext(const std::string& request_id, absl::Duration timeout,
                          grpc::ClientContext* context) {
  if (!request_id.empty()) context->AddMetadata(kRequestIdKey, request_id);
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
}

}  // namespace dps::platform
