#include "tests/support/suite.h"

#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <sys/stat.h>

#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "platform/auth/testing/test_identity.h"
#include "platform/clock/offset_clock.h"
#include "tools/api_client/http_client.h"

namespace dps::testing {

using api_client::Http;

namespace {

using platform::testing::ChildProcess;
using platform::testing::FreePort;

const char* const kServices[] = {"scoring", "qualification", "referral", "contracts", "relay"};

std::string Binary(const std::string& service) {
  return absl::StrCat(DPS_BINARY_DIR, "/services/", service, "/dps-", service);
}

// Runs `script` in bash with deploy/local/servers.sh's functions, as ./dps does; its exit code.
int ServersShell(const std::string& script) {
  const std::string command = absl::StrCat("bash -c 'set -e; source ", DPS_SOURCE_DIR,
                                           "/deploy/local/servers.sh; ", script, "'");
  return std::system(command.c_str());
}

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(c));
  return text;
}

}  // namespace

Suite::Suite(SuiteOptions options) : options_(std::move(options)) {
  StartRedis();
  for (const char* service : kServices) ports_[service] = {FreePort(), FreePort()};
  ports_["gateway"] = {0, FreePort()};
  for (const char* service : kServices) {
    StartService(service, ports_[service].first, ports_[service].second, service);
  }
  // Further instances of the stateful services on the same database and Redis, as a cluster runs
  // them: their timers race for the same work and their consumers share the groups.
  for (int replica = 2; replica <= options_.replicas; ++replica) {
    for (const char* service : {"qualification", "referral", "contracts"}) {
      StartService(service, FreePort(), FreePort(), absl::StrCat(service, "-", replica));
    }
  }
  // The tests are one caller making hundreds of requests in a second or two: the suite's own
  // gateway lets them through. Rate limiting is tested on a gateway of its own
  // (StartGateway with DPS_GATEWAY_RATE), and a test's gateway_env comes after, so it wins.
  std::vector<std::string> gateway_env = {"DPS_GATEWAY_RATE=100000", "DPS_GATEWAY_BURST=100000"};
  gateway_env.insert(gateway_env.end(), options_.gateway_env.begin(), options_.gateway_env.end());
  gateway_port_ = StartGateway(gateway_env);
  if (options_.demo_data) {
    RunTool({absl::StrCat(DPS_BINARY_DIR, "/services/qualification/tools/dps-demo-data"),
             absl::StrCat("--target=127.0.0.1:", grpc_port("qualification")),
             absl::StrCat("--data_dir=", DPS_SOURCE_DIR, "/data")});
    RunTool({absl::StrCat(DPS_BINARY_DIR, "/services/referral/tools/dps-demo-referrals"),
             absl::StrCat("--qualification=127.0.0.1:", grpc_port("qualification")),
             absl::StrCat("--referral=127.0.0.1:", grpc_port("referral"))});
  }
}

Suite::~Suite() {
  // The gateways first, then the services, as ./dps down does; then the suite's Redis.
  for (auto it = processes_.rbegin(); it != processes_.rend(); ++it) (*it)->Stop();
  ServersShell(absl::StrCat("redis_stop ", redis_dir_, " ", redis_port_, "; rm -rf ", redis_dir_));
}

void Suite::StartService(const std::string& service, int grpc_port, int metrics_port,
                         const std::string& log_name) {
  // A port from FreePort may be taken by another process before the service binds it (system
  // tests run side by side): the service then exits at once, and is started again on a fresh
  // metrics port. Its gRPC port is kept, since the services started before it know it.
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::vector<std::string> env = CommonEnv();
    // Each stateful service as its own PostgreSQL role and Redis user, as ./dps up runs it, so
    // every test through the suite runs under the privileges a deployment has.
    if (service != "scoring") {
      for (std::string& setting : db_.ServiceEnv(service)) env.push_back(std::move(setting));
    }
    env.push_back(absl::StrCat("DPS_GRPC_ADDRESS=127.0.0.1:", grpc_port));
    env.push_back(absl::StrCat("DPS_METRICS_ADDRESS=127.0.0.1:", metrics_port));
    if (options_.movable_clock) env.push_back("DPS_DEV_CLOCK_OFFSET_FILE=" + ClockFile());
    env.insert(env.end(), options_.service_env.begin(), options_.service_env.end());
    auto process = std::make_unique<ChildProcess>(
        std::vector<std::string>{Binary(service)}, env,
        absl::StrCat("/tmp/dps-suite-", getpid(), "-", log_name, ".log"));
    if (!WaitServing(service, grpc_port, *process)) {
      metrics_port = FreePort();
      if (log_name == service) ports_[service].second = metrics_port;
      continue;
    }
    processes_.push_back(std::move(process));
    first_instance_.emplace(service, processes_.back().get());
    return;
  }
  throw std::runtime_error(service + " exited as it started, three times: see /tmp/dps-suite-" +
                           std::to_string(getpid()) + "-" + log_name + ".log");
}

void Suite::Pause(const std::string& service) const {
  first_instance_.at(service)->Signal(SIGSTOP);
}

void Suite::Resume(const std::string& service) const {
  first_instance_.at(service)->Signal(SIGCONT);
}

std::string Suite::ClockFile() const { return redis_dir_ + "/clock-offset"; }

void Suite::MoveClock(absl::Duration offset) const {
  if (!options_.movable_clock)
    throw std::logic_error("the suite was started without movable_clock");
  if (!platform::WriteClockOffset(ClockFile(), offset)) {
    throw std::runtime_error("cannot write " + ClockFile());
  }
  // Each service re-reads the file at most every 100 ms (platform/clock/offset_clock.h).
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
}

void Suite::StartRedis() {
  // The services' streams and consumer groups have fixed names, so two suites on one Redis (ctest
  // runs system tests side by side) would each take some of the other's events and dead-letter
  // them. Each suite has a Redis of its own, with the test Redis's users and passwords: its
  // secrets are the test run's (a link), from which redis_start writes the same ACL.
  char dir_template[] = "/tmp/dps-suite-redis.XXXXXX";
  if (mkdtemp(dir_template) == nullptr) throw std::runtime_error("cannot make the Redis folder");
  redis_dir_ = dir_template;
  chmod(redis_dir_.c_str(), 0755);
  redis_port_ = FreePort();
  const int started =
      ServersShell(absl::StrCat("ln -s ", platform::testing::SecretsDir(), " ", redis_dir_,
                                "/secrets; redis_start ", redis_dir_, " ", redis_port_));
  if (started != 0) throw std::runtime_error("the suite's Redis did not start");
}

std::vector<std::string> Suite::CommonEnv() const {
  std::vector<std::string> env = platform::auth::testing::TestIdentityProvider::Shared().Settings();
  env.push_back("DPS_PG_URL=" + db_.url());
  env.push_back(absl::StrCat("DPS_REDIS_ADDRESS=127.0.0.1:", redis_port_));
  for (const auto& [service, ports] : ports_) {
    if (service == "gateway") continue;
    env.push_back(absl::StrCat("DPS_", Upper(service), "_TARGET=127.0.0.1:", ports.first));
  }
  return env;
}

int Suite::StartGateway(const std::vector<std::string>& extra_env) {
  const int port = FreePort();
  std::vector<std::string> env = CommonEnv();
  env.push_back(absl::StrCat("DPS_GATEWAY_ADDRESS=127.0.0.1:", port));
  env.push_back(absl::StrCat("DPS_METRICS_ADDRESS=127.0.0.1:",
                             gateway_port_ == 0 ? ports_.at("gateway").second : FreePort()));
  env.insert(env.end(), extra_env.begin(), extra_env.end());
  processes_.push_back(std::make_unique<ChildProcess>(
      std::vector<std::string>{Binary("gateway")}, env,
      absl::StrCat("/tmp/dps-suite-", getpid(), "-gateway-", port, ".log")));
  WaitGateway(port);
  return port;
}

bool Suite::WaitServing(const std::string& service, int port, ChildProcess& process) const {
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  for (int i = 0; i < 300; ++i) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(1));
    grpc::health::v1::HealthCheckResponse response;
    if (stub->Check(&context, {}, &response).ok() &&
        response.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
      return true;
    }
    if (process.WaitForExit(std::chrono::milliseconds(100)) != -1) return false;
  }
  throw std::runtime_error(service + " did not become healthy");
}

// Up to a minute: on a loaded 2-core CI machine (another system test bringing up its own suite
// beside this one) the gateway once took longer than 30 s to see every backend serving.
void Suite::WaitGateway(int port) const {
  for (int i = 0; i < 600; ++i) {
    if (Http(port, "GET", "/readyz").status == 200) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error("the gateway did not become ready");
}

void Suite::RunTool(const std::vector<std::string>& args) const {
  ChildProcess tool(args, CommonEnv(), absl::StrCat("/tmp/dps-suite-", getpid(), "-tool.log"));
  const int status = tool.WaitForExit(std::chrono::minutes(5));
  if (!platform::testing::ExitedWith(status, 0)) {
    throw std::runtime_error(args[0] + " failed (see /tmp/dps-suite-*-tool.log)");
  }
}

std::string Suite::Token(dps::common::v1::Role role, const std::string& organisation,
                         const std::string& user) {
  return platform::auth::testing::TestIdentityProvider::Shared().TokenFor(
      {.user_id =
           user.empty() ? absl::StrCat(dps::common::v1::Role_Name(role), "@", organisation) : user,
       .role = role,
       .organisation_id = organisation});
}

}  // namespace dps::testing
