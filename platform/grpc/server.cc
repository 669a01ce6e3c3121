#include "platform/grpc/server.h"

#include <grpcpp/support/server_interceptor.h>
#include <prometheus/registry.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "platform/grpc/call_metrics.h"
#include "platform/grpc/caller.h"
#include "platform/log/log.h"

namespace dps::platform {
namespace {

// Counts and times one call from the arrival of its metadata to the sending of its status, and
// logs it when it fails, naming the caller its token proved (a refused call is worth knowing
// who made it).
class CallInterceptor final : public grpc::experimental::Interceptor {
 public:
  CallInterceptor(grpc::experimental::ServerRpcInfo* info, GrpcCallMetrics* metrics)
      : info_(info), metrics_(metrics) {}
  ~CallInterceptor() override { ForgetCaller(info_->server_context()); }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using Hook = grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(Hook::POST_RECV_INITIAL_METADATA)) {
      start_ = std::chrono::steady_clock::now();
      WatchCaller(info_->server_context());
      // The id is bounded here, once per call, and written back into the metadata the handler
      // reads, so this call's log lines, its handler and its events carry the same one.
      auto* metadata = methods->GetRecvInitialMetadata();
      auto given = metadata->find(kRequestIdKey);
      request_id_ = BoundedRequestId(
          given == metadata->end() ? absl::string_view()
                                   : absl::string_view(given->second.data(), given->second.size()));
      if (given != metadata->end()) metadata->erase(given);
      metadata->emplace(grpc::string_ref(kRequestIdKey), grpc::string_ref(request_id_));
      if (metrics_ != nullptr) {
        call_ = metrics_->Started(static_cast<int>(info_->type()), info_->method());
      }
    }
    if (methods->QueryInterceptionHookPoint(Hook::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      if (metrics_ != nullptr) metrics_->Handled(call_, status.error_code(), seconds);
      const std::optional<CallerIdentity> caller = ForgetCaller(info_->server_context());
      if (!status.ok() && caller.has_value()) {
        Log(LogLevel::kInfo, "grpc call failed",
            {{"method", info_->method()},
             {"code", GrpcCodeLabel(status.error_code())},
             {"error", status.error_message()},
             {"request_id", request_id_},
             {"caller_user_id", caller->user_id},
             {"caller_role", dps::common::v1::Role_Name(caller->role)},
             {"caller_organisation_id", caller->organisation_id}});
      } else if (!status.ok()) {
        // No token was accepted (UNAUTHENTICATED), or the call failed before it was read.
        Log(LogLevel::kInfo, "grpc call failed",
            {{"method", info_->method()},
             {"code", GrpcCodeLabel(status.error_code())},
             {"error", status.error_message()},
             {"request_id", request_id_}});
      }
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  GrpcCallMetrics* metrics_;
  GrpcCallMetrics::Call call_;
  std::string request_id_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

class CallInterceptorFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CallInterceptorFactory(std::shared_ptr<GrpcCallMetrics> metrics)
      : metrics_(std::move(metrics)) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new CallInterceptor(info, metrics_.get());
  }

 private:
  std::shared_ptr<GrpcCallMetrics> metrics_;
};

// Settings every DPS gRPC listener shares.
void CommonArguments(grpc::ServerBuilder& builder) {
  // gRPC turns SO_REUSEPORT on by default, which lets a second copy of a service bind the same
  // port and silently take half the calls. One port, one process.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
}

}  // namespace

void GrpcServer::Shutdown(std::chrono::system_clock::time_point deadline) {
  if (health_server != nullptr) health_server->Shutdown(deadline);
  if (server != nullptr) server->Shutdown(deadline);
}

absl::StatusOr<GrpcServer> StartGrpcServer(const std::string& address,
                                           const std::vector<grpc::Service*>& services,
                                           prometheus::Registry* registry,
                                           const GrpcServerOptions& options) {
  grpc::ServerBuilder builder;
  GrpcServer result;
  result.health = std::make_unique<ServerHealth>();
  CommonArguments(builder);
  // Clients resolve a target's addresses when they connect. Closing each connection after five
  // minutes (calls in flight get 30 s more) makes them resolve again, so that with a headless
  // Kubernetes Service new pods start taking calls (channel.h balances over what it resolved).
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, 5 * 60 * 1000);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, 30 * 1000);
  builder.AddListeningPort(
      address,
      options.credentials != nullptr ? options.credentials : grpc::InsecureServerCredentials(),
      &result.port);
  builder.RegisterService(&result.health->main());
  for (grpc::Service* service : services) builder.RegisterService(service);

  // The registry merges families registered twice under one name, so several servers in one
  // process (as in tests) share them. The factory, owned by the server, keeps them alive.
  std::shared_ptr<GrpcCallMetrics> metrics;
  if (registry != nullptr) metrics = std::make_shared<GrpcCallMetrics>(*registry, "server");
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
  factories.push_back(std::make_unique<CallInterceptorFactory>(metrics));
  builder.experimental().SetInterceptorCreators(std::move(factories));

  result.server = builder.BuildAndStart();
  if (result.server == nullptr || result.port == 0) {
    return absl::UnavailableError(absl::StrCat("grpc: cannot listen on ", address));
  }

  if (!options.health_address.empty()) {
    grpc::ServerBuilder health_builder;
    CommonArguments(health_builder);
    health_builder.AddListeningPort(options.health_address, grpc::InsecureServerCredentials(),
                                    &result.health_port);
    health_builder.RegisterService(&result.health->plaintext());
    result.health_server = health_builder.BuildAndStart();
    if (result.health_server == nullptr || result.health_port == 0) {
      result.server->Shutdown();
      return absl::UnavailableError(
          absl::StrCat("grpc: cannot listen on ", options.health_address, " (health)"));
    }
  }
  return result;
}

bool IsUsableRequestId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
           c == ':';
  });
}

std::string BoundedRequestId(absl::string_view given) {
  if (IsUsableRequestId(given)) return std::string(given);
  thread_local std::mt19937_64 random{std::random_device{}()};
  return absl::StrFormat("%016x%016x", random(), random());
}

std::string RequestIdOf(const grpc::ServerContext& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(kRequestIdKey);
  // The call interceptor has already bounded it; a server started otherwise (some tests) has not.
  return BoundedRequestId(it == metadata.end()
                              ? absl::string_view()
                              : absl::string_view(it->second.data(), it->second.size()));
}

}  // namespace dps::platform
