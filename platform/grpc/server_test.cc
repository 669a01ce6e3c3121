// The server start-up and client helpers over a real loopback channel.
#include "platform/grpc/server.h"

#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <catch2/catch.hpp>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/testing/echo.grpc.pb.h"  // generated from platform/grpc/testing/echo.proto
#include "platform/grpc/client.h"

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
  // Prometheus writes labels in alphabetical order.
  CHECK(text.find("dps_grpc_server_handled_total{code=\"OK\",method=\"/dps.platform.testing."
                  "Echo/Call\"} 3") != std::string::npos);
  CHECK(text.find("dps_grpc_server_handling_seconds_count{code=\"OK\",method=\"/dps.platform."
                  "testing.Echo/Call\"} 3") != std::string::npos);
  CHECK(text.find("dps_grpc_server_handled_total{code=\"NOT_FOUND\",method=\"/grpc.health.v1."
                  "Health/Check\"} 1") != std::string::npos);
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
