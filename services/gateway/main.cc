// dps-gateway: the REST front door (Boost.Beast). Reads its settings, builds the route table from
// the API's google.api.http rules, starts the HTTP server and a poller of the services' health,
// and on SIGTERM or SIGINT stops accepting, lets requests in flight finish (up to the grace
// period) and exits.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "platform/config/config.h"
#include "platform/grpc/client.h"
#include "platform/log/log.h"
#include "platform/service/runtime.h"
#include "services/gateway/api/openapi.h"
#include "services/gateway/api/route_table.h"
#include "services/gateway/http/server.h"

namespace {

using dps::platform::Setting;
using dps::platform::SettingKind;

constexpr const char* kBackends[] = {"qualification", "referral", "scoring", "contracts", "relay"};

// Each backend's last known health, polled every two seconds so /readyz never waits on one.
class Readiness final {
 public:
  explicit Readiness(const std::map<std::string, std::shared_ptr<grpc::Channel>>& channels) {
    for (const auto& [name, channel] : channels) {
      stubs_[name] = grpc::health::v1::Health::NewStub(channel);
      serving_[name] = false;
    }
  }

  void Run(std::stop_token stop) {
    while (!stop.stop_requested()) {
      for (auto& [name, stub] : stubs_) {
        grpc::ClientContext context;
        dps::platform::PrepareClientContext("", absl::Seconds(1), &context);
        grpc::health::v1::HealthCheckResponse response;
        const bool serving = stub->Check(&context, {}, &response).ok() &&
                             response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
        absl::MutexLock lock(&mutex_);
        serving_[name] = serving;
      }
      for (int i = 0; i < 20 && !stop.stop_requested(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  }

  std::map<std::string, bool> Snapshot() {
    absl::MutexLock lock(&mutex_);
    return serving_;
  }

 private:
  std::map<std::string, std::unique_ptr<grpc::health::v1::Health::Stub>> stubs_;
  absl::Mutex mutex_;
  std::map<std::string, bool> serving_ ABSL_GUARDED_BY(mutex_);
};

std::vector<Setting> GatewaySettings() {
  std::vector<Setting> settings = {
      {"gateway-address", "DPS_GATEWAY_ADDRESS", "127.0.0.1:8080", SettingKind::kString, true,
       "host:port the REST API listens on"},
      {"gateway-threads", "DPS_GATEWAY_THREADS", "2", SettingKind::kPositive, false,
       "threads serving HTTP"},
      {"gateway-body-limit", "DPS_GATEWAY_BODY_LIMIT", "1048576", SettingKind::kPositive, false,
       "largest request body in bytes (larger: 413)"},
      {"gateway-header-limit", "DPS_GATEWAY_HEADER_LIMIT", "8192", SettingKind::kPositive, false,
       "largest request line and headers in bytes (larger: 431)"},
      {"gateway-header-timeout", "DPS_GATEWAY_HEADER_TIMEOUT", "10s", SettingKind::kDuration, false,
       "time a client has to send a request's headers"},
      {"gateway-body-timeout", "DPS_GATEWAY_BODY_TIMEOUT", "30s", SettingKind::kDuration, false,
       "time a client has to send a request's body"},
      {"gateway-idle-timeout", "DPS_GATEWAY_IDLE_TIMEOUT", "60s", SettingKind::kDuration, false,
       "time a kept-alive connection may wait for its next request"},
      {"gateway-backend-timeout", "DPS_GATEWAY_BACKEND_TIMEOUT", "30s", SettingKind::kDuration,
       false, "deadline of a call to a service"},
      {"gateway-rate", "DPS_GATEWAY_RATE", "50", SettingKind::kPositive, false,
       "requests a second one caller may make on average (more: 429)"},
      {"gateway-burst", "DPS_GATEWAY_BURST", "100", SettingKind::kPositive, false,
       "requests one caller may make at once above its rate"},
      {"gateway-cors-origins", "DPS_GATEWAY_CORS_ORIGINS", "", SettingKind::kString, false,
       "comma-separated origins of browser front ends allowed to call the API"},
      {"gateway-grace", "DPS_GATEWAY_GRACE", "10s", SettingKind::kDuration, false,
       "on SIGTERM, how long requests in flight may take to finish"}};
  int default_port = 7101;
  for (const char* backend : kBackends) {
    settings.push_back(dps::platform::PeerTargetSetting(backend, default_port++));
  }
  return settings;
}

std::chrono::seconds Seconds(absl::Duration duration) {
  return std::chrono::seconds(std::max<int64_t>(1, absl::ToInt64Seconds(duration)));
}

}  // namespace

int main(int argc, char** argv) {
  auto runtime = dps::platform::ServiceRuntime::Start(argc, argv,
                                                      {.name = "gateway",
                                                       .default_metrics_port = 9106,
                                                       .serves_grpc = false,
                                                       .extra_settings = GatewaySettings()});
  const dps::platform::Config& config = runtime->config();

  absl::StatusOr<dps::gateway::RouteTable> routes =
      dps::gateway::RouteTable::Build(dps::gateway::DpsServices());
  if (!routes.ok()) dps::platform::ExitWithStartupError("dps-gateway", routes.status());
  const std::string openapi = dps::gateway::OpenApiJson(*routes, dps::gateway::CommentedApi());

  // Peer channels carry the process's TLS settings and client call metrics (runtime.h).
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels;
  for (const char* backend : kBackends) {
    channels[backend] = runtime->PeerChannel(config.String(std::string(backend) + "-target"));
  }
  Readiness readiness(channels);
  channels.erase("relay");  // serves health only
  dps::gateway::Backends backends(channels, &runtime->registry());

  const std::string address = config.String("gateway-address");
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
  dps::gateway::RouterOptions router_options;
  for (absl::string_view origin :
       absl::StrSplit(config.String("gateway-cors-origins"), ',', absl::SkipWhitespace())) {
    router_options.cors_origins.insert(std::string(absl::StripAsciiWhitespace(origin)));
  }
  router_options.backend_timeout = config.Duration("gateway-backend-timeout");
  dps::platform::SystemClock clock;
  dps::gateway::RateLimiter limiter(config.Int("gateway-rate"), config.Int("gateway-burst"), clock);
  auto router = std::make_shared<dps::gateway::Router>(
      *std::move(routes), backends, runtime->authenticator(), limiter, openapi,
      [&readiness] { return readiness.Snapshot(); }, router_options);

  boost::asio::io_context io_context;
  // Keeps the I/O threads running while requests are in flight after the listener has closed:
  // their answers arrive from gRPC threads and are written by these.
  auto keep_running = boost::asio::make_work_guard(io_context);
  absl::StatusOr<std::unique_ptr<dps::gateway::HttpServer>> server =
      dps::gateway::HttpServer::Start(
          io_context, {ip, static_cast<unsigned short>(port)}, router,
          {.body_limit = static_cast<std::size_t>(config.Int("gateway-body-limit")),
           .header_limit = static_cast<std::size_t>(config.Int("gateway-header-limit")),
           .header_timeout = Seconds(config.Duration("gateway-header-timeout")),
           .body_timeout = Seconds(config.Duration("gateway-body-timeout")),
           .idle_timeout = Seconds(config.Duration("gateway-idle-timeout"))},
          &runtime->registry());
  if (!server.ok()) dps::platform::ExitWithStartupError("dps-gateway", server.status());

  std::jthread poller([&readiness](std::stop_token stop) { readiness.Run(stop); });
  std::vector<std::thread> threads;
  for (int i = 0; i < config.Int("gateway-threads"); ++i) {
    threads.emplace_back([&] { io_context.run(); });
  }
  dps::platform::Log(dps::platform::LogLevel::kInfo, "serving",
                     {{"http_port", std::to_string((*server)->port())},
                      {"routes", std::to_string(router->routes().routes().size())}});
  dps::platform::WaitForTerminationSignal();
  dps::platform::Log(dps::platform::LogLevel::kInfo, "stopping: finishing requests in flight");
  (*server)->Drain();
  const absl::Time give_up = absl::Now() + config.Duration("gateway-grace");
  while ((*server)->in_flight() > 0 && absl::Now() < give_up)
    absl::SleepFor(absl::Milliseconds(20));
  dps::platform::Log(dps::platform::LogLevel::kInfo, "stopped",
                     {{"unfinished", std::to_string((*server)->in_flight())}});
  keep_running.reset();
  io_context.stop();
  for (auto& thread : threads) thread.join();
  return 0;
}
