// RFC 9457 problem details: how the gateway reports every error to REST clients.
#ifndef DPS_SERVICES_GATEWAY_HTTP_PROBLEM_H_
#define DPS_SERVICES_GATEWAY_HTTP_PROBLEM_H_

#include <string>

#include "absl/status/status.h"

namespace dps::gateway {

struct Problem {
  int status = 500;
  std::string title;
  std::string detail;
};

// The HTTP status for a gRPC/absl code (INVALID_ARGUMENT -> 400, NOT_FOUND -> 404, ...): the one
// place the mapping is written.
int HttpStatusFor(absl::StatusCode code);

Problem ProblemFromStatus(const absl::Status& status);

// The application/problem+json body, with the request id so a caller can quote it.
std::string ProblemJson(const Problem& problem, const std::string& request_id);

}  // namespace dps::gateway

#endif  // DPS_SERVICES_GATEWAY_HTTP_PROBLEM_H_
