// The one place a DPS process opens a channel to another DPS service.
//
// CreatePeerChannel gives every peer channel the same three things:
// - the credentials the process was configured with (plaintext or TLS: tls.h);
// - round-robin load balancing over every address the target resolves to, so that with a
//   Kubernetes headless Service ("dns:///dps-scoring:7103") calls spread over all the pods
//   rather than sticking to the first (gRPC's default, pick_first). Servers close connections
//   after a while (server.h), which makes clients resolve again and find new pods;
// - client-side call metrics (grpc_client_*, see call_metrics.h), when a registry is given.
//
//   auto channel = CreatePeerChannel(config.String("scoring-target"), tls.client, &registry);
//   auto stub = dps::scoring::v1::ScoringService::NewStub(channel);
#ifndef DPS_PLATFORM_GRPC_CHANNEL_H_
#define DPS_PLATFORM_GRPC_CHANNEL_H_

#include <grpcpp/channel.h>
#include <grpcpp/security/credentials.h>

#include <memory>
#include <string>

namespace prometheus {
class Registry;
}

namespace dps::platform {

// registry may be null (no metrics).
std::shared_ptr<grpc::Channel> CreatePeerChannel(
    const std::string& target, const std::shared_ptr<grpc::ChannelCredentials>& credentials,
    prometheus::Registry* registry);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_GRPC_CHANNEL_H_
