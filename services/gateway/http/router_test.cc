#include "services/gateway/http/router.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "services/gateway/http/problem.h"

namespace dps::gateway {
namespace {

Request Get(const std::string& target) {
  Request request{http::verb::get, target, 11};
  return request;
}

TEST_CASE("/healthz answers without authentication") {
  const Router router({});
  const Response response = router.Handle(Get("/healthz"), "rid-1");
  CHECK(response.result() == http::status::ok);
  CHECK(response["X-Request-Id"] == "rid-1");
}

TEST_CASE("/readyz is 503 naming the backend that is down, 200 when all serve") {
  bool scoring_up = false;
  std::string asked_with;
  const Router router({{"qualification", [](const std::string&) { return true; }},
                       {"scoring", [&](const std::string& request_id) {
                          asked_with = request_id;
                          return scoring_up;
                        }}});
  Response response = router.Handle(Get("/readyz"), "r");
  CHECK(response.result() == http::status::service_unavailable);
  auto body = nlohmann::json::parse(response.body());
  CHECK(body["backends"]["scoring"] == "not serving");
  CHECK(body["backends"]["qualification"] == "serving");
  CHECK(asked_with == "r");  // the request id travels on to the backends
  scoring_up = true;
  CHECK(router.Handle(Get("/readyz"), "r").result() == http::status::ok);
}

TEST_CASE("any other request without a bearer token is 401 problem+json") {
  const Router router({});
  const Response response = router.Handle(Get("/v1/referrals"), "rid-2");
  CHECK(response.result() == http::status::unauthorized);
  CHECK(response[http::field::content_type] == "application/problem+json");
  CHECK(response[http::field::www_authenticate] == "Bearer");
  auto body = nlohmann::json::parse(response.body());
  CHECK(body["status"] == 401);
  CHECK(body["detail"] == "Authorization: a bearer token is required");
  CHECK(body["request_id"] == "rid-2");

  Request basic = Get("/v1/referrals");
  basic.set(http::field::authorization, "Basic dXNlcjpwYXNz");
  CHECK(router.Handle(basic, "r").result() == http::status::unauthorized);
  Request empty = Get("/v1/referrals");
  empty.set(http::field::authorization, "Bearer ");
  CHECK(router.Handle(empty, "r").result() == http::status::unauthorized);
}

TEST_CASE("a probe answers only GET and HEAD") {
  const Router router({});
  Request post{http::verb::post, "/healthz", 11};
  CHECK(router.Handle(post, "r").result() == http::status::method_not_allowed);
}

TEST_CASE("status codes map to the HTTP status of the same meaning") {
  CHECK(HttpStatusFor(absl::StatusCode::kInvalidArgument) == 400);
  CHECK(HttpStatusFor(absl::StatusCode::kUnauthenticated) == 401);
  CHECK(HttpStatusFor(absl::StatusCode::kPermissionDenied) == 403);
  CHECK(HttpStatusFor(absl::StatusCode::kNotFound) == 404);
  CHECK(HttpStatusFor(absl::StatusCode::kAlreadyExists) == 409);
  CHECK(HttpStatusFor(absl::StatusCode::kFailedPrecondition) == 409);
  CHECK(HttpStatusFor(absl::StatusCode::kResourceExhausted) == 429);
  CHECK(HttpStatusFor(absl::StatusCode::kUnimplemented) == 501);
  CHECK(HttpStatusFor(absl::StatusCode::kUnavailable) == 503);
  CHECK(HttpStatusFor(absl::StatusCode::kDeadlineExceeded) == 504);
  CHECK(HttpStatusFor(absl::StatusCode::kInternal) == 500);
}

TEST_CASE("an internal error's detail stays in our logs, a client error's reaches the caller") {
  CHECK(ProblemFromStatus(absl::InternalError("pq: password for dps@db")).detail ==
        "internal error");
  CHECK(ProblemFromStatus(absl::InvalidArgumentError("weights.price: must be 30-70")).detail ==
        "weights.price: must be 30-70");
}

}  // namespace
}  // namespace dps::gateway
