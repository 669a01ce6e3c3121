// The gateway's request handling as a plain function of the request: no sockets here, so it is
// tested without a server (router_test.cc).
#ifndef DPS_SERVICES_GATEWAY_HTTP_ROUTER_H_
#define DPS_SERVICES_GATEWAY_HTTP_ROUTER_H_

#include <boost/beast/http.hpp>
#include <functional>
#include <string>
#include <vector>

namespace dps::gateway {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// One backend the gateway depends on, for /readyz. serving is asked with the request id.
struct Backend {
  std::string name;
  std::function<bool(const std::string& request_id)> serving;
};

class Router final {
 public:
  explicit Router(std::vector<Backend> backends) : backends_(std::move(backends)) {}

  // Answers one request. request_id is echoed in X-Request-Id and every problem body.
  Response Handle(const Request& request, const std::string& request_id) const;

 private:
  Response Ready(const Request& request, const std::string& request_id) const;
  std::vector<Backend> backends_;
};

}  // namespace dps::gateway

#endif  // DPS_SERVICES_GATEWAY_HTTP_ROUTER_H_
