// The whole suite as ./dps up runs it: every process started from its real binary against the
// test PostgreSQL and Redis, each checked for health, metrics and a clean stop; and the start-up
// errors an operator sees when a setting or a dependency is wrong.
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "dps/qualification/v1/qualification.grpc.pb.h"
#include "dps/scoring/v1/scoring.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "platform/auth/testing/test_identity.h"
#include "platform/grpc/caller.h"
#include "platform/testing/child_process.h"
#include "platform/testing/test_env.h"

namespace {

namespace http = boost::beast::http;
using dps::platform::testing::ChildProcess;
using dps::platform::testing::ExitedWith;
using dps::platform::testing::FreePort;
using dps::platform::testing::TestDatabase;

std::string Binary(const std::string& service) {
  return absl::StrCat(DPS_BINARY_DIR, "/services/", service, "/dps-", service);
}

std::string RedisAddress() {
  const auto address = dps::platform::testing::TestRedisAddress();
  return absl::StrCat(address.host, ":", address.port);
}

// The settings that log a service in to the test Redis as its own user.
std::vector<std::string> RedisLogin(const std::string& service) {
  return {"DPS_REDIS_USER=dps-" + service,
          "DPS_REDIS_PASSWORD_FILE=" + dps::platform::testing::SecretFile("redis-" + service)};
}

// env with the service's Redis login added.
std::vector<std::string> WithRedisLogin(const std::string& service, std::vector<std::string> env) {
  for (std::string& setting : RedisLogin(service)) env.push_back(std::move(setting));
  return env;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool Serving(const std::string& target) {
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(1));
  grpc::health::v1::HealthCheckResponse response;
  return stub->Check(&context, {}, &response).ok() &&
         response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
}

http::response<http::string_body> HttpGet(
    int port, const std::string& target,
    const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  boost::asio::io_context io;
  boost::beast::tcp_stream stream(io);
  stream.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  http::request<http::string_body> request{http::verb::get, target, 11};
  request.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) request.set(name, value);
  http::write(stream, request);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response);
  return response;
}

template <typename Predicate>
bool Eventually(Predicate predicate, std::chrono::seconds timeout = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

struct Process {
  std::string name;
  int grpc_port;
  int metrics_port;
  std::unique_ptr<ChildProcess> child;
};

TEST_CASE("all six processes start, report healthy, expose metrics and stop cleanly") {
  TestDatabase db;
  const std::vector<std::string> names = {"qualification", "referral", "scoring", "contracts",
                                          "relay"};
  std::vector<Process> processes;
  for (const std::string& name : names) processes.push_back({name, FreePort(), FreePort(), {}});
  const int gateway_port = FreePort();
  const int gateway_metrics = FreePort();

  const auto& identity = dps::platform::auth::testing::TestIdentityProvider::Shared();
  std::vector<std::string> common = identity.Settings();
  common.push_back("DPS_PG_URL=" + db.url());
  common.push_back("DPS_REDIS_ADDRESS=" + RedisAddress());
  for (const Process& p : processes) {
    std::string upper = p.name;
    for (char& c : upper) c = static_cast<char>(std::toupper(c));
    common.push_back(absl::StrCat("DPS_", upper, "_TARGET=127.0.0.1:", p.grpc_port));
  }
  for (Process& p : processes) {
    std::vector<std::string> env = common;
    // As ./dps up runs them: each stateful service as its own PostgreSQL role and Redis user.
    if (p.name != "scoring") {
      for (std::string& setting : db.ServiceEnv(p.name)) env.push_back(std::move(setting));
    }
    env.push_back(absl::StrCat("DPS_GRPC_ADDRESS=127.0.0.1:", p.grpc_port));
    env.push_back(absl::StrCat("DPS_METRICS_ADDRESS=127.0.0.1:", p.metrics_port));
    p.child = std::make_unique<ChildProcess>(std::vector<std::string>{Binary(p.name)}, env);
  }
  std::vector<std::string> gateway_env = common;
  gateway_env.push_back(absl::StrCat("DPS_GATEWAY_ADDRESS=127.0.0.1:", gateway_port));
  gateway_env.push_back(absl::StrCat("DPS_METRICS_ADDRESS=127.0.0.1:", gateway_metrics));
  ChildProcess gateway({Binary("gateway")}, gateway_env);

  for (const Process& p : processes) {
    INFO(p.name);
    CHECK(Eventually([&] { return Serving(absl::StrCat("127.0.0.1:", p.grpc_port)); }));
  }

  // The gateway: alive, ready once everything behind it serves, and closed to strangers.
  REQUIRE(Eventually([&] {
    try {
      return HttpGet(gateway_port, "/readyz").result() == http::status::ok;
    } catch (const std::exception&) {
      return false;
    }
  }));
  CHECK(HttpGet(gateway_port, "/healthz").result() == http::status::ok);
  const auto refused = HttpGet(gateway_port, "/v1/referrals", {{"X-Request-Id", "trace-me-1"}});
  CHECK(refused.result() == http::status::unauthorized);
  CHECK(refused[http::field::content_type] == "application/problem+json");
  CHECK(refused["X-Request-Id"] == "trace-me-1");

  // The qualification API through its real process: changes are stored, and an event travels
  // through the outbox and the relay to Redis.
  {
    namespace v1 = dps::qualification::v1;
    using dps::common::v1::Role;
    auto stub = v1::QualificationService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", processes[0].grpc_port), grpc::InsecureChannelCredentials()));
    auto as = [&](Role role, const std::string& organisation) {
      auto context = std::make_unique<grpc::ClientContext>();
      identity.Authorize(*context,
                         {.user_id = "suite", .role = role, .organisation_id = organisation});
      return context;
    };
    v1::CreatePurchasingSystemRequest create;
    create.set_idempotency_key("suite-system");
    create.mutable_spec()->set_name("Suite DPS");
    create.mutable_spec()->set_regime(dps::common::v1::REGIME_PCR2015_DPS);
    create.mutable_spec()->set_lead_authority_id("suite-council");
    auto* validity = create.mutable_spec()->mutable_validity();
    validity->mutable_start()->set_year(2026);
    validity->mutable_start()->set_month(4);
    validity->mutable_start()->set_day(1);
    validity->mutable_initial_end()->set_year(2030);
    validity->mutable_initial_end()->set_month(3);
    validity->mutable_initial_end()->set_day(31);
    v1::PurchasingSystem system;
    grpc::Status status = stub->CreatePurchasingSystem(
        as(Role::ROLE_LEAD_AUTHORITY_ADMIN, "suite-council").get(), create, &system);
    INFO(status.error_message());
    REQUIRE(status.ok());
    v1::RegisterProviderRequest provider;
    provider.set_idempotency_key("suite-provider");
    provider.mutable_spec()->set_name("Suite Care Ltd");
    v1::Provider registered;
    REQUIRE(stub->RegisterProvider(as(Role::ROLE_PROVIDER_USER, "suite-provider").get(), provider,
                                   &registered)
                .ok());
    v1::CreateEstablishmentRequest establishment;
    establishment.set_idempotency_key("suite-establishment");
    establishment.set_provider_id("suite-provider");
    establishment.mutable_spec()->set_name("Suite House");
    establishment.mutable_spec()->mutable_address()->set_postcode("BN1 1AA");
    establishment.mutable_spec()->mutable_location()->set_latitude(50.82);
    establishment.mutable_spec()->mutable_location()->set_longitude(-0.14);
    establishment.mutable_spec()->set_inspectorate(v1::INSPECTORATE_OFSTED);
    establishment.mutable_spec()->set_age_max_years(17);
    v1::Establishment created;
    REQUIRE(stub->CreateEstablishment(as(Role::ROLE_PROVIDER_USER, "suite-provider").get(),
                                      establishment, &created)
                .ok());
    v1::RaiseSafeguardingAlertRequest raise;
    raise.set_idempotency_key("suite-alert");
    raise.set_system_id(system.id());
    raise.set_establishment_id(created.id());
    raise.set_severity(v1::ALERT_SEVERITY_MEDIUM);
    raise.set_category("staffing");
    raise.set_summary("Night staffing below the registered ratio.");
    v1::SafeguardingAlert alert;
    REQUIRE(stub->RaiseSafeguardingAlert(as(Role::ROLE_PLACING_OFFICER, "suite-council").get(),
                                         raise, &alert)
                .ok());
    CHECK(Eventually([&] {
      pqxx::connection connection(db.url());
      pqxx::nontransaction tx(connection);
      return tx.exec_params1(
                   "SELECT count(*) FROM qualification.outbox WHERE aggregate_id = $1 "
                   "AND event_type = 'qualification.alert.raised' "
                   "AND published_at IS NOT NULL",
                   alert.id())[0]
                 .as<int>() == 1;
    }));
  }

  // The worked example of docs/rules.md section 6 through the real scoring process: A 83.19 and
  // B 83.00, within five points of each other, so the family chooses; C and D excluded. A bad
  // request names its field.
  {
    namespace v1 = dps::scoring::v1;
    auto stub = v1::ScoringService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", processes[2].grpc_port), grpc::InsecureChannelCredentials()));
    v1::EvaluateRequest request;
    REQUIRE(
        google::protobuf::util::JsonStringToMessage(
            ReadAll(absl::StrCat(DPS_SOURCE_DIR, "/services/scoring/testdata/worked_example.json")),
            &request)
            .ok());
    v1::EvaluateResponse response;
    const dps::platform::CallerIdentity officer{.user_id = "suite",
                                                .role = dps::common::v1::ROLE_PLACING_OFFICER,
                                                .organisation_id = "suite-council"};
    grpc::ClientContext context;
    identity.Authorize(context, officer);
    const grpc::Status status = stub->Evaluate(&context, request, &response);
    INFO(status.error_message());
    REQUIRE(status.ok());
    REQUIRE(response.bids_size() == 4);
    CHECK(response.bids(0).bid_id() == "A");
    CHECK(absl::StrFormat("%.2f", response.bids(0).scores().total()) == "83.19");
    CHECK(response.bids(1).bid_id() == "B");
    CHECK(absl::StrFormat("%.2f", response.bids(1).scores().total()) == "83.00");
    CHECK(response.parental_choice_required());
    CHECK(response.excluded_bid_count() == 2);

    request.mutable_bids(1)->set_core_fee_pence(-1);
    grpc::ClientContext bad_context;
    identity.Authorize(bad_context, officer);
    const grpc::Status bad = stub->Evaluate(&bad_context, request, &response);
    CHECK(bad.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(bad.error_message() == "bids[1].core_fee_pence: must not be negative, got -1");
  }

  // Metrics: gRPC calls (the health checks above), the pool, and the relay's outbox view.
  const Process& referral = processes[1];
  const std::string referral_metrics = HttpGet(referral.metrics_port, "/metrics").body();
  CHECK(referral_metrics.find("grpc_server_handled_total{") != std::string::npos);
  CHECK(referral_metrics.find("grpc_server_handling_seconds_bucket{") != std::string::npos);
  CHECK(referral_metrics.find("dps_db_pool_size{schema=\"referral\"} 8") != std::string::npos);
  const Process& relay = processes[4];
  CHECK(Eventually([&] {
    const std::string text = HttpGet(relay.metrics_port, "/metrics").body();
    return text.find("dps_outbox_backlog{schema=\"contracts\"} 0") != std::string::npos &&
           text.find("dps_outbox_oldest_unpublished_age_seconds{schema=\"qualification\"} 0") !=
               std::string::npos;
  }));
  CHECK(HttpGet(gateway_metrics, "/metrics").body().find("dps_http_requests_total{") !=
        std::string::npos);

  // SIGTERM: a graceful stop with status 0.
  for (Process& p : processes) {
    INFO(p.name);
    CHECK(ExitedWith(p.child->Stop(), 0));
  }
  CHECK(ExitedWith(gateway.Stop(), 0));
}

// Runs a service with env and returns (wait status, what it printed).
// The identity settings come first, so a test's own settings are what it is about.
std::pair<int, std::string> RunToExit(const std::string& service, std::vector<std::string> test_env,
                                      bool with_identity = true) {
  const std::string output = absl::StrCat("/tmp/dps-suite-", getpid(), "-", service, ".out");
  std::vector<std::string> env;
  if (with_identity) env = dps::platform::auth::testing::TestIdentityProvider::Shared().Settings();
  env.insert(env.end(), test_env.begin(), test_env.end());
  // Port 0 everywhere: a test never takes a fixed port another process may hold.
  env.push_back("DPS_GRPC_ADDRESS=127.0.0.1:0");
  env.push_back("DPS_METRICS_ADDRESS=127.0.0.1:0");
  ChildProcess child({Binary(service)}, std::move(env), output);
  const int status = child.WaitForExit(std::chrono::seconds(30));
  std::string text = ReadAll(output);
  std::remove(output.c_str());
  return {status, text};
}

TEST_CASE("a missing setting stops start-up with one line naming it") {
  const auto [status, output] = RunToExit("referral", {"DPS_PG_URL=", "DPS_REDIS_ADDRESS=x:1"});
  CHECK(ExitedWith(status, 2));
  CHECK(output == "dps-referral: pg-url: required; set --pg-url= or DPS_PG_URL\n");
}

TEST_CASE("a malformed setting stops start-up naming the setting and the rule") {
  const auto [status, output] =
      RunToExit("contracts", {"DPS_PG_URL=postgresql://x/y", "DPS_REDIS_ADDRESS=nocolon"});
  CHECK(ExitedWith(status, 2));
  CHECK(output == "dps-contracts: redis address: must be host:port, got 'nocolon'\n");
}

TEST_CASE("an unreachable PostgreSQL or Redis stops start-up, never hangs") {
  const int closed = FreePort();
  {
    const auto [status, output] = RunToExit(
        "referral",
        WithRedisLogin("referral",
                       {absl::StrCat("DPS_PG_URL=postgresql://dps@127.0.0.1:", closed, "/dps"),
                        "DPS_REDIS_ADDRESS=" + RedisAddress()}));
    CHECK(ExitedWith(status, 2));
    CHECK(output.rfind("dps-referral: pg-url: PostgreSQL unreachable: ", 0) == 0);
    const auto lines = std::count(output.begin(), output.end(), '\n');
    CHECK(lines == 1);
  }
  {
    TestDatabase db;
    const auto [status, output] =
        RunToExit("referral",
                  {"DPS_PG_URL=" + db.url(), absl::StrCat("DPS_REDIS_ADDRESS=127.0.0.1:", closed)});
    CHECK(ExitedWith(status, 2));
    CHECK(output.rfind("dps-referral: redis-address: Redis unreachable: ", 0) == 0);
  }
}

TEST_CASE("identity settings that are missing or unsafe stop start-up, naming them") {
  TestDatabase db;
  {
    const auto [status, output] =
        RunToExit("referral", {"DPS_PG_URL=" + db.url(), "DPS_REDIS_ADDRESS=" + RedisAddress()},
                  /*with_identity=*/false);
    CHECK(ExitedWith(status, 2));
    CHECK(output.rfind("dps-referral: auth-jwks-file: required", 0) == 0);
  }
  {
    const auto [status, output] =
        RunToExit("scoring", {"DPS_AUTH_JWKS_FILE=/nonexistent/keys.jwks"});
    CHECK(ExitedWith(status, 2));
    CHECK(output == "dps-scoring: auth-jwks-file: /nonexistent/keys.jwks: cannot be read\n");
  }
  {
    const std::string loose = absl::StrCat("/tmp/dps-suite-loose-key-", getpid(), ".jwk");
    std::filesystem::copy_file(
        dps::platform::auth::testing::TestIdentityProvider::Shared().folder() + "/service-key.jwk",
        loose, std::filesystem::copy_options::overwrite_existing);
    std::filesystem::permissions(loose, std::filesystem::perms::others_read,
                                 std::filesystem::perm_options::add);
    const auto [status, output] = RunToExit(
        "qualification", WithRedisLogin("qualification", {"DPS_PG_URL=" + db.url(),
                                                          "DPS_REDIS_ADDRESS=" + RedisAddress(),
                                                          "DPS_SERVICE_KEY_FILE=" + loose}));
    CHECK(ExitedWith(status, 2));
    CHECK(output == absl::StrCat("dps-qualification: service-key-file: ", loose,
                                 ": a private key must be readable by its owner only (chmod "
                                 "600)\n"));
    std::filesystem::remove(loose);
  }
}

TEST_CASE("a Redis login that is missing refused or unsafe stops start-up naming the setting") {
  TestDatabase db;
  const std::vector<std::string> base = {"DPS_PG_URL=" + db.ServiceUrl("referral"),
                                         "DPS_REDIS_ADDRESS=" + RedisAddress()};
  {
    // The default user is off: a service must log in.
    const auto [status, output] = RunToExit("referral", base);
    CHECK(ExitedWith(status, 2));
    CHECK(output.rfind("dps-referral: redis-user: Redis refused this process: NOAUTH", 0) == 0);
  }
  {
    // Another service's password.
    const auto [status, output] = RunToExit(
        "referral",
        {base[0], base[1], "DPS_REDIS_USER=dps-referral",
         "DPS_REDIS_PASSWORD_FILE=" + dps::platform::testing::SecretFile("redis-qualification")});
    CHECK(ExitedWith(status, 2));
    CHECK(output.rfind("dps-referral: redis-user: Redis refused this process: ", 0) == 0);
    CHECK(output.find("WRONGPASS") != std::string::npos);
  }
  {
    const std::string loose = absl::StrCat("/tmp/dps-suite-loose-password-", getpid());
    std::filesystem::copy_file(dps::platform::testing::SecretFile("redis-referral"), loose,
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::permissions(loose, std::filesystem::perms::others_read,
                                 std::filesystem::perm_options::add);
    const auto [status, output] = RunToExit(
        "referral",
        {base[0], base[1], "DPS_REDIS_USER=dps-referral", "DPS_REDIS_PASSWORD_FILE=" + loose});
    CHECK(ExitedWith(status, 2));
    CHECK(output == absl::StrCat("dps-referral: redis-password-file: ", loose,
                                 ": a password file must be readable by its owner only (chmod "
                                 "600)\n"));
    std::filesystem::remove(loose);
  }
}

TEST_CASE("an unknown flag is refused") {
  const std::string output_file = absl::StrCat("/tmp/dps-suite-flag-", getpid());
  ChildProcess child({Binary("scoring"), "--colour=red"},
                     {"DPS_GRPC_ADDRESS=127.0.0.1:0", "DPS_METRICS_ADDRESS=127.0.0.1:0"},
                     output_file);
  CHECK(ExitedWith(child.WaitForExit(std::chrono::seconds(10)), 2));
  CHECK(ReadAll(output_file) == "dps-scoring: unknown flag --colour (see --help)\n");
  std::remove(output_file.c_str());
}

}  // namespace
