// RFC 9457 problem details: how the gateway reports every error to REST clients. The mapping
// from a status code to an HTTP status is written here once.
//
//   {"type": "about:blank", "title": "Bad Request", "status": 400, "code": "INVALID_ARGUMENT",
//    "detail": "spec.weights.price: must be between 30 and 70, got 75",
//    "errors": [{"detail": "...", "pointer": "/spec/weights/price"}], "request_id": "..."}
#ifndef DPS_SERVICES_GATEWAY_HTTP_PROBLEM_H_
#define DPS_SERVICES_GATEWAY_HTTP_PROBLEM_H_

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace dps::gateway {

// One thing wrong with the request, and where: a JSON pointer into the body, or the name of a
// query or path parameter (at most one of them).
struct ProblemItem {
  std::string detail;
  std::string pointer;
  std::string parameter;
};

struct Problem {
  int status = 500;
  std::string code;  // the status code's name, e.g. INVALID_ARGUMENT
  std::string detail;
  std::vector<ProblemItem> errors;
};

// The HTTP status for a gRPC/absl code (INVALID_ARGUMENT -> 400, NOT_FOUND -> 404, ...).
int HttpStatusFor(absl::StatusCode code);

// The problem a status becomes. Internal errors keep their detail out of the response (the
// services log it under the request id). A refused idempotency key (INVALID_ARGUMENT on
// idempotency_key: reused for another request) is 422, not 400: the request itself was fine.
Problem ProblemFromStatus(const absl::Status& status);

// The application/problem+json body, with the request id so a caller can quote it.
std::string ProblemJson(const Problem& problem, const std::string& request_id);

// The standard reason phrase ("Bad Request").
std::string ReasonPhrase(int status);

}  // namespace dps::gateway

#endif  // DPS_SERVICES_GATEWAY_HTTP_PROBLEM_H_
