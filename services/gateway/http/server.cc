#include "services/gateway/http/server.h"

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <atomic>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "platform/log/log.h"
#include "services/gateway/http/problem.h"

namespace dps::gateway {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using dps::platform::Log;
using dps::platform::LogLevel;

struct HttpMetrics {
  prometheus::Family<prometheus::Counter>* requests = nullptr;
  prometheus::Family<prometheus::Histogram>* latency = nullptr;
};

// A caller's X-Request-Id is kept if it is short and printable; otherwise we make one.
std::string RequestIdFor(const Request& request) {
  const auto given = request.find("X-Request-Id");
  if (given != request.end() && !given->value().empty() && given->value().size() <= 64) {
    bool printable = true;
    for (char c : given->value()) printable = printable && c > 32 && c < 127;
    if (printable) return std::string(given->value());
  }
  thread_local std::mt19937_64 random{std::random_device{}()};
  return absl::StrFormat("%016x%016x", random(), random());
}

// One connection: read a request, answer it, repeat while keep-alive holds.
class Session final : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<const Router> router, HttpServerOptions options,
          std::shared_ptr<HttpMetrics> metrics)
      : stream_(std::move(socket)),
        router_(std::move(router)),
        options_(options),
        metrics_(std::move(metrics)) {}

  void Run() {
    // Start on the connection's strand so handlers never run concurrently.
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::DoRead, shared_from_this()));
  }

 private:
  void DoRead() {
    parser_.emplace();
    parser_->body_limit(options_.body_limit);  // to prevent abuse by huge bodies
    stream_.expires_after(std::chrono::seconds(options_.read_timeout_seconds));
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream) return Close();
    if (ec == http::error::body_limit) {
      Request request;
      request.version(11);
      request.keep_alive(false);
      return Write(
          PlainProblem(request, 413, "Payload Too Large",
                       absl::StrCat("body: must be at most ", options_.body_limit, " bytes")),
          "", std::chrono::steady_clock::now());
    }
    if (ec) return;  // timeout or reset: the connection is gone
    const auto start = std::chrono::steady_clock::now();
    Request request = parser_->release();
    const std::string request_id = RequestIdFor(request);
    Response response = router_->Handle(request, request_id);
    Log(LogLevel::kInfo, "http request",
        {{"method", std::string(request.method_string())},
         {"path", std::string(request.target().substr(0, request.target().find('?')))},
         {"status", std::to_string(response.result_int())},
         {"request_id", request_id}});
    Write(std::move(response), RouteLabel(request), start);
  }

  static std::string RouteLabel(const Request& request) {
    const std::string_view target(request.target().data(), request.target().size());
    if (target.starts_with("/healthz")) return "/healthz";
    if (target.starts_with("/readyz")) return "/readyz";
    return "other";  // bounded label values: never the raw path
  }

  static Response PlainProblem(const Request& request, int status, std::string title,
                               std::string detail) {
    Response response{static_cast<http::status>(status), request.version()};
    response.set(http::field::content_type, "application/problem+json");
    response.keep_alive(false);
    response.body() = ProblemJson({status, std::move(title), std::move(detail)}, "");
    response.prepare_payload();
    return response;
  }

  void Write(Response response, std::string route, std::chrono::steady_clock::time_point start) {
    auto shared = std::make_shared<Response>(std::move(response));
    if (metrics_ != nullptr && metrics_->requests != nullptr) {
      metrics_->requests->Add({{"route", route}, {"code", std::to_string(shared->result_int())}})
          .Increment();
      metrics_->latency
          ->Add({{"route", route}},
                prometheus::Histogram::BucketBoundaries{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                        0.05, 0.1, 0.25, 0.5, 1, 2.5})
          .Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    http::async_write(stream_, *shared,
                      [self = shared_from_this(), shared](beast::error_code ec, std::size_t) {
                        self->OnWrite(shared->need_eof(), ec);
                      });
  }

  void OnWrite(bool close, beast::error_code ec) {
    if (ec) return;
    if (close) return Close();
    DoRead();
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<const Router> router_;
  HttpServerOptions options_;
  std::shared_ptr<HttpMetrics> metrics_;
};

// Accepts connections and starts a session for each.
class Listener final : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& io_context, tcp::acceptor acceptor,
           std::shared_ptr<const Router> router, HttpServerOptions options,
           std::shared_ptr<HttpMetrics> metrics)
      : io_context_(io_context),
        acceptor_(std::move(acceptor)),
        router_(std::move(router)),
        options_(options),
        metrics_(std::move(metrics)) {}

  void DoAccept() {
    acceptor_.async_accept(net::make_strand(io_context_),
                           beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
  }

 private:
  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) return;
    if (!ec) std::make_shared<Session>(std::move(socket), router_, options_, metrics_)->Run();
    DoAccept();
  }

  net::io_context& io_context_;
  tcp::acceptor acceptor_;
  std::shared_ptr<const Router> router_;
  HttpServerOptions options_;
  std::shared_ptr<HttpMetrics> metrics_;
};

}  // namespace

absl::StatusOr<int> StartHttpServer(net::io_context& io_context, const tcp::endpoint& endpoint,
                                    std::shared_ptr<const Router> router, HttpServerOptions options,
                                    prometheus::Registry* registry) {
  beast::error_code ec;
  tcp::acceptor acceptor(net::make_strand(io_context));
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(absl::StrCat("gateway-address: cannot listen on ",
                                               endpoint.address().to_string(), ":", endpoint.port(),
                                               ": ", ec.message()));
  }
  const int port = acceptor.local_endpoint().port();
  auto metrics = std::make_shared<HttpMetrics>();
  if (registry != nullptr) {
    metrics->requests = &prometheus::BuildCounter()
                             .Name("dps_http_requests_total")
                             .Help("HTTP requests answered, by route and status")
                             .Register(*registry);
    metrics->latency = &prometheus::BuildHistogram()
                            .Name("dps_http_request_seconds")
                            .Help("Time to answer an HTTP request, by route")
                            .Register(*registry);
  }
  std::make_shared<Listener>(io_context, std::move(acceptor), std::move(router), options,
                             std::move(metrics))
      ->DoAccept();
  return port;
}

}  // namespace dps::gateway
