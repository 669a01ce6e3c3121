#include "platform/grpc/server.h"

#include <grpcpp/support/server_interceptor.h>
#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <chrono>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "platform/log/log.h"

namespace dps::platform {
namespace {

// gRPC and absl share their code numbers, so absl's names serve as the metric label values.
std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

struct CallMetrics {
  prometheus::Family<prometheus::Counter>* handled;
  prometheus::Family<prometheus::Histogram>* latency;
};

// Times one call from the arrival of its metadata to the sending of its status.
class CallInterceptor final : public grpc::experimental::Interceptor {
 public:
  CallInterceptor(grpc::experimental::ServerRpcInfo* info, CallMetrics* metrics)
      : method_(info->method()), metrics_(metrics) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using Hook = grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(Hook::POST_RECV_INITIAL_METADATA)) {
      start_ = std::chrono::steady_clock::now();
      for (const auto& [key, value] : *methods->GetRecvInitialMetadata()) {
        if (key == kRequestIdKey) request_id_.assign(value.data(), value.size());
      }
    }
    if (methods->QueryInterceptionHookPoint(Hook::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      const std::string code = CodeName(status.error_code());
      if (metrics_ != nullptr) {
        metrics_->handled->Add({{"method", method_}, {"code", code}}).Increment();
        metrics_->latency
            ->Add({{"method", method_}, {"code", code}},
                  prometheus::Histogram::BucketBoundaries{0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                                          0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                                          1, 2.5, 5})
            .Observe(seconds);
      }
      if (!status.ok()) {
        Log(LogLevel::kInfo, "grpc call failed",
            {{"method", method_},
             {"code", code},
             {"error", status.error_message()},
             {"request_id", request_id_}});
      }
    }
    methods->Proceed();
  }

 private:
  const std::string method_;
  CallMetrics* metrics_;
  std::string request_id_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

class CallInterceptorFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CallInterceptorFactory(std::shared_ptr<CallMetrics> metrics)
      : metrics_(std::move(metrics)) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new CallInterceptor(info, metrics_.get());
  }

 private:
  std::shared_ptr<CallMetrics> metrics_;
};

}  // namespace

absl::StatusOr<GrpcServer> StartGrpcServer(const std::string& address,
                                           const std::vector<grpc::Service*>& services,
                                           prometheus::Registry* registry) {
  grpc::ServerBuilder builder;
  GrpcServer result;
  result.health = std::make_unique<HealthService>();
  // gRPC turns SO_REUSEPORT on by default, which lets a second copy of a service bind the same
  // port and silently take half the calls. One port, one process.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &result.port);
  builder.RegisterService(result.health.get());
  for (grpc::Service* service : services) builder.RegisterService(service);

  // The registry merges families registered twice under one name, so several servers in one
  // process (as in tests) share them. The factory, owned by the server, keeps them alive.
  std::shared_ptr<CallMetrics> metrics;
  if (registry != nullptr) {
    metrics = std::make_shared<CallMetrics>(CallMetrics{
        &prometheus::BuildCounter()
             .Name("dps_grpc_server_handled_total")
             .Help("gRPC calls completed, by method and status code")
             .Register(*registry),
        &prometheus::BuildHistogram()
             .Name("dps_grpc_server_handling_seconds")
             .Help("Time from a call's arrival to its status, by method and status code")
             .Register(*registry)});
  }
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
  factories.push_back(std::make_unique<CallInterceptorFactory>(metrics));
  builder.experimental().SetInterceptorCreators(std::move(factories));

  result.server = builder.BuildAndStart();
  if (result.server == nullptr || result.port == 0) {
    return absl::UnavailableError(absl::StrCat("grpc: cannot listen on ", address));
  }
  return result;
}

std::string RequestIdOf(const grpc::ServerContext& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(kRequestIdKey);
  return it == metadata.end() ? "" : std::string(it->second.data(), it->second.size());
}

}  // namespace dps::platform
