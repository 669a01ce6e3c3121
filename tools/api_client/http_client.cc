#include "tools/api_client/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "absl/strings/ascii.h"

namespace dps::api_client {

namespace http = boost::beast::http;

nlohmann::json HttpResult::Json() const {
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  return parsed.is_discarded() ? nlohmann::json() : parsed;
}

std::string HttpResult::Header(const std::string& name) const {
  const auto it = headers.find(absl::AsciiStrToLower(name));
  return it == headers.end() ? "" : it->second;
}

HttpResult Http(int port, const std::string& method, const std::string& target,
                const Headers& headers, const std::string& body) {
  HttpResult result;
  try {
    boost::asio::io_context io;
    boost::beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(60));
    stream.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
    http::request<http::string_body> request{http::string_to_verb(method), target, 11};
    request.set(http::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) request.set(name, value);
    request.body() = body;
    if (!body.empty() || method == "POST" || method == "PUT") request.prepare_payload();
    http::write(stream, request);
    boost::beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(256 << 20);
    http::read(stream, buffer, parser);
    const auto& response = parser.get();
    result.status = response.result_int();
    for (const auto& field : response) {
      result.headers[absl::AsciiStrToLower(std::string(field.name_string()))] =
          std::string(field.value());
    }
    result.body = response.body();
  } catch (const std::exception&) {
    result.status = 0;
  }
  return result;
}

HttpResult Api(int port, const std::string& token, const std::string& method,
               const std::string& target, const std::string& body, const Headers& headers) {
  Headers all = headers;
  if (!token.empty()) all.emplace_back("Authorization", "Bearer " + token);
  if (!body.empty()) all.emplace_back("Content-Type", "application/json");
  return Http(port, method, target, all, body);
}

}  // namespace dps::api_client
