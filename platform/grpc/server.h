// Starting a gRPC server the way every DPS service does.
//
// StartGrpcServer adds the standard health service (see health_service.h), an interceptor that
// counts calls and times them by method and status code for Prometheus, and logs failed calls
// with the caller's request id. RequestIdOf() gives a handler the id to pass on.
#ifndef DPS_PLATFORM_GRPC_SERVER_H_
#define DPS_PLATFORM_GRPC_SERVER_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "platform/grpc/health_service.h"

namespace prometheus {
class Registry;
}

namespace dps::platform {

// The metadata key carrying the request id from the gateway through every gRPC hop.
inline constexpr char kRequestIdKey[] = "x-request-id";

struct GrpcServer {
  std::unique_ptr<HealthService> health;  // declared first: outlives the server using it
  std::unique_ptr<grpc::Server> server;
  int port = 0;  // the port actually bound (useful when asked for port 0)
};

// Builds and starts the server on address ("127.0.0.1:7101"). Fails with UNAVAILABLE naming the
// address when it cannot bind. registry may be null (no metrics).
absl::StatusOr<GrpcServer> StartGrpcServer(const std::string& address,
                                           const std::vector<grpc::Service*>& services,
                                           prometheus::Registry* registry);

// The request id the caller sent, or "" when none.
std::string RequestIdOf(const grpc::ServerContext& context);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_GRPC_SERVER_H_
