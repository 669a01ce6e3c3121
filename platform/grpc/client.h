// Calling another DPS service: every outgoing call carries the caller's request id and a
// deadline, set in one place so no call goes out without them.
//
//   grpc::ClientContext context;
//   PrepareClientContext(request_id, absl::Seconds(2), &context);
//   stub->Evaluate(&context, request, &response);
//
// A service calling another as itself (timers, consumers, the referral service asking
// qualification) uses PrepareServiceCall, which adds its own signed token.
#ifndef DPS_PLATFORM_GRPC_CLIENT_H_
#define DPS_PLATFORM_GRPC_CLIENT_H_

#include <grpcpp/client_context.h>

#include <string>

#include "absl/time/time.h"
#include "platform/auth/authenticator.h"

namespace dps::platform {

// Sets x-request-id (when not empty) and a deadline `timeout` from now.
void PrepareClientContext(const std::string& request_id, absl::Duration timeout,
                          grpc::ClientContext* context);

// As PrepareClientContext, and the call goes as this service: its own token in
// `authorization`. Signing cannot fail with a loaded key; if it did, the failure is logged and
// the call goes without a token, so the peer refuses it (UNAUTHENTICATED) rather than trusting it.
void PrepareServiceCall(const std::string& request_id, absl::Duration timeout,
                        const auth::ServiceTokens& tokens, grpc::ClientContext* context);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_GRPC_CLIENT_H_
