#include "services/gateway/http/problem.h"

#include <nlohmann/json.hpp>

namespace dps::gateway {

int HttpStatusFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
      return 400;
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
      return 409;
    case absl::StatusCode::kAborted:
      return 409;
    case absl::StatusCode::kFailedPrecondition:
      return 409;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kCancelled:
      return 499;
    case absl::StatusCode::kUnimplemented:
      return 501;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    default:
      return 500;
  }
}

Problem ProblemFromStatus(const absl::Status& status) {
  const int http = HttpStatusFor(status.code());
  // Internal details stay in our logs; the caller gets the code and its request id.
  const bool expose = http < 500 || http == 503 || http == 504;
  return {http, absl::StatusCodeToString(status.code()),
          expose ? std::string(status.message()) : "internal error"};
}

std::string ProblemJson(const Problem& problem, const std::string& request_id) {
  nlohmann::ordered_json body;
  body["type"] = "about:blank";
  body["title"] = problem.title;
  body["status"] = problem.status;
  body["detail"] = problem.detail;
  body["request_id"] = request_id;
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace dps::gateway
