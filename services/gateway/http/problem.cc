#include "services/gateway/http/problem.h"

#include <boost/beast/http/status.hpp>
#include <nlohmann/json.hpp>

#include "absl/strings/match.h"

namespace dps::gateway {

int HttpStatusFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
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
  Problem problem;
  problem.status = HttpStatusFor(status.code());
  problem.code = absl::StatusCodeToString(status.code());
  // Internal details stay in our logs; the caller gets the code and its request id.
  const bool expose = problem.status < 500 || problem.status == 501 || problem.status == 503 ||
                      problem.status == 504;
  problem.detail = expose ? std::string(status.message()) : "internal error";
  if (status.code() == absl::StatusCode::kInvalidArgument &&
      absl::StartsWith(status.message(), "idempotency_key: already used")) {
    problem.status = 422;
  }
  return problem;
}

std::string ReasonPhrase(int status) {
  if (status == 499) return "Client Closed Request";
  return std::string(
      boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status)));
}

std::string ProblemJson(const Problem& problem, const std::string& request_id) {
  nlohmann::ordered_json body;
  body["type"] = "about:blank";
  body["title"] = ReasonPhrase(problem.status);
  body["status"] = problem.status;
  if (!problem.code.empty()) body["code"] = problem.code;
  body["detail"] = problem.detail;
  if (!problem.errors.empty()) {
    for (const ProblemItem& item : problem.errors) {
      nlohmann::ordered_json error;
      error["detail"] = item.detail;
      if (!item.pointer.empty()) error["pointer"] = item.pointer;
      if (!item.parameter.empty()) error["parameter"] = item.parameter;
      body["errors"].push_back(error);
    }
  }
  body["request_id"] = request_id;
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace dps::gateway
