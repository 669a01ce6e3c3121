#include "services/gateway/http/router.h"

#include <grpcpp/grpcpp.h>

#include <catch2/catch.hpp>
#include <future>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "platform/auth/testing/test_identity.h"
#include "platform/grpc/caller.h"
#include "platform/grpc/server.h"
#include "testing/widgets.grpc.pb.h"

namespace dps::gateway {
namespace {

namespace test = dps::gatewaytest::v1;
using Json = nlohmann::json;

const platform::auth::testing::TestIdentityProvider& Identity() {
  return platform::auth::testing::TestIdentityProvider::Shared();
}

// The service behind the gateway in these tests: it checks the caller's token itself, as every
// DPS service does, and remembers what it was sent.
class FakeWidgets final : public test::WidgetService::Service {
 public:
  grpc::Status GetWidget(grpc::ServerContext* context, const test::GetWidgetRequest* request,
                         test::Widget* reply) override {
    absl::StatusOr<platform::CallerIdentity> caller =
        platform::CallerOf(*context, Identity().authenticator());
    if (!caller.ok()) return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "no");
    {
      absl::MutexLock lock(&mutex_);
      last_user_ = caller->user_id;
      const auto id = context->client_metadata().find("x-request-id");
      last_request_id_ = id == context->client_metadata().end()
                             ? ""
                             : std::string(id->second.data(), id->second.size());
    }
    if (request->id() == "missing") return {grpc::StatusCode::NOT_FOUND, "no widget missing"};
    if (request->id() == "slow") std::this_thread::sleep_for(std::chrono::milliseconds(300));
    reply->set_id(request->id());
    reply->mutable_spec()->set_name("Anvil");
    return grpc::Status::OK;
  }
  grpc::Status CreateWidget(grpc::ServerContext*, const test::CreateWidgetRequest* request,
                            test::Widget* reply) override {
    if (request->idempotency_key() == "reused") {
      return {grpc::StatusCode::INVALID_ARGUMENT,
              "idempotency_key: already used for a different request; use a new key"};
    }
    if (request->spec().name().empty()) {
      return {grpc::StatusCode::INVALID_ARGUMENT, "spec.name: required"};
    }
    reply->set_id("w-new");
    reply->set_shelf_id(request->shelf_id());
    *reply->mutable_spec() = request->spec();
    return grpc::Status::OK;
  }
  grpc::Status RenderWidget(grpc::ServerContext*, const test::RenderWidgetRequest*,
                            test::RenderedWidget* reply) override {
    reply->set_content("<html>widget</html>");
    reply->set_media_type("text/html; charset=utf-8");
    return grpc::Status::OK;
  }
  grpc::Status StreamWidgets(grpc::ServerContext*, const test::ListWidgetsRequest* request,
                             grpc::ServerWriter<test::Widget>* writer) override {
    for (int i = 1; i <= 3; ++i) {
      test::Widget widget;
      widget.set_id(absl::StrCat("w-", i));
      widget.set_shelf_id(request->shelf_id());
      writer->Write(widget);
    }
    return grpc::Status::OK;
  }

  std::string last_user() {
    absl::MutexLock lock(&mutex_);
    return last_user_;
  }
  std::string last_request_id() {
    absl::MutexLock lock(&mutex_);
    return last_request_id_;
  }

 private:
  absl::Mutex mutex_;
  std::string last_user_ ABSL_GUARDED_BY(mutex_);
  std::string last_request_id_ ABSL_GUARDED_BY(mutex_);
};

struct World {
  explicit World(double rate = 1000, std::set<std::string> origins = {})
      : clock(absl::Now()), limiter(rate, rate, clock) {
    absl::StatusOr<platform::GrpcServer> started =
        platform::StartGrpcServer("127.0.0.1:0", {&widgets}, nullptr);
    REQUIRE(started.ok());
    server = *std::move(started);
    backends = std::make_unique<Backends>(std::map<std::string, std::shared_ptr<grpc::Channel>>{
        {"gatewaytest", grpc::CreateChannel(absl::StrCat("127.0.0.1:", server.port),
                                            grpc::InsecureChannelCredentials())}});
    router = std::make_unique<Router>(
        *RouteTable::Build(
            {test::Widget::descriptor()->file()->FindServiceByName("WidgetService")}),
        *backends, Identity().authenticator(), limiter, R"({"openapi":"3.0.3"})",
        [this] { return ready; },
        RouterOptions{.cors_origins = origins, .backend_timeout = absl::Seconds(5)});
  }
  ~World() { server.server->Shutdown(); }

  Outcome Send(Request request, const std::string& request_id = "rid-1") {
    std::promise<Outcome> answered;
    router->Handle(std::move(request), request_id,
                   [&answered](Outcome outcome) { answered.set_value(std::move(outcome)); });
    return answered.get_future().get();
  }

  FakeWidgets widgets;
  platform::GrpcServer server;
  platform::FakeClock clock;
  RateLimiter limiter;
  std::map<std::string, bool> ready = {{"gatewaytest", true}};
  std::unique_ptr<Backends> backends;
  std::unique_ptr<Router> router;
};

std::string Token(const std::string& user = "officer-1") {
  return Identity().TokenFor({.user_id = user,
                              .role = dps::common::v1::ROLE_PLACING_OFFICER,
                              .organisation_id = "brighton-and-hove"});
}

Request Make(http::verb method, const std::string& target, const std::string& body = "",
             const std::string& token = Token()) {
  Request request{method, target, 11};
  if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
  if (!body.empty()) {
    request.set(http::field::content_type, "application/json");
    request.body() = body;
    request.prepare_payload();
  }
  return request;
}

Json Body(const Outcome& outcome) { return Json::parse(outcome.response.body()); }

TEST_CASE("Probes and the API description answer without a token") {
  World world;
  Outcome health = world.Send(Make(http::verb::get, "/healthz", "", ""));
  CHECK(health.response.result() == http::status::ok);
  CHECK(health.response["X-Request-Id"] == "rid-1");
  CHECK(world.Send(Make(http::verb::get, "/v1/openapi.json", "", "")).response.body() ==
        R"({"openapi":"3.0.3"})");
  CHECK(world.Send(Make(http::verb::get, "/readyz", "", "")).response.result() == http::status::ok);
  world.ready["gatewaytest"] = false;
  Outcome not_ready = world.Send(Make(http::verb::get, "/readyz", "", ""));
  CHECK(not_ready.response.result() == http::status::service_unavailable);
  CHECK(Body(not_ready)["backends"]["gatewaytest"] == "not serving");
  CHECK(world.Send(Make(http::verb::post, "/healthz", "", "")).response.result() ==
        http::status::method_not_allowed);
}

TEST_CASE("A GET reaches the service with the caller's own token and the request id") {
  World world;
  Outcome outcome = world.Send(Make(http::verb::get, "/v1/widgets/w-7"), "trace-1");
  INFO(outcome.response.body());
  REQUIRE(outcome.response.result() == http::status::ok);
  CHECK(outcome.response[http::field::content_type] == "application/json");
  CHECK(outcome.response["X-Request-Id"] == "trace-1");
  CHECK(Body(outcome)["id"] == "w-7");
  CHECK(Body(outcome)["spec"]["name"] == "Anvil");
  CHECK(outcome.route == "GET /v1/widgets/{id}");
  CHECK(outcome.caller.user_id == "officer-1");
  CHECK(world.widgets.last_user() == "officer-1");
  CHECK(world.widgets.last_request_id() == "trace-1");
}

TEST_CASE("Without a good token nothing reaches the service") {
  World world;
  Outcome none = world.Send(Make(http::verb::get, "/v1/widgets/w-1", "", ""));
  CHECK(none.response.result() == http::status::unauthorized);
  CHECK(none.response[http::field::www_authenticate] == "Bearer realm=\"dps\"");
  CHECK(none.response[http::field::content_type] == "application/problem+json");
  Request basic = Make(http::verb::get, "/v1/widgets/w-1", "", "");
  basic.set(http::field::authorization, "Basic dXNlcjpwYXNz");
  CHECK(world.Send(basic).response.result() == http::status::unauthorized);
  Outcome forged = world.Send(Make(http::verb::get, "/v1/widgets/w-1", "", "a.b.c"));
  CHECK(forged.response.result() == http::status::unauthorized);
  CHECK(forged.response[http::field::www_authenticate] ==
        "Bearer realm=\"dps\", error=\"invalid_token\"");
  CHECK(world.widgets.last_user().empty());
}

TEST_CASE("Unknown paths are 404, other methods on a known path 405") {
  World world;
  CHECK(world.Send(Make(http::verb::get, "/v1/gadgets/1")).response.result() ==
        http::status::not_found);
  CHECK(world.Send(Make(http::verb::put, "/v1/widgets/w-1")).response.result() ==
        http::status::method_not_allowed);
}

TEST_CASE("A service's refusal becomes problem+json pointing at the field") {
  World world;
  Request create = Make(http::verb::post, "/v1/shelves/s-1/widgets", R"({"spec": {}})");
  create.set("Idempotency-Key", "k-1");
  Outcome outcome = world.Send(create);
  CHECK(outcome.response.result() == http::status::bad_request);
  const Json problem = Body(outcome);
  CHECK(problem["detail"] == "spec.name: required");
  CHECK(problem["errors"][0]["pointer"] == "/spec/name");
  CHECK(problem["request_id"] == "rid-1");

  CHECK(world.Send(Make(http::verb::get, "/v1/widgets/missing")).response.result() ==
        http::status::not_found);

  Request reused = Make(http::verb::post, "/v1/shelves/s-1/widgets", R"({"spec": {"name": "x"}})");
  reused.set("Idempotency-Key", "reused");
  CHECK(world.Send(reused).response.result() == http::status::unprocessable_entity);

  Request keyless = Make(http::verb::post, "/v1/shelves/s-1/widgets", R"({"spec": {"name": "x"}})");
  Outcome missing_key = world.Send(keyless);
  CHECK(missing_key.response.result() == http::status::bad_request);
  CHECK(Body(missing_key)["detail"].get<std::string>().starts_with("Idempotency-Key: required"));

  Request text = Make(http::verb::post, "/v1/shelves/s-1/widgets", "name=x");
  text.set(http::field::content_type, "text/plain");
  text.set("Idempotency-Key", "k-2");
  CHECK(world.Send(text).response.result() == http::status::unsupported_media_type);

  Request created = Make(http::verb::post, "/v1/shelves/s-1/widgets", R"({"spec": {"name": "x"}})");
  created.set("Idempotency-Key", "k-3");
  Outcome made = world.Send(created);
  CHECK(made.response.result() == http::status::ok);
  CHECK(Body(made)["shelf_id"] == "s-1");
}

TEST_CASE("A service that is down is 503") {
  World world;
  world.server.server->Shutdown();
  Outcome outcome = world.Send(Make(http::verb::get, "/v1/widgets/w-1"));
  CHECK(outcome.response.result() == http::status::service_unavailable);
}

TEST_CASE("A document comes back as its own bytes, a stream as lines of JSON") {
  World world;
  Outcome document = world.Send(Make(http::verb::get, "/v1/widgets/w-1/picture"));
  CHECK(document.response.result() == http::status::ok);
  CHECK(document.response[http::field::content_type] == "text/html; charset=utf-8");
  CHECK(document.response.body() == "<html>widget</html>");
  Outcome stream = world.Send(Make(http::verb::get, "/v1/shelves/s-9/widgets:stream"));
  CHECK(stream.response.result() == http::status::ok);
  CHECK(stream.response[http::field::content_type] == "application/x-ndjson");
  std::vector<std::string> lines = absl::StrSplit(stream.response.body(), '\n', absl::SkipEmpty());
  REQUIRE(lines.size() == 3);
  CHECK(Json::parse(lines[2])["id"] == "w-3");
  CHECK(Json::parse(lines[2])["shelf_id"] == "s-9");
}

TEST_CASE("A caller over its rate is told to wait, with Retry-After") {
  World world(/*rate=*/1);
  CHECK(world.Send(Make(http::verb::get, "/v1/widgets/w-1")).response.result() == http::status::ok);
  Outcome limited = world.Send(Make(http::verb::get, "/v1/widgets/w-1"));
  CHECK(limited.response.result() == http::status::too_many_requests);
  CHECK(limited.response[http::field::retry_after] == "1");
  // Another caller is not slowed by the first.
  CHECK(world.Send(Make(http::verb::get, "/v1/widgets/w-1", "", Token("officer-2")))
            .response.result() == http::status::ok);
}

TEST_CASE("CORS: configured origins may call from a browser, others are not told yes") {
  World world(1000, {"https://placements.example"});
  Request preflight{http::verb::options, "/v1/widgets/w-1", 11};
  preflight.set(http::field::origin, "https://placements.example");
  preflight.set(http::field::access_control_request_method, "GET");
  Outcome allowed = world.Send(preflight);
  CHECK(allowed.response.result() == http::status::no_content);
  CHECK(allowed.response[http::field::access_control_allow_origin] == "https://placements.example");
  CHECK(std::string(allowed.response[http::field::access_control_allow_headers])
            .find("Idempotency-Key") != std::string::npos);
  preflight.set(http::field::origin, "https://evil.example");
  Outcome refused = world.Send(preflight);
  CHECK(refused.response.result() == http::status::forbidden);
  CHECK(refused.response.find(http::field::access_control_allow_origin) == refused.response.end());

  Request get = Make(http::verb::get, "/v1/widgets/w-1");
  get.set(http::field::origin, "https://placements.example");
  CHECK(world.Send(get).response[http::field::access_control_allow_origin] ==
        "https://placements.example");
}

}  // namespace
}  // namespace dps::gateway
