#include "services/scoring/api/scoring_service.h"

#include <grpcpp/grpcpp.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <catch2/catch.hpp>
#include <memory>

#include "dps/scoring/v1/scoring.grpc.pb.h"
#include "platform/auth/testing/test_identity.h"
#include "platform/grpc/server.h"

namespace dps::scoring {
namespace {

v1::EvaluateRequest SmallRequest() {
  v1::EvaluateRequest request;
  request.mutable_weights()->set_price(70);
  request.mutable_weights()->set_location(10);
  request.mutable_weights()->set_core_competency(20);
  request.mutable_child_location()->set_latitude(51.1092);
  request.mutable_child_location()->set_longitude(-0.1872);
  request.set_ceiling_mode(dps::common::v1::CEILING_MODE_HARD);
  for (const char* id : {"X", "Y"}) {
    v1::Bid* bid = request.add_bids();
    bid->set_id(id);
    bid->set_establishment_latitude(51.0629);
    bid->set_establishment_longitude(-0.3259);
    bid->set_ceiling_fee_pence(500'000);
    bid->set_core_fee_pence(id[0] == 'X' ? 400'000 : 350'000);
    bid->set_qualification_score(75);
    bid->mutable_submitted_at()->set_seconds(1'735'689'600);
  }
  return request;
}

const platform::auth::testing::TestIdentityProvider& Identity() {
  return platform::auth::testing::TestIdentityProvider::Shared();
}

// Serves `service` on a loopback port and calls Evaluate as the referral service would (with a
// service token); returns the status the call finished with.
grpc::Status CallEvaluate(ScoringService& service, const v1::EvaluateRequest& request,
                          v1::EvaluateResponse* response) {
  absl::StatusOr<platform::GrpcServer> server =
      platform::StartGrpcServer("127.0.0.1:0", {&service}, nullptr);
  REQUIRE(server.ok());
  auto stub = v1::ScoringService::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(server->port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  Identity().Authorize(
      context,
      {.user_id = "referral", .role = dps::common::v1::ROLE_SERVICE, .organisation_id = "dps"});
  const grpc::Status status = stub->Evaluate(&context, request, response);
  server->server->Shutdown();
  return status;
}

TEST_CASE("Evaluate scores a valid request", "[service]") {
  ScoringService service(Identity().authenticator());
  const v1::EvaluateRequest request = SmallRequest();
  v1::EvaluateResponse response;
  const grpc::Status status = CallEvaluate(service, request, &response);
  REQUIRE(status.ok());
  REQUIRE(response.bids_size() == 2);
  CHECK(response.bids(0).bid_id() == "Y");  // cheaper, otherwise equal
  CHECK(response.bids(0).scores().total() == 70.0 + 10.0 + 15.0);
  CHECK(response.ranking_status() == v1::RANKING_STATUS_FINAL);  // outcomes weight is 0
}

TEST_CASE("Evaluate maps a domain rule to INVALID_ARGUMENT with the field", "[service]") {
  ScoringService service(Identity().authenticator());
  v1::EvaluateRequest request = SmallRequest();
  request.mutable_weights()->set_price(80);
  v1::EvaluateResponse response;
  const grpc::Status status = CallEvaluate(service, request, &response);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(status.error_message() == "weights.price: must be between 30 and 70, got 80");
}

TEST_CASE("Evaluate maps a missing field to INVALID_ARGUMENT", "[service]") {
  ScoringService service(Identity().authenticator());
  v1::EvaluateRequest request = SmallRequest();
  request.mutable_bids(1)->clear_core_fee_pence();
  v1::EvaluateResponse response;
  const grpc::Status status = CallEvaluate(service, request, &response);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(status.error_message() == "bids[1].core_fee_pence: required");
}

TEST_CASE("the service applies its configured bid limit", "[service]") {
  ScoringService service(Identity().authenticator(), Limits{1});
  const v1::EvaluateRequest request = SmallRequest();
  v1::EvaluateResponse response;
  const grpc::Status status = CallEvaluate(service, request, &response);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(status.error_message() == "bids: must have at most 1 bids, got 2");
}

TEST_CASE("Evaluate over a real channel on a loopback port", "[service]") {
  ScoringService service(Identity().authenticator());
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  REQUIRE(server != nullptr);
  REQUIRE(port > 0);
  auto stub = v1::ScoringService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));

  grpc::ClientContext anonymous;
  v1::EvaluateResponse response;
  CHECK(stub->Evaluate(&anonymous, SmallRequest(), &response).error_code() ==
        grpc::StatusCode::UNAUTHENTICATED);
  // Metadata that merely claims an identity is worth nothing.
  grpc::ClientContext forged;
  forged.AddMetadata("x-dps-user", "referral");
  forged.AddMetadata("x-dps-role", "ROLE_SERVICE");
  forged.AddMetadata("x-dps-organisation", "dps");
  CHECK(stub->Evaluate(&forged, SmallRequest(), &response).error_code() ==
        grpc::StatusCode::UNAUTHENTICATED);

  grpc::ClientContext context;
  Identity().Authorize(context, {.user_id = "officer-1",
                                 .role = dps::common::v1::ROLE_PLACING_OFFICER,
                                 .organisation_id = "brighton-and-hove"});
  const grpc::Status status = stub->Evaluate(&context, SmallRequest(), &response);
  REQUIRE(status.ok());
  CHECK(response.bids(0).bid_id() == "Y");

  grpc::ClientContext bad_context;
  Identity().Authorize(bad_context, {.user_id = "officer-1",
                                     .role = dps::common::v1::ROLE_PLACING_OFFICER,
                                     .organisation_id = "brighton-and-hove"});
  v1::EvaluateRequest bad = SmallRequest();
  bad.mutable_bids(0)->set_id("Y");
  const grpc::Status refused = stub->Evaluate(&bad_context, bad, &response);
  CHECK(refused.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(refused.error_message() == "bids[1].id: duplicate bid id \"Y\"");
  server->Shutdown();
}

// The process serves through the platform's server, whose interceptor times every call: the
// callback API and the arena allocator must work with it as the synchronous API did.
TEST_CASE("Evaluate through the platform's server is served and counted", "[service]") {
  ScoringService service(Identity().authenticator());
  prometheus::Registry registry;
  absl::StatusOr<platform::GrpcServer> server =
      platform::StartGrpcServer("127.0.0.1:0", {&service}, &registry);
  REQUIRE(server.ok());
  auto stub = v1::ScoringService::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(server->port), grpc::InsecureChannelCredentials()));

  const platform::CallerIdentity referral{
      .user_id = "referral", .role = dps::common::v1::ROLE_SERVICE, .organisation_id = "dps"};
  grpc::ClientContext context;
  Identity().Authorize(context, referral);
  v1::EvaluateResponse response;
  REQUIRE(stub->Evaluate(&context, SmallRequest(), &response).ok());
  CHECK(response.bids(0).bid_id() == "Y");
  grpc::ClientContext bad_context;
  Identity().Authorize(bad_context, referral);
  v1::EvaluateRequest bad = SmallRequest();
  bad.clear_child_location();
  CHECK(stub->Evaluate(&bad_context, bad, &response).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
  server->server->Shutdown();

  const std::string text = prometheus::TextSerializer().Serialize(registry.Collect());
  CHECK(text.find("grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"Evaluate\","
                  "grpc_service=\"dps.scoring.v1.ScoringService\",grpc_type=\"unary\"} 1") !=
        std::string::npos);
  CHECK(text.find(
            "grpc_server_handled_total{grpc_code=\"InvalidArgument\",grpc_method=\""
            "Evaluate\",grpc_service=\"dps.scoring.v1.ScoringService\",grpc_type=\"unary\"} 1") !=
        std::string::npos);
}

}  // namespace
}  // namespace dps::scoring
