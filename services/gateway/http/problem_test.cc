#include "services/gateway/http/problem.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace dps::gateway {
namespace {

TEST_CASE("Every status code maps to the HTTP status of the same meaning") {
  CHECK(HttpStatusFor(absl::StatusCode::kOk) == 200);
  CHECK(HttpStatusFor(absl::StatusCode::kInvalidArgument) == 400);
  CHECK(HttpStatusFor(absl::StatusCode::kOutOfRange) == 400);
  CHECK(HttpStatusFor(absl::StatusCode::kUnauthenticated) == 401);
  CHECK(HttpStatusFor(absl::StatusCode::kPermissionDenied) == 403);
  CHECK(HttpStatusFor(absl::StatusCode::kNotFound) == 404);
  CHECK(HttpStatusFor(absl::StatusCode::kAlreadyExists) == 409);
  CHECK(HttpStatusFor(absl::StatusCode::kAborted) == 409);
  CHECK(HttpStatusFor(absl::StatusCode::kFailedPrecondition) == 409);
  CHECK(HttpStatusFor(absl::StatusCode::kResourceExhausted) == 429);
  CHECK(HttpStatusFor(absl::StatusCode::kCancelled) == 499);
  CHECK(HttpStatusFor(absl::StatusCode::kUnimplemented) == 501);
  CHECK(HttpStatusFor(absl::StatusCode::kUnavailable) == 503);
  CHECK(HttpStatusFor(absl::StatusCode::kDeadlineExceeded) == 504);
  CHECK(HttpStatusFor(absl::StatusCode::kInternal) == 500);
  CHECK(HttpStatusFor(absl::StatusCode::kDataLoss) == 500);
  CHECK(HttpStatusFor(absl::StatusCode::kUnknown) == 500);
}

TEST_CASE("Internal errors keep their detail to the logs") {
  const Problem internal = ProblemFromStatus(absl::InternalError("pqxx: relation x broke"));
  CHECK(internal.status == 500);
  CHECK(internal.detail == "internal error");
  CHECK(ProblemFromStatus(absl::UnavailableError("referral: down")).detail == "referral: down");
}

TEST_CASE("A reused idempotency key is 422, other bad requests 400") {
  CHECK(ProblemFromStatus(absl::InvalidArgumentError(
                              "idempotency_key: already used for a different request; use a new "
                              "key"))
            .status == 422);
  CHECK(ProblemFromStatus(absl::InvalidArgumentError("idempotency_key: required")).status == 400);
}

TEST_CASE("The body is RFC 9457 problem details with the request id and the field") {
  const std::string body =
      ProblemJson({.status = 400,
                   .code = "INVALID_ARGUMENT",
                   .detail = "spec.name: required",
                   .errors = {{.detail = "spec.name: required", .pointer = "/spec/name"}}},
                  "rid-1");
  const auto json = nlohmann::json::parse(body);
  CHECK(json["type"] == "about:blank");
  CHECK(json["title"] == "Bad Request");
  CHECK(json["status"] == 400);
  CHECK(json["code"] == "INVALID_ARGUMENT");
  CHECK(json["detail"] == "spec.name: required");
  CHECK(json["errors"][0]["pointer"] == "/spec/name");
  CHECK(!json["errors"][0].contains("parameter"));
  CHECK(json["request_id"] == "rid-1");
}

}  // namespace
}  // namespace dps::gateway
