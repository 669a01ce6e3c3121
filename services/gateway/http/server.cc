#include "services/gateway/http/server.h"

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "platform/grpc/server.h"
#include "platform/log/log.h"
#include "services/gateway/http/problem.h"

namespace dps::gateway {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using dps::platform::Log;
using dps::platform::LogLevel;

struct HttpServer::State {
  State(net::io_context& io, tcp::acceptor a, std::shared_ptr<const Router> r, HttpServerOptions o)
      : io_context(io), acceptor(std::move(a)), router(std::move(r)), options(o) {}
  net::io_context& io_context;
  tcp::acceptor acceptor;
  std::shared_ptr<const Router> router;
  HttpServerOptions options;
  std::atomic<bool> draining{false};
  std::atomic<int> in_flight{0};
  prometheus::Family<prometheus::Counter>* requests = nullptr;
  prometheus::Family<prometheus::Histogram>* latency = nullptr;
};

std::string RequestIdFor(std::string_view given) {
  // The services apply the same rule to ids that reach them by another way than the gateway.
  return dps::platform::BoundedRequestId(absl::string_view(given.data(), given.size()));
}

namespace {

// One connection: read a request, answer it, repeat while keep-alive holds.
class Session final : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<HttpServer::State> state)
      : stream_(std::move(socket)), state_(std::move(state)) {
    beast::error_code ec;
    const tcp::endpoint remote = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = remote.address().to_string();
  }

  void Run() {
    // Start on the connection's strand so its handlers never run concurrently.
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::DoRead, shared_from_this()));
  }

 private:
  // Reading the request line and headers: the first request must arrive within the header
  // timeout; a kept-alive connection may wait the idle timeout for its next one.
  void DoRead() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(state_->options.header_limit));
    parser_->body_limit(state_->options.body_limit);  // to prevent abuse by huge bodies
    stream_.expires_after(served_ == 0 ? state_->options.header_timeout
                                       : state_->options.idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    if (ec == http::error::header_limit) {
      return Refuse(431, absl::StrCat("headers: must be at most ", state_->options.header_limit,
                                      " bytes in all"));
    }
    if (ec == http::error::body_limit) {
      return Refuse(413,
                    absl::StrCat("body: must be at most ", state_->options.body_limit, " bytes"));
    }
    if (ec) return Close();  // end of stream, timeout, reset: the connection is done
    if (state_->draining.load()) {
      return Refuse(503, "the gateway is stopping; retry on a new connection");
    }
    if (parser_->is_done()) return Dispatch();
    // The body has its own deadline; a client that promised a body must send it.
    stream_.expires_after(state_->options.body_timeout);
    const auto expect = parser_->get().find(http::field::expect);
    if (expect != parser_->get().end() &&
        absl::EqualsIgnoreCase(absl::string_view(expect->value().data(), expect->value().size()),
                               "100-continue")) {
      auto interim =
          std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      return http::async_write(
          stream_, *interim,
          [self = shared_from_this(), interim](beast::error_code ec, std::size_t) {
            if (ec) return self->Close();
            self->ReadBody();
          });
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnBody, shared_from_this()));
  }

  void OnBody(beast::error_code ec, std::size_t) {
    if (ec == http::error::body_limit) {
      return Refuse(413,
                    absl::StrCat("body: must be at most ", state_->options.body_limit, " bytes"));
    }
    if (ec) return Close();
    Dispatch();
  }

  void Dispatch() {
    stream_.expires_never();  // the backend call has its own deadline
    start_ = std::chrono::steady_clock::now();
    state_->in_flight.fetch_add(1);
    Request request = parser_->release();
    bytes_in_ = request.body().size();
    method_ = std::string(request.method_string());
    const std::string_view target(request.target().data(), request.target().size());
    path_ = std::string(target.substr(0, target.find('?')));
    const auto given = request.find("X-Request-Id");
    request_id_ = RequestIdFor(
        given == request.end() ? std::string_view()
                               : std::string_view(given->value().data(), given->value().size()));
    state_->router->Handle(std::move(request), request_id_,
                           [self = shared_from_this()](Outcome outcome) {
                             auto shared = std::make_shared<Outcome>(std::move(outcome));
                             net::post(self->stream_.get_executor(),
                                       [self, shared] { self->OnAnswer(std::move(*shared)); });
                           });
  }

  void OnAnswer(Outcome outcome) {
    state_->in_flight.fetch_sub(1);
    ++served_;
    const int status = outcome.response.result_int();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    // One line per request: never the body, the query string or the token.
    Log(LogLevel::kInfo, "http request",
        {{"method", method_},
         {"route", outcome.route},
         {"path", path_.substr(0, 256)},
         {"status", std::to_string(status)},
         {"ms", absl::StrFormat("%.3f", seconds * 1000)},
         {"request_id", request_id_},
         {"user", outcome.caller.user_id},
         {"role", outcome.caller.role == 0 ? "" : dps::common::v1::Role_Name(outcome.caller.role)},
         {"organisation", outcome.caller.organisation_id},
         {"remote", remote_},
         {"bytes_in", std::to_string(bytes_in_)},
         {"bytes_out", std::to_string(outcome.response.body().size())}});
    if (state_->requests != nullptr) {
      state_->requests
          ->Add({{"route", outcome.route}, {"method", method_}, {"code", std::to_string(status)}})
          .Increment();
      state_->latency
          ->Add({{"route", outcome.route}},
                prometheus::Histogram::BucketBoundaries{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                        0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10})
          .Observe(seconds);
    }
    if (state_->draining.load()) outcome.response.keep_alive(false);
    Write(std::move(outcome.response));
  }

  // Answers a request refused before it was read whole, then closes the connection.
  void Refuse(int status, std::string detail) {
    Request shell{http::verb::get, "/", 11};
    shell.keep_alive(false);
    Problem problem{.status = status,
                    .code = status == 503 ? "UNAVAILABLE" : "INVALID_ARGUMENT",
                    .detail = std::move(detail)};
    Response response = ProblemResponse(shell, problem, RequestIdFor(""));
    response.keep_alive(false);
    Log(LogLevel::kInfo, "http request refused",
        {{"status", std::to_string(status)}, {"remote", remote_}, {"detail", problem.detail}});
    if (state_->requests != nullptr) {
      state_->requests
          ->Add({{"route", "refused"}, {"method", ""}, {"code", std::to_string(status)}})
          .Increment();
    }
    Write(std::move(response));
  }

  void Write(Response response) {
    auto shared = std::make_shared<Response>(std::move(response));
    stream_.expires_after(std::chrono::seconds(30));
    http::async_write(stream_, *shared,
                      [self = shared_from_this(), shared](beast::error_code ec, std::size_t) {
                        self->OnWrite(shared->need_eof(), ec);
                      });
  }

  void OnWrite(bool close, beast::error_code ec) {
    if (ec || close) return Close();
    DoRead();
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<HttpServer::State> state_;
  std::string remote_;
  int served_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::size_t bytes_in_ = 0;
  std::string method_;
  std::string path_;
  std::string request_id_;
};

// Accepts connections and starts a session for each, until the server drains.
class Listener final : public std::enable_shared_from_this<Listener> {
 public:
  explicit Listener(std::shared_ptr<HttpServer::State> state) : state_(std::move(state)) {}

  void DoAccept() {
    state_->acceptor.async_accept(
        net::make_strand(state_->io_context),
        beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
  }

 private:
  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || state_->draining.load()) return;
    if (!ec) std::make_shared<Session>(std::move(socket), state_)->Run();
    DoAccept();
  }

  std::shared_ptr<HttpServer::State> state_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(net::io_context& io_context,
                                                              const tcp::endpoint& endpoint,
                                                              std::shared_ptr<const Router> router,
                                                              HttpServerOptions options,
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
  std::unique_ptr<HttpServer> server(new HttpServer());
  server->port_ = acceptor.local_endpoint().port();
  server->state_ =
      std::make_shared<State>(io_context, std::move(acceptor), std::move(router), options);
  if (registry != nullptr) {
    server->state_->requests = &prometheus::BuildCounter()
                                    .Name("dps_http_requests_total")
                                    .Help("HTTP requests answered, by route template and status")
                                    .Register(*registry);
    server->state_->latency = &prometheus::BuildHistogram()
                                   .Name("dps_http_request_seconds")
                                   .Help("Time to answer an HTTP request, by route template")
                                   .Register(*registry);
  }
  std::make_shared<Listener>(server->state_)->DoAccept();
  return server;
}

HttpServer::~HttpServer() = default;

void HttpServer::Drain() {
  state_->draining.store(true);
  net::post(state_->acceptor.get_executor(), [state = state_] {
    beast::error_code ignored;
    state->acceptor.close(ignored);
  });
}

int HttpServer::in_flight() const { return state_->in_flight.load(); }

}  // namespace dps::gateway
