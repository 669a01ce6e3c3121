// dps-health-probe: asks a gRPC server whether it is serving (grpc.health.v1.Health/Check).
//
//   dps-health-probe 127.0.0.1:7101 [timeout_seconds]
// Exits 0 when SERVING, 1 when not serving or unreachable, 2 on bad arguments or TLS settings.
// Used by ./dps up and ./dps status, and usable as a readiness probe. It speaks TLS when the
// DPS_GRPC_TLS_* variables name certificates, as the services do (platform/grpc/tls.h).
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <cstdlib>

#include "grpc/health/v1/health.grpc.pb.h"
#include "platform/grpc/tls.h"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: dps-health-probe HOST:PORT [TIMEOUT_SECONDS]\n");
    return 2;
  }
  const int timeout = argc == 3 ? std::atoi(argv[2]) : 2;
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(argv[1], dps::platform::ToolChannelCredentials("dps-health-probe")));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(timeout));
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) {
    std::printf("%s: unreachable (%s)\n", argv[1], status.error_message().c_str());
    return 1;
  }
  const bool serving = response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
  std::printf("%s: %s\n", argv[1],
              grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status()).c_str());
  return serving ? 0 : 1;
}
