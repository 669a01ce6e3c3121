#include "platform/grpc/client.h"

#include <chrono>

#include "absl/time/clock.h"
#include "platform/grpc/caller.h"
#include "platform/grpc/server.h"
#include "platform/log/log.h"

namespace dps::platform {

void PrepareClientContext(const std::string& request_id, absl::Duration timeout,
                          grpc::ClientContext* context) {
  if (!request_id.empty()) context->AddMetadata(kRequestIdKey, request_id);
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
}

void PrepareServiceCall(const std::string& request_id, absl::Duration timeout,
                        const auth::ServiceTokens& tokens, grpc::ClientContext* context) {
  PrepareClientContext(request_id, timeout, context);
  absl::StatusOr<std::string> token = tokens.Token();
  if (!token.ok()) {
    Log(LogLevel::kError, "service token not signed; the call goes unauthenticated",
        {{"error", std::string(token.status().message())}, {"request_id", request_id}});
    return;
  }
  AddBearerToken(*context, *token);
}

}  // namespace dps::platform
