#include "services/gateway/http/router.h"

#include <nlohmann/json.hpp>

#include "services/gateway/http/problem.h"

namespace dps::gateway {
namespace {

Response Json(const Request& request, http::status status, std::string body,
              const std::string& request_id, const char* type = "application/json") {
  Response response{status, request.version()};
  response.set(http::field::content_type, type);
  response.set("X-Request-Id", request_id);
  response.set(http::field::cache_control, "no-store");
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Response ProblemResponse(const Request& request, const Problem& problem,
                         const std::string& request_id) {
  return Json(request, static_cast<http::status>(problem.status), ProblemJson(problem, request_id),
              request_id, "application/problem+json");
}

}  // namespace

Response Router::Ready(const Request& request, const std::string& request_id) const {
  nlohmann::ordered_json body;
  bool all = true;
  for (const Backend& backend : backends_) {
    const bool serving = backend.serving(request_id);
    body["backends"][backend.name] = serving ? "serving" : "not serving";
    all = all && serving;
  }
  body["status"] = all ? "ready" : "not ready";
  return Json(request, all ? http::status::ok : http::status::service_unavailable, body.dump(),
              request_id);
}

Response Router::Handle(const Request& request, const std::string& request_id) const {
  const std::string_view target(request.target().data(), request.target().size());
  const std::string_view path = target.substr(0, target.find('?'));

  // Probes for orchestrators: no authentication, no data.
  if (path == "/healthz" || path == "/readyz") {
    if (request.method() != http::verb::get && request.method() != http::verb::head) {
      return ProblemResponse(request, {405, "Method Not Allowed", "use GET"}, request_id);
    }
    if (path == "/healthz")
      return Json(request, http::status::ok, R"({"status":"ok"})", request_id);
    return Ready(request, request_id);
  }

  // Everything else needs a caller identity.
  const auto authorization = request.find(http::field::authorization);
  if (authorization == request.end() || authorization->value().substr(0, 7) != "Bearer " ||
      authorization->value().size() <= 7) {
    Response response = ProblemResponse(
        request, {401, "Unauthorized", "Authorization: a bearer token is required"}, request_id);
    response.set(http::field::www_authenticate, "Bearer");
    return response;
  }
  // Token verification and the REST resources arrive with the gateway issue; until then no
  // resource exists, so nothing can be reached with any token.
  return ProblemResponse(request, {404, "Not Found", "no resource at " + std::string(path)},
                         request_id);
}

}  // namespace dps::gateway
