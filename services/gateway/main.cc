// dps-gateway: the REST front door (Boost.Beast). Reads its settings, starts the HTTP server and
// the readiness checks of the services behind it, and stops cleanly on SIGTERM or SIGINT.
#include <boost/asio/io_context.hpp>
#include <thread>

#include "absl/strings/numbers.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "platform/config/config.h"
#include "platform/grpc/client.h"
#include "platform/log/log.h"
#include "platform/service/runtime.h"
#include "services/gateway/http/server.h"

namespace {

using dps::platform::SettingKind;

// True when the gRPC server behind channel answers SERVING within a second.
std::function<bool(const std::string&)> HealthCheckOf(std::shared_ptr<grpc::Channel> channel) {
  auto stub = std::shared_ptr<grpc::health::v1::Health::Stub>(
      grpc::health::v1::Health::NewStub(std::move(channel)));
  return [stub](const std::string& request_id) {
    grpc::ClientContext context;
    dps::platform::PrepareClientContext(request_id, absl::Seconds(1), &context);
    grpc::health::v1::HealthCheckResponse response;
    return stub->Check(&context, {}, &response).ok() &&
           response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
  };
}

}  // namespace

int main(int argc, char** argv) {
  const char* kBackends[] = {"qualification", "referral", "scoring", "contracts", "relay"};
  std::vector<dps::platform::Setting> settings = {
      {"gateway-address", "DPS_GATEWAY_ADDRESS", "127.0.0.1:8080", SettingKind::kString, true,
       "host:port the REST API listens on"},
      {"gateway-threads", "DPS_GATEWAY_THREADS", "2", SettingKind::kPositive, false,
       "threads serving HTTP"}};
  int default_port = 7101;
  for (const char* backend : kBackends) {
    std::string upper(backend);
    for (char& c : upper) c = static_cast<char>(std::toupper(c));
    settings.push_back({std::string(backend) + "-target", "DPS_" + upper + "_TARGET",
                        "127.0.0.1:" + std::to_string(default_port++), SettingKind::kString, true,
                        std::string("gRPC address of the ") + backend + " service"});
  }
  auto runtime = dps::platform::ServiceRuntime::Start(argc, argv,
                                                      {.name = "gateway",
                                                       .default_metrics_port = 9106,
                                                       .serves_grpc = false,
                                                       .extra_settings = settings});

  std::vector<dps::gateway::Backend> backends;
  for (const char* backend : kBackends) {
    backends.push_back({backend, HealthCheckOf(runtime->PeerChannel(
                                     runtime->config().String(std::string(backend) + "-target")))});
  }
  const std::string address = runtime->config().String("gateway-address");
  const auto colon = address.rfind(':');
  int port = -1;
  boost::system::error_code ec;
  const auto ip = boost::asio::ip::make_address(address.substr(0, colon), ec);
  if (colon == std::string::npos || ec || !absl::SimpleAtoi(address.substr(colon + 1), &port) ||
      port < 0 || port > 65535) {
    dps::platform::ExitWithStartupError(
        "dps-gateway",
        absl::InvalidArgumentError("gateway-address: must be IP:port, got '" + address + "'"));
  }

  boost::asio::io_context io_context;
  absl::StatusOr<int> bound = dps::gateway::StartHttpServer(
      io_context, {ip, static_cast<unsigned short>(port)},
      std::make_shared<dps::gateway::Router>(std::move(backends)), {}, &runtime->registry());
  if (!bound.ok()) dps::platform::ExitWithStartupError("dps-gateway", bound.status());

  std::vector<std::thread> threads;
  for (int i = 0; i < runtime->config().Int("gateway-threads"); ++i) {
    threads.emplace_back([&] { io_context.run(); });
  }
  dps::platform::Log(dps::platform::LogLevel::kInfo, "serving",
                     {{"http_port", std::to_string(*bound)}});
  dps::platform::WaitForTerminationSignal();
  dps::platform::Log(dps::platform::LogLevel::kInfo, "stopping");
  io_context.stop();
  for (auto& thread : threads) thread.join();
  return 0;
}
