#include "services/gateway/http/router.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/gateway/api/transcoder.h"
#include "services/gateway/http/problem.h"

namespace dps::gateway {
namespace {

Response Answer(const Request& request, http::status status, std::string body,
                const std::string& request_id, const std::string& content_type) {
  Response response{status, request.version()};
  response.set(http::field::content_type, content_type);
  response.set("X-Request-Id", request_id);
  response.set(http::field::cache_control, "no-store");
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Problem Simple(int status, std::string code, std::string detail) {
  return {.status = status, .code = std::move(code), .detail = std::move(detail)};
}

// The problem for a failed call or a refused request, pointing at the field it names.
Problem ProblemFor(const Route* route, const absl::Status& status) {
  Problem problem = ProblemFromStatus(status);
  if (absl::StartsWith(status.message(), kUnsupportedMediaType)) problem.status = 415;
  if (route != nullptr && problem.status < 500) {
    if (std::optional<ErrorLocation> at = LocateError(
            *route, std::string_view(status.message().data(), status.message().size()))) {
      problem.errors.push_back(
          {.detail = problem.detail, .pointer = at->pointer, .parameter = at->parameter});
    }
  }
  return problem;
}

std::string_view PathOf(const Request& request) {
  const std::string_view target(request.target().data(), request.target().size());
  return target.substr(0, target.find('?'));
}

std::string_view QueryOf(const Request& request) {
  const std::string_view target(request.target().data(), request.target().size());
  const auto mark = target.find('?');
  return mark == std::string_view::npos ? std::string_view() : target.substr(mark + 1);
}

std::string HeaderOf(const Request& request, http::field field) {
  const auto it = request.find(field);
  return it == request.end() ? "" : std::string(it->value());
}

std::string HeaderOf(const Request& request, const char* name) {
  const auto it = request.find(name);
  return it == request.end() ? "" : std::string(it->value());
}

}  // namespace

Response ProblemResponse(const Request& request, const Problem& problem,
                         const std::string& request_id) {
  return Answer(request, static_cast<http::status>(problem.status),
                ProblemJson(problem, request_id), request_id, "application/problem+json");
}

void Router::Handle(Request request, const std::string& request_id,
                    std::function<void(Outcome)> done) const {
  const std::string origin = HeaderOf(request, http::field::origin);
  const bool cors = !origin.empty() && options_.cors_origins.contains(origin);
  // Every answer goes out through here, with the CORS headers a configured origin needs.
  auto finish = [cors, origin, done](Outcome outcome) {
    if (cors) {
      outcome.response.set(http::field::access_control_allow_origin, origin);
      outcome.response.set(http::field::vary, "Origin");
      outcome.response.set(http::field::access_control_expose_headers, "X-Request-Id, Retry-After");
    }
    done(std::move(outcome));
  };
  auto refuse = [&](const Problem& problem, const std::string& route) {
    finish({ProblemResponse(request, problem, request_id), route, {}});
  };
  const std::string_view path = PathOf(request);

  // Browsers ask before a cross-origin call; only configured origins are told yes.
  if (request.method() == http::verb::options) {
    if (!cors) {
      return refuse(
          Simple(403, "PERMISSION_DENIED", "Origin: not allowed to call this API from a browser"),
          "preflight");
    }
    Response response = Answer(request, http::status::no_content, "", request_id, "text/plain");
    response.set(http::field::access_control_allow_methods, "GET, POST, PUT, PATCH, DELETE");
    response.set(http::field::access_control_allow_headers,
                 "Authorization, Content-Type, Idempotency-Key, X-Request-Id");
    response.set(http::field::access_control_max_age, "600");
    return finish({std::move(response), "preflight", {}});
  }

  // Probes for orchestrators and the API description: no authentication, no data.
  if (path == "/healthz" || path == "/readyz" || path == "/v1/openapi.json") {
    const std::string label(path);
    if (request.method() != http::verb::get && request.method() != http::verb::head) {
      return refuse(Simple(405, "INVALID_ARGUMENT", "use GET"), label);
    }
    if (path == "/healthz") {
      return finish(
          {Answer(request, http::status::ok, R"({"status":"ok"})", request_id, "application/json"),
           label,
           {}});
    }
    if (path == "/v1/openapi.json") {
      return finish(
          {Answer(request, http::status::ok, openapi_json_, request_id, "application/json"),
           label,
           {}});
    }
    nlohmann::ordered_json body;
    bool all = true;
    for (const auto& [name, serving] : readiness_()) {
      body["backends"][name] = serving ? "serving" : "not serving";
      all = all && serving;
    }
    body["status"] = all ? "ready" : "not ready";
    return finish({Answer(request, all ? http::status::ok : http::status::service_unavailable,
                          body.dump(), request_id, "application/json"),
                   label,
                   {}});
  }

  // Everything else needs a caller proved by a bearer token.
  const std::string authorization = HeaderOf(request, http::field::authorization);
  if (!absl::StartsWithIgnoreCase(authorization, "Bearer ") || authorization.size() <= 7) {
    Outcome outcome{
        ProblemResponse(request,
                        Simple(401, "UNAUTHENTICATED", "Authorization: a bearer token is required"),
                        request_id),
        "unauthenticated",
        {}};
    outcome.response.set(http::field::www_authenticate, "Bearer realm=\"dps\"");
    return finish(std::move(outcome));
  }
  const std::string token = authorization.substr(7);
  absl::StatusOr<platform::CallerIdentity> caller = authenticator_.Authenticate(token);
  if (!caller.ok()) {
    Outcome outcome{ProblemResponse(request, ProblemFromStatus(caller.status()), request_id),
                    "unauthenticated",
                    {}};
    outcome.response.set(http::field::www_authenticate,
                         "Bearer realm=\"dps\", error=\"invalid_token\"");
    return finish(std::move(outcome));
  }
  if (const absl::Duration wait =
          limiter_.Take(absl::StrCat(caller->organisation_id, "/", caller->user_id));
      wait > absl::ZeroDuration()) {
    Outcome outcome{ProblemResponse(request,
                                    Simple(429, "RESOURCE_EXHAUSTED",
                                           "too many requests from this caller; retry after the "
                                           "time in Retry-After"),
                                    request_id),
                    "rate-limited", *caller};
    outcome.response.set(http::field::retry_after,
                         std::to_string(static_cast<int64_t>(
                             std::ceil(std::max(1.0, absl::ToDoubleSeconds(wait))))));
    return finish(std::move(outcome));
  }

  const std::optional<RouteMatch> match = routes_.Find(request.method(), path);
  if (!match.has_value()) {
    if (routes_.PathExists(path)) {
      return finish({ProblemResponse(request,
                                     Simple(405, "INVALID_ARGUMENT",
                                            absl::StrCat(std::string(request.method_string()),
                                                         " is not served at this path")),
                                     request_id),
                     "no-route", *caller});
    }
    return finish(
        {ProblemResponse(request, Simple(404, "NOT_FOUND", "no resource at this path"), request_id),
         "no-route", *caller});
  }
  const Route& route = *match->route;
  const std::string content_type = HeaderOf(request, http::field::content_type);
  const std::string idempotency_key = HeaderOf(request, "Idempotency-Key");
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> message =
      BuildRequest(*match, {.query = QueryOf(request),
                            .body = request.body(),
                            .content_type = content_type,
                            .idempotency_key = idempotency_key});
  if (!message.ok()) {
    return finish({ProblemResponse(request, ProblemFor(&route, message.status()), request_id),
                   route.Label(), *caller});
  }
  absl::StatusOr<std::string> backend = BackendOf(route, **message);
  if (!backend.ok()) {
    return finish({ProblemResponse(request, ProblemFor(&route, backend.status()), request_id),
                   route.Label(), *caller});
  }

  // The request's version and keep-alive outlive this call; its body does not need to.
  auto shell = std::make_shared<Request>(request.method(), request.target(), request.version());
  shell->keep_alive(request.keep_alive());
  const platform::CallerIdentity who = *caller;
  backends_.Call(
      {.backend = *backend,
       .grpc_method = route.grpc_method,
       .request = message->get(),
       .reply_type = route.rpc->output_type(),
       .server_streaming = route.rpc->server_streaming(),
       .bearer_token = token,
       .request_id = request_id,
       .timeout = options_.backend_timeout},
      [shell, request_id, &route, who, finish](absl::StatusOr<Replies> replies) {
        if (!replies.ok()) {
          return finish({ProblemResponse(*shell, ProblemFor(&route, replies.status()), request_id),
                         route.Label(), who});
        }
        if (route.rpc->server_streaming()) {
          std::string lines;
          for (const auto& reply : *replies) {
            absl::StatusOr<std::string> line = RenderStreamItem(*reply);
            if (!line.ok()) {
              return finish(
                  {ProblemResponse(*shell, ProblemFor(nullptr, line.status()), request_id),
                   route.Label(), who});
            }
            lines += *line;
          }
          return finish({Answer(*shell, http::status::ok, std::move(lines), request_id,
                                "application/x-ndjson"),
                         route.Label(), who});
        }
        absl::StatusOr<HttpBody> body = RenderReply(route, *replies->front());
        if (!body.ok()) {
          return finish({ProblemResponse(*shell, ProblemFor(nullptr, body.status()), request_id),
                         route.Label(), who});
        }
        finish({Answer(*shell, http::status::ok, std::move(body->body), request_id,
                       body->content_type),
                route.Label(), who});
      });
}

}  // namespace dps::gateway
