// The gateway's HTTP/1.1 server on Boost.Beast: the listener accepts, each session reads a
// request within its limits, hands it to the Router and writes the answer, then waits for the
// next one (keep-alive). Sessions decide nothing about a request; they enforce the transport's
// limits and keep the access log and the metrics.
//
// Limits, each answered before any work is done:
//   header larger than header_limit        -> 431, connection closed
//   body larger than body_limit            -> 413, connection closed without reading the rest
//   header not complete in header_timeout  -> connection closed (slow clients are cut off)
//   body not complete in body_timeout      -> connection closed
// Stopping (Drain): the listener stops accepting, requests being answered finish, a request
// arriving on a kept-alive connection is told 503 with Connection: close.
#ifndef DPS_SERVICES_GATEWAY_HTTP_SERVER_H_
#define DPS_SERVICES_GATEWAY_HTTP_SERVER_H_

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <memory>

#include "absl/status/statusor.h"
#include "services/gateway/http/router.h"

namespace prometheus {
class Registry;
}

namespace dps::gateway {

struct HttpServerOptions {
  std::size_t body_limit = 1 << 20;    // bytes
  std::size_t header_limit = 8 << 10;  // bytes, request line and headers together
  std::chrono::seconds header_timeout{10};
  std::chrono::seconds body_timeout{30};
  std::chrono::seconds idle_timeout{60};  // a kept-alive connection waiting for its next request
};

class HttpServer final {
 public:
  // Starts accepting on endpoint; the server lives as long as io_context runs.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(
      boost::asio::io_context& io_context, const boost::asio::ip::tcp::endpoint& endpoint,
      std::shared_ptr<const Router> router, HttpServerOptions options,
      prometheus::Registry* registry);
  ~HttpServer();

  int port() const { return port_; }
  // Stops accepting; new requests are refused. Returns at once.
  void Drain();
  // Requests read and not yet answered.
  int in_flight() const;

  struct State;

 private:
  HttpServer() = default;
  int port_ = 0;
  std::shared_ptr<State> state_;
};

// The request id to use: the caller's X-Request-Id when it is 1-64 characters of letters,
// digits, '-', '_', '.' or ':', else a new one.
std::string RequestIdFor(std::string_view given);

}  // namespace dps::gateway

#endif  // DPS_SERVICES_GATEWAY_HTTP_SERVER_H_
