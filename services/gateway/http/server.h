// The gateway's HTTP/1.1 server on Boost.Beast: the listener accepts, each session reads a
// request, hands it to the Router and writes the answer. Nothing else happens here.
#ifndef DPS_SERVICES_GATEWAY_HTTP_SERVER_H_
#define DPS_SERVICES_GATEWAY_HTTP_SERVER_H_

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "absl/status/statusor.h"
#include "services/gateway/http/router.h"

namespace prometheus {
class Registry;
}

namespace dps::gateway {

struct HttpServerOptions {
  std::size_t body_limit = 1 << 20;  // bytes; larger requests are refused (413)
  int read_timeout_seconds = 30;     // a client that sends nothing for this long is dropped
};

// Starts accepting on endpoint; returns the port bound (for port 0). The server lives as long
// as io_context runs.
absl::StatusOr<int> StartHttpServer(boost::asio::io_context& io_context,
                                    const boost::asio::ip::tcp::endpoint& endpoint,
                                    std::shared_ptr<const Router> router, HttpServerOptions options,
                                    prometheus::Registry* registry);

}  // namespace dps::gateway

#endif  // DPS_SERVICES_GATEWAY_HTTP_SERVER_H_
