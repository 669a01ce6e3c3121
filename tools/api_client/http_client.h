// A plain HTTP/1.1 client for the system tests and the demo loader: one request on a new
// connection, the whole answer back. They speak to the gateway through it exactly as an
// integrator's client would.
#ifndef DPS_TOOLS_API_CLIENT_HTTP_CLIENT_H_
#define DPS_TOOLS_API_CLIENT_HTTP_CLIENT_H_

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dps::api_client {

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  nlohmann::json Json() const;
  std::string Header(const std::string& name) const;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// Sends one request to 127.0.0.1:port and reads the answer (status 0 when the connection failed
// or closed without one).
HttpResult Http(int port, const std::string& method, const std::string& target,
                const Headers& headers = {}, const std::string& body = "");

// The same with `Authorization: Bearer <token>` and, for a body, `Content-Type:
// application/json`.
HttpResult Api(int port, const std::string& token, const std::string& method,
               const std::string& target, const std::string& body = "",
               const Headers& headers = {});

}  // namespace dps::api_client

#endif  // DPS_TOOLS_API_CLIENT_HTTP_CLIENT_H_
