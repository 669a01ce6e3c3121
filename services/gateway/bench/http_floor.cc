// http-floor: the least an HTTP server on Boost.Beast can do — accept, read a request, answer a
// fixed body, keep the connection — with the gateway's threading (one io_context, N threads,
// a strand per connection). `./dps bench gateway` measures it beside the gateway so the
// gateway's own cost is seen apart from what any Beast server costs on this machine.
//   http-floor PORT THREADS
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

const std::string kBody = R"({"id":"ref-1","state":"REFERRAL_STATE_OPEN"})";

class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(tcp::socket socket) : stream_(std::move(socket)) {}
  void Run() {
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::Read, shared_from_this()));
  }

 private:
  void Read() {
    request_ = {};
    http::async_read(stream_, buffer_, request_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }
  void OnRead(beast::error_code ec, std::size_t) {
    if (ec) return;
    response_ = http::response<http::string_body>(http::status::ok, request_.version());
    response_.set(http::field::content_type, "application/json");
    response_.keep_alive(request_.keep_alive());
    response_.body() = kBody;
    response_.prepare_payload();
    http::async_write(stream_, response_,
                      beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
  }
  void OnWrite(beast::error_code ec, std::size_t) {
    if (ec || !response_.keep_alive()) return;
    Read();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
};

void Accept(tcp::acceptor& acceptor, net::io_context& io) {
  acceptor.async_accept(net::make_strand(io), [&](beast::error_code ec, tcp::socket socket) {
    if (!ec) std::make_shared<Session>(std::move(socket))->Run();
    Accept(acceptor, io);
  });
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: http-floor PORT THREADS\n";
    return 2;
  }
  net::io_context io;
  tcp::acceptor acceptor(io, {net::ip::make_address("127.0.0.1"),
                              static_cast<unsigned short>(std::stoi(argv[1]))});
  Accept(acceptor, io);
  std::vector<std::thread> threads;
  for (int i = 0; i < std::stoi(argv[2]); ++i) threads.emplace_back([&] { io.run(); });
  for (auto& thread : threads) thread.join();
}
