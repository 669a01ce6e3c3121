// The server start-up and client helpers over a real loopback channel.
#include "platform/grpc/server.h"

#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <catch2/catch.hpp>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/testing/echo.grpc.pb.h"  // generated from platform/grpc/testing/echo.proto
#include "platform/auth/testing/test_identity.h"
#include "platform/grpc/call_metrics.h"
#include "platform/grpc/caller.h"
#include "platform/grpc/channel.h"
#include "platform/grpc/client.h"
#include "platform/log/log.h"

namespace dps::platform {
namespace {

// Answers with the request id it was called with.
class EchoService final : public testing::Echo::Service {
 public:
  grpc::Status Call(grpc::ServerContext* context, const testing::EchoRequest*,
                    testing::EchoResponse* response) override {
    response->set_request_id(RequestIdOf(*context));
    return grpc::Status::OK;
  }
};

// Reads the caller and refuses them, as a handler refuses a role it does not serve.
class RefusingService final : public testing::Echo::Service {
 public:
  grpc::Status Call(grpc::ServerContext* context, const testing::EchoRequest*,
                    testing::EchoResponse*) override {
    absl::StatusOr<CallerIdentity> caller =
        CallerOf(*context, auth::testing::TestIdentityProvider::Shared().authenticator());
    if (!caller.ok()) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                          std::string(caller.status().message()));
    }
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "role may not do this");
  }
};

// The lines logged while it lives.
class LogCapture {
 public:
  LogCapture() {
    SetLogSinkForTesting([this](absl::string_view line) {
      std::lock_guard<std::mutex> lock(mutex_);
      lines_.emplace_back(line);
    });
  }
  ~LogCapture() { SetLogSinkForTesting({}); }
  std::vector<std::string> Lines() {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

TEST_CASE("a refused call is logged with the caller's user role and organisation but no token") {
  RefusingService service;
  absl::StatusOr<GrpcServer> server = StartGrpcServer("127.0.0.1:0", {&service}, nullptr);
  REQUIRE(server.ok());
  auto stub = testing::Echo::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(server->port), grpc::InsecureChannelCredentials()));
  const CallerIdentity caller{.user_id = "officer-7",
                              .role = dps::common::v1::ROLE_PLACING_OFFICER,
                              .organisation_id = "kent"};
  const std::string token = auth::testing::TestIdentityProvider::Shared().TokenFor(caller);
  LogCapture capture;
  {
    grpc::ClientContext context;
    AddBearerToken(context, token);
    testing::EchoResponse response;
    REQUIRE(stub->Call(&context, {}, &response).error_code() ==
            grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext context;
    testing::EchoResponse response;
    REQUIRE(stub->Call(&context, {}, &response).error_code() == grpc::StatusCode::UNAUTHENTICATED);
  }
  server->server->Shutdown();
  const std::vector<std::string> lines = capture.Lines();
  REQUIRE(lines.size() == 2);
  INFO(lines[0]);
  CHECK(lines[0].find(R"("code":"PermissionDenied")") != std::string::npos);
  CHECK(lines[0].find(R"("caller_user_id":"officer-7")") != std::string::npos);
  CHECK(lines[0].find(R"("caller_role":"ROLE_PLACING_OFFICER")") != std::string::npos);
  CHECK(lines[0].find(R"("caller_organisation_id":"kent")") != std::string::npos);
  CHECK(lines[0].find(token) == std::string::npos);
  // Without an accepted token nobody is named: what the token claims is not believed.
  INFO(lines[1]);
  CHECK(lines[1].find(R"("code":"Unauthenticated")") != std::string::npos);
  CHECK(lines[1].find("caller_") == std::string::npos);
}

TEST_CASE("a request id set by the client reaches the server's handler") {
  EchoService service;
  absl::StatusOr<GrpcServer> server = StartGrpcServer("127.0.0.1:0", {&service}, nullptr);
  REQUIRE(server.ok());
  REQUIRE(server->port > 0);
  auto stub = testing::Echo::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(server->port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  PrepareClientContext("req-42", absl::Seconds(5), &context);
  testing::EchoResponse response;
  REQUIRE(stub->Call(&context, {}, &response).ok());
  CHECK(response.request_id() == "req-42");
  server->server->Shutdown();
}

TEST_CASE("a request id too long or of other characters is replaced before the handler sees it") {
  EchoService service;
  absl::StatusOr<GrpcServer> server = StartGrpcServer("127.0.0.1:0", {&service}, nullptr);
  REQUIRE(server.ok());
  auto stub = testing::Echo::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(server->port), grpc::InsecureChannelCredentials()));
  std::set<std::string> generated;
  for (const std::string& given :
       std::vector<std::string>{std::string(65, 'a'), "two words", "a/b", "quote\"", ""}) {
    INFO(given);
    grpc::ClientContext context;
    PrepareClientContext("", absl::Seconds(5), &context);
    if (!given.empty()) context.AddMetadata(std::string(kRequestIdKey), given);
    testing::EchoResponse response;
    REQUIRE(stub->Call(&context, {}, &response).ok());
    CHECK(response.request_id() != given);
    CHECK(IsUsableRequestId(response.request_id()));
    generated.insert(response.request_id());
  }
  CHECK(generated.size() == 5);  // a new one each time
  CHECK(BoundedRequestId(std::string(64, 'b')) == std::string(64, 'b'));
  server->server->Shutdown();
}

TEST_CASE("every call is counted and timed by method and status code") {
  prometheus::Registry registry;
  EchoService service;
  absl::StatusOr<GrpcServer> server = StartGrpcServer("127.0.0.1:0", {&service}, &registry);
  REQUIRE(server.ok());
  auto stub = testing::Echo::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(server->port), grpc::InsecureChannelCredentials()));
  for (int i = 0; i < 3; ++i) {
    grpc::ClientContext context;
    PrepareClientContext("", absl::Seconds(5), &context);
    testing::EchoResponse response;
    REQUIRE(stub->Call(&context, {}, &response).ok());
  }
  {
    auto health = grpc::health::v1::Health::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(server->port), grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    PrepareClientContext("", absl::Seconds(5), &context);
    grpc::health::v1::HealthCheckRequest request;
    request.set_service("no.such.Service");
    grpc::health::v1::HealthCheckResponse response;
    REQUIRE(health->Check(&context, request, &response).error_code() ==
            grpc::StatusCode::NOT_FOUND);
  }
  server->server->Shutdown();
  const std::string text = prometheus::TextSerializer().Serialize(registry.Collect());
  INFO(text);
  // The ecosystem's names and labels (call_metrics.h); Prometheus writes labels in alphabetical
  // order.
  CHECK(text.find("grpc_server_started_total{grpc_method=\"Call\",grpc_service=\"dps.platform."
                  "testing.Echo\",grpc_type=\"unary\"} 3") != std::string::npos);
  CHECK(text.find("grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"Call\",grpc_service="
                  "\"dps.platform.testing.Echo\",grpc_type=\"unary\"} 3") != std::string::npos);
  CHECK(text.find("grpc_server_handling_seconds_count{grpc_method=\"Call\",grpc_service=\"dps."
                  "platform.testing.Echo\",grpc_type=\"unary\"} 3") != std::string::npos);
  CHECK(text.find("grpc_server_handled_total{grpc_code=\"NotFound\",grpc_method=\"Check\","
                  "grpc_service=\"grpc.health.v1.Health\",grpc_type=\"unary\"} 1") !=
        std::string::npos);
}

TEST_CASE("peer channels count and time their calls on the client side") {
  prometheus::Registry server_registry;
  prometheus::Registry client_registry;
  EchoService service;
  absl::StatusOr<GrpcServer> server = StartGrpcServer("127.0.0.1:0", {&service}, &server_registry);
  REQUIRE(server.ok());
  auto channel = CreatePeerChannel("127.0.0.1:" + std::to_string(server->port),
                                   grpc::InsecureChannelCredentials(), &client_registry);
  auto stub = testing::Echo::NewStub(channel);
  for (int i = 0; i < 2; ++i) {
    grpc::ClientContext context;
    PrepareClientContext("", absl::Seconds(5), &context);
    testing::EchoResponse response;
    REQUIRE(stub->Call(&context, {}, &response).ok());
  }
  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  PrepareClientContext("", absl::Seconds(5), &context);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("no.such.Service");
  grpc::health::v1::HealthCheckResponse response;
  REQUIRE(health->Check(&context, request, &response).error_code() == grpc::StatusCode::NOT_FOUND);
  server->Shutdown(std::chrono::system_clock::now());

  const std::string text = prometheus::TextSerializer().Serialize(client_registry.Collect());
  INFO(text);
  CHECK(text.find("grpc_client_started_total{grpc_method=\"Call\",grpc_service=\"dps.platform."
                  "testing.Echo\",grpc_type=\"unary\"} 2") != std::string::npos);
  CHECK(text.find("grpc_client_handled_total{grpc_code=\"OK\",grpc_method=\"Call\",grpc_service="
                  "\"dps.platform.testing.Echo\",grpc_type=\"unary\"} 2") != std::string::npos);
  CHECK(text.find("grpc_client_handling_seconds_count{grpc_method=\"Call\",grpc_service=\"dps."
                  "platform.testing.Echo\",grpc_type=\"unary\"} 2") != std::string::npos);
  CHECK(text.find("grpc_client_handled_total{grpc_code=\"NotFound\",grpc_method=\"Check\","
                  "grpc_service=\"grpc.health.v1.Health\",grpc_type=\"unary\"} 1") !=
        std::string::npos);
  // The server side is in its own registry: nothing of it leaked into the client's.
  CHECK(text.find("grpc_server_") == std::string::npos);
}

TEST_CASE("status codes are labelled as the ecosystem's dashboards name them") {
  CHECK(GrpcCodeLabel(grpc::StatusCode::OK) == "OK");
  CHECK(GrpcCodeLabel(grpc::StatusCode::DEADLINE_EXCEEDED) == "DeadlineExceeded");
  CHECK(GrpcCodeLabel(grpc::StatusCode::CANCELLED) == "Canceled");
  CHECK(GrpcCodeLabel(grpc::StatusCode::UNAUTHENTICATED) == "Unauthenticated");
  CHECK(SplitGrpcMethod("/dps.referral.v1.ReferralService/GetReferral") ==
        std::pair<std::string, std::string>("dps.referral.v1.ReferralService", "GetReferral"));
  CHECK(SplitGrpcMethod("nonsense").first == "unknown");
}

TEST_CASE("a port already taken is a clear UNAVAILABLE naming the address") {
  absl::StatusOr<GrpcServer> first = StartGrpcServer("127.0.0.1:0", {}, nullptr);
  REQUIRE(first.ok());
  const std::string taken = "127.0.0.1:" + std::to_string(first->port);
  absl::StatusOr<GrpcServer> second = StartGrpcServer(taken, {}, nullptr);
  REQUIRE(absl::IsUnavailable(second.status()));
  CHECK(second.status().message() == "grpc: cannot listen on " + taken);
  first->server->Shutdown();
}

TEST_CASE("health answers for the whole server, follows SetServing, refuses other names") {
  absl::StatusOr<GrpcServer> server = StartGrpcServer("127.0.0.1:0", {}, nullptr);
  REQUIRE(server.ok());
  auto stub = grpc::health::v1::Health::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(server->port), grpc::InsecureChannelCredentials()));
  auto check = [&](const std::string& service, grpc::health::v1::HealthCheckResponse* response) {
    grpc::ClientContext context;
    PrepareClientContext("", absl::Seconds(5), &context);
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    return stub->Check(&context, request, response);
  };
  grpc::health::v1::HealthCheckResponse response;
  REQUIRE(check("", &response).ok());
  CHECK(response.status() == grpc::health::v1::HealthCheckResponse::SERVING);
  server->health->SetServing(false);
  REQUIRE(check("", &response).ok());
  CHECK(response.status() == grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  CHECK(check("dps.referral.v1.ReferralService", &response).error_code() ==
        grpc::StatusCode::NOT_FOUND);

  // Watch: the current status at once, then each change.
  grpc::ClientContext watch_context;
  PrepareClientContext("", absl::Seconds(10), &watch_context);
  auto reader = stub->Watch(&watch_context, {});
  REQUIRE(reader->Read(&response));
  CHECK(response.status() == grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  server->health->SetServing(true);
  REQUIRE(reader->Read(&response));
  CHECK(response.status() == grpc::health::v1::HealthCheckResponse::SERVING);
  watch_context.TryCancel();
  server->server->Shutdown();
}

}  // namespace
}  // namespace dps::platform
