// Starting a gRPC server the way every DPS service does.
//
// StartGrpcServer adds the standard health service (see health_service.h), an interceptor that
// counts calls and times them for Prometheus (grpc_server_*, see call_metrics.h), and logs failed
// calls with the caller's request id. RequestIdOf() gives a handler the id to pass on.
//
// With TLS credentials (tls.h) the server speaks only TLS. Kubernetes' gRPC probes cannot speak
// TLS, so a second, plaintext listener serving the health service alone can be asked for
// (health_address); it answers what the main server's health answers and nothing else.
#ifndef DPS_PLATFORM_GRPC_SERVER_H_
#define DPS_PLATFORM_GRPC_SERVER_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "platform/grpc/health_service.h"

namespace prometheus {
class Registry;
}

namespace dps::platform {

// The metadata key carrying the request id from the gateway through every gRPC hop.
inline constexpr char kRequestIdKey[] = "x-request-id";

// The health service of a server and of its plaintext health listener, kept in step.
class ServerHealth final {
 public:
  void SetServing(bool serving) {
    for (HealthService& h : services_) h.SetServing(serving);
  }
  bool serving() const { return services_[0].serving(); }
  HealthService& main() { return services_[0]; }
  HealthService& plaintext() { return services_[1]; }

 private:
  HealthService services_[2];
};

struct GrpcServer {
  std::unique_ptr<ServerHealth> health;  // declared first: outlives the servers using it
  std::unique_ptr<grpc::Server> server;
  std::unique_ptr<grpc::Server> health_server;  // the plaintext health listener, when asked for
  int port = 0;         // the port actually bound (useful when asked for port 0)
  int health_port = 0;  // the health listener's, or 0

  // Stops both listeners; calls in flight have until the deadline.
  void Shutdown(std::chrono::system_clock::time_point deadline);
};

struct GrpcServerOptions {
  // Plaintext when null.
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // host:port of a plaintext listener serving grpc.health.v1 alone; empty for none.
  std::string health_address;
};

// Builds and starts the server on address ("127.0.0.1:7101"). Fails with UNAVAILABLE naming the
// address when it cannot bind. registry may be null (no metrics).
absl::StatusOr<GrpcServer> StartGrpcServer(const std::string& address,
                                           const std::vector<grpc::Service*>& services,
                                           prometheus::Registry* registry,
                                           const GrpcServerOptions& options = {});

// A request id is 1 to 64 letters, digits and "-_.:" (proto/README.md); anything else would be
// copied into log lines, events and the audit log as the caller wrote it.
inline constexpr size_t kMaxRequestIdLength = 64;
bool IsUsableRequestId(absl::string_view id);

// `given` when it is a usable request id; otherwise (none, too long, other characters) a new
// random one, 32 hex digits.
std::string BoundedRequestId(absl::string_view given);

// The call's request id: the caller's when usable, else the one generated for the call.
std::string RequestIdOf(const grpc::ServerContext& context);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_GRPC_SERVER_H_
