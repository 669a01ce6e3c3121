// One unary call to another DPS service as the contracts service itself: its own signed token,
// the request id passed on, a deadline, and a refusal's status kept with the peer's name in front
// ("referral service: referral r-1: not found").
#ifndef DPS_SERVICES_CONTRACTS_CLIENTS_PEER_CALL_H_
#define DPS_SERVICES_CONTRACTS_CLIENTS_PEER_CALL_H_

#include <grpcpp/grpcpp.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "platform/auth/authenticator.h"
#include "platform/grpc/client.h"
#include "platform/grpc/status.h"

namespace dps::contracts {

// How long a peer has to answer one call.
inline constexpr absl::Duration kPeerCallTimeout = absl::Seconds(5);

template <typename Stub, typename Request, typename Response>
absl::Status CallPeer(absl::string_view peer, Stub& stub,
                      grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                      const platform::auth::ServiceTokens& tokens, const std::string& request_id,
                      const Request& request, Response& response) {
  grpc::ClientContext context;
  platform::PrepareServiceCall(request_id, kPeerCallTimeout, tokens, &context);
  const grpc::Status status = (stub.*method)(&context, request, &response);
  if (status.ok()) return absl::OkStatus();
  const absl::Status cause = platform::FromGrpcStatus(status);
  return absl::Status(cause.code(), absl::StrCat(peer, ": ", cause.message()));
}

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_CLIENTS_PEER_CALL_H_
