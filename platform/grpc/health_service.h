// The standard gRPC health service (grpc.health.v1.Health), served by every DPS process.
//
// We serve our own rather than gRPC's built-in one because the built-in one is not a
// synchronous service, and a server with no synchronous service will not start; processes such
// as the relay serve nothing else. The whole server ("") is the only service name answered.
#ifndef DPS_PLATFORM_GRPC_HEALTH_SERVICE_H_
#define DPS_PLATFORM_GRPC_HEALTH_SERVICE_H_

#include <atomic>

#include "grpc/health/v1/health.grpc.pb.h"

namespace dps::platform {

class HealthService final : public grpc::health::v1::Health::Service {
 public:
  void SetServing(bool serving) { serving_.store(serving); }
  bool serving() const { return serving_.load(); }

  // SERVING or NOT_SERVING for ""; NOT_FOUND for any other service name, as the protocol says.
  grpc::Status Check(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::health::v1::HealthCheckResponse* response) override;

  // Sends the status now and again whenever it changes, until the caller goes away.
  grpc::Status Watch(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::ServerWriter<grpc::health::v1::HealthCheckResponse>* writer) override;

 private:
  std::atomic<bool> serving_{true};
};

}  // namespace dps::platform

#endif  // DPS_PLATFORM_GRPC_HEALTH_SERVICE_H_
