#include "platform/grpc/channel.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/support/client_interceptor.h>

#include <chrono>

#include "platform/grpc/call_metrics.h"

namespace dps::platform {
namespace {

// Counts and times one outgoing call, from sending its metadata to receiving its status.
class ClientCallInterceptor final : public grpc::experimental::Interceptor {
 public:
  ClientCallInterceptor(grpc::experimental::ClientRpcInfo* info, GrpcCallMetrics* metrics)
      : info_(info), metrics_(metrics) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using Hook = grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(Hook::PRE_SEND_INITIAL_METADATA)) {
      start_ = std::chrono::steady_clock::now();
      call_ = metrics_->Started(static_cast<int>(info_->type()), info_->method());
    }
    if (methods->QueryInterceptionHookPoint(Hook::POST_RECV_STATUS)) {
      const grpc::Status* status = methods->GetRecvStatus();
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      metrics_->Handled(call_, status == nullptr ? grpc::StatusCode::UNKNOWN : status->error_code(),
                        seconds);
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ClientRpcInfo* info_;
  GrpcCallMetrics* metrics_;
  GrpcCallMetrics::Call call_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

class ClientCallInterceptorFactory final
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit ClientCallInterceptorFactory(std::shared_ptr<GrpcCallMetrics> metrics)
      : metrics_(std::move(metrics)) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* info) override {
    return new ClientCallInterceptor(info, metrics_.get());
  }

 private:
  std::shared_ptr<GrpcCallMetrics> metrics_;
};

}  // namespace

std::shared_ptr<grpc::Channel> CreatePeerChannel(
    const std::string& target, const std::shared_ptr<grpc::ChannelCredentials>& credentials,
    prometheus::Registry* registry) {
  grpc::ChannelArguments arguments;
  arguments.SetServiceConfigJSON(R"json({"loadBalancingConfig": [{"round_robin": {}}]})json");
  // Replies up to the largest list page a service sends, with room to spare (gRPC's default
  // limit is 4 MB).
  arguments.SetMaxReceiveMessageSize(16 << 20);
  if (registry == nullptr) return grpc::CreateCustomChannel(target, credentials, arguments);
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> factories;
  factories.push_back(std::make_unique<ClientCallInterceptorFactory>(
      std::make_shared<GrpcCallMetrics>(*registry, "client")));
  return grpc::experimental::CreateCustomChannelWithInterceptors(target, credentials, arguments,
                                                                 std::move(factories));
}

}  // namespace dps::platform
