// What the gateway does with one HTTP request, apart from the socket: probes, the API
// description, CORS, authentication, the per-caller rate, then the route table and the call to
// the service behind it. Sessions (server.h) read and write; everything decided about a request
// is decided here, so it is tested without a server (router_test.cc).
//
// In order, for an API request:
//   1. CORS preflight (OPTIONS) for a configured origin answers at once;
//   2. the bearer token is verified (401 otherwise, with WWW-Authenticate);
//   3. the caller's rate is checked (429 with Retry-After);
//   4. the route is found (404, or 405 when the path exists under another method);
//   5. the request message is built from path, query, body and Idempotency-Key (400, 415);
//   6. the service is called asynchronously with the caller's own token; its status or reply
//      becomes the response (problem+json with the offending field's pointer, or JSON).
#ifndef DPS_SERVICES_GATEWAY_HTTP_ROUTER_H_
#define DPS_SERVICES_GATEWAY_HTTP_ROUTER_H_

#include <boost/beast/http.hpp>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "platform/auth/authenticator.h"
#include "services/gateway/api/backends.h"
#include "services/gateway/api/route_table.h"
#include "services/gateway/edge/rate_limiter.h"

namespace dps::gateway {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

struct RouterOptions {
  std::set<std::string> cors_origins;  // browser front ends allowed to call the API
  absl::Duration backend_timeout = absl::Seconds(30);
};

// What the session logs and counts about a request once it is answered.
struct Outcome {
  Response response;
  std::string route;                // the route's label ("GET /v1/referrals/{id}"), or a fixed word
  platform::CallerIdentity caller;  // empty before authentication
};

class Router final {
 public:
  // `readiness` gives each backend's last known health (a poller keeps it fresh, so /readyz
  // never waits on a backend).
  Router(RouteTable routes, Backends& backends, const platform::auth::Authenticator& authenticator,
         RateLimiter& limiter, std::string openapi_json,
         std::function<std::map<std::string, bool>()> readiness, RouterOptions options)
      : routes_(std::move(routes)),
        backends_(backends),
        authenticator_(authenticator),
        limiter_(limiter),
        openapi_json_(std::move(openapi_json)),
        readiness_(std::move(readiness)),
        options_(std::move(options)) {}

  // Answers one request: `done` runs exactly once, maybe on another thread.
  void Handle(Request request, const std::string& request_id,
              std::function<void(Outcome)> done) const;

  const RouteTable& routes() const { return routes_; }

 private:
  RouteTable routes_;
  Backends& backends_;
  const platform::auth::Authenticator& authenticator_;
  RateLimiter& limiter_;
  std::string openapi_json_;
  std::function<std::map<std::string, bool>()> readiness_;
  RouterOptions options_;
};

// A problem+json response.
Response ProblemResponse(const Request& request, const struct Problem& problem,
                         const std::string& request_id);

}  // namespace dps::gateway

#endif  // DPS_SERVICES_GATEWAY_HTTP_ROUTER_H_
