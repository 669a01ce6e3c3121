// Prometheus metrics for gRPC calls, under the names and labels the ecosystem's dashboards and
// alerts expect (those of go-grpc-prometheus and grpc-ecosystem's Java and Python exporters):
//
//   grpc_server_started_total{grpc_type, grpc_service, grpc_method}
//   grpc_server_handled_total{grpc_type, grpc_service, grpc_method, grpc_code}
//   grpc_server_handling_seconds{grpc_type, grpc_service, grpc_method}   (histogram)
//   grpc_client_started_total, grpc_client_handled_total, grpc_client_handling_seconds (same)
//
// grpc_type is unary, client_stream, server_stream or bidi_stream; grpc_service the full service
// name ("dps.referral.v1.ReferralService"); grpc_code the status code as gRPC's Go names it
// ("OK", "NotFound", "Unavailable"), which is what those dashboards match on.
// The server side is installed by StartGrpcServer (server.h), the client side by
// CreatePeerChannel (channel.h).
#ifndef DPS_PLATFORM_GRPC_CALL_METRICS_H_
#define DPS_PLATFORM_GRPC_CALL_METRICS_H_

#include <grpcpp/support/status.h>
#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace dps::platform {

// "OK", "InvalidArgument", "DeadlineExceeded", ... as in gRPC's Go and every Grafana dashboard.
std::string GrpcCodeLabel(grpc::StatusCode code);

// "/pkg.Service/Method" -> {"pkg.Service", "Method"}. Anything else -> {"unknown", whole name}.
std::pair<std::string, std::string> SplitGrpcMethod(std::string_view full_method);

// "unary", "client_stream", "server_stream", "bidi_stream"; the argument is the RPC type enum of
// either ServerRpcInfo or ClientRpcInfo (they share their numbering with RpcMethod).
std::string GrpcTypeLabel(int rpc_type);

// The three families of one side ("server" or "client"), registered once per registry (the
// registry merges a family registered again under the same name and help).
class GrpcCallMetrics final {
 public:
  GrpcCallMetrics(prometheus::Registry& registry, const std::string& side);

  // One call's labels, resolved once when the call starts.
  struct Call {
    prometheus::Family<prometheus::Counter>* handled = nullptr;
    prometheus::Histogram* latency = nullptr;
    std::map<std::string, std::string> labels;
  };
  Call Started(int rpc_type, std::string_view full_method);
  void Handled(const Call& call, grpc::StatusCode code, double seconds);

 private:
  prometheus::Family<prometheus::Counter>& started_;
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& latency_;
};

}  // namespace dps::platform

#endif  // DPS_PLATFORM_GRPC_CALL_METRICS_H_
