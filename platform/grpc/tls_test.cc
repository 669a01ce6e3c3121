// gRPC over TLS with real certificates: openssl makes a CA, a certificate for the server and one
// for the client (as cert-manager would in a cluster), and a stranger CA whose certificates must
// be refused.
#include "platform/grpc/tls.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/testing/echo.grpc.pb.h"  // generated from platform/grpc/testing/echo.proto
#include "platform/grpc/channel.h"
#include "platform/grpc/client.h"
#include "platform/grpc/server.h"

namespace dps::platform {
namespace {

class EchoService final : public testing::Echo::Service {
 public:
  grpc::Status Call(grpc::ServerContext* context, const testing::EchoRequest*,
                    testing::EchoResponse* response) override {
    response->set_request_id(RequestIdOf(*context));
    return grpc::Status::OK;
  }
};

void Run(const std::string& command) {
  INFO(command);
  REQUIRE(std::system((command + " >/dev/null 2>&1").c_str()) == 0);
}

// A folder of PEM files: ca, server and client signed by ca; stranger-ca and stranger signed by
// it. Removed when the test ends.
class Certificates {
 public:
  Certificates() {
    char pattern[] = "/tmp/dps-tls-test.XXXXXX";
    REQUIRE(mkdtemp(pattern) != nullptr);
    dir_ = pattern;
    std::ofstream(Path("leaf.ext")) << "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                                    << "extendedKeyUsage=serverAuth,clientAuth\n";
    MakeCa("ca");
    MakeCa("stranger-ca");
    MakeLeaf("server", "ca");
    MakeLeaf("client", "ca");
    MakeLeaf("stranger", "stranger-ca");
  }
  ~Certificates() { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return absl::StrCat(dir_, "/", name); }
  GrpcTlsFiles Files(const std::string& leaf, const std::string& ca) const {
    return {.cert_file = Path(leaf + ".pem"),
            .key_file = Path(leaf + ".key"),
            .ca_file = ca.empty() ? "" : Path(ca + ".pem")};
  }
  std::string Read(const std::string& name) const {
    std::ifstream in(Path(name));
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  void MakeCa(const std::string& name) {
    Run(absl::StrCat("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes",
                     " -days 2 -subj /CN=", name, " -keyout ", Path(name + ".key"), " -out ",
                     Path(name + ".pem"), " -addext basicConstraints=critical,CA:TRUE",
                     " -addext keyUsage=critical,keyCertSign,cRLSign"));
  }
  void MakeLeaf(const std::string& name, const std::string& ca) {
    Run(absl::StrCat("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes",
                     " -subj /CN=dps-", name, " -keyout ", Path(name + ".key"), " -out ",
                     Path(name + ".csr")));
    Run(absl::StrCat("openssl x509 -req -days 2 -in ", Path(name + ".csr"), " -CA ",
                     Path(ca + ".pem"), " -CAkey ", Path(ca + ".key"), " -CAcreateserial -out ",
                     Path(name + ".pem"), " -extfile ", Path("leaf.ext")));
  }
  std::string dir_;
};

grpc::Status CallEcho(const std::shared_ptr<grpc::Channel>& channel, std::string* request_id) {
  auto stub = testing::Echo::NewStub(channel);
  grpc::ClientContext context;
  PrepareClientContext("over-tls", absl::Seconds(5), &context);
  testing::EchoResponse response;
  grpc::Status status = stub->Call(&context, {}, &response);
  if (request_id != nullptr) *request_id = response.request_id();
  return status;
}

bool HealthServing(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  PrepareClientContext("", absl::Seconds(5), &context);
  grpc::health::v1::HealthCheckResponse response;
  return stub->Check(&context, {}, &response).ok() &&
         response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
}

TEST_CASE("with certificates configured, services talk mutual TLS and refuse anything else") {
  Certificates certs;
  absl::StatusOr<GrpcTls> server_tls = LoadGrpcTls(certs.Files("server", "ca"));
  REQUIRE(server_tls.ok());
  CHECK(server_tls->enabled);
  EchoService service;
  absl::StatusOr<GrpcServer> server =
      StartGrpcServer("127.0.0.1:0", {&service}, nullptr,
                      {.credentials = server_tls->server, .health_address = "127.0.0.1:0"});
  REQUIRE(server.ok());
  const std::string target = absl::StrCat("localhost:", server->port);

  // A peer with its own certificate from the same CA: the call goes through, metadata and all.
  absl::StatusOr<GrpcTls> client_tls = LoadGrpcTls(certs.Files("client", "ca"));
  REQUIRE(client_tls.ok());
  std::string request_id;
  const grpc::Status ok =
      CallEcho(CreatePeerChannel(target, client_tls->client, nullptr), &request_id);
  INFO(ok.error_message());
  REQUIRE(ok.ok());
  CHECK(request_id == "over-tls");

  // Plaintext is refused on the TLS port.
  CHECK(CallEcho(CreatePeerChannel(target, grpc::InsecureChannelCredentials(), nullptr), nullptr)
            .error_code() == grpc::StatusCode::UNAVAILABLE);
  // So is a client that trusts the CA but shows no certificate of its own.
  grpc::SslCredentialsOptions anonymous;
  anonymous.pem_root_certs = certs.Read("ca.pem");
  CHECK(
      !CallEcho(CreatePeerChannel(target, grpc::SslCredentials(anonymous), nullptr), nullptr).ok());
  // And one whose certificate another CA signed.
  absl::StatusOr<GrpcTls> stranger = LoadGrpcTls(certs.Files("stranger", "ca"));
  REQUIRE(stranger.ok());
  CHECK(!CallEcho(CreatePeerChannel(target, stranger->client, nullptr), nullptr).ok());
  // A client that trusts only another CA does not accept our server.
  absl::StatusOr<GrpcTls> wrong_trust = LoadGrpcTls(certs.Files("stranger", "stranger-ca"));
  REQUIRE(wrong_trust.ok());
  CHECK(!CallEcho(CreatePeerChannel(target, wrong_trust->client, nullptr), nullptr).ok());

  // The plaintext health listener (for Kubernetes' probes) answers health and only health, and
  // follows the server's status.
  REQUIRE(server->health_port > 0);
  auto plain = CreatePeerChannel(absl::StrCat("127.0.0.1:", server->health_port),
                                 grpc::InsecureChannelCredentials(), nullptr);
  CHECK(HealthServing(plain));
  CHECK(CallEcho(plain, nullptr).error_code() == grpc::StatusCode::UNIMPLEMENTED);
  server->health->SetServing(false);
  CHECK_FALSE(HealthServing(plain));
  CHECK_FALSE(HealthServing(CreatePeerChannel(target, client_tls->client, nullptr)));
  server->Shutdown(std::chrono::system_clock::now());
}

TEST_CASE("TLS without a CA: the server shows its certificate and asks none of the client") {
  Certificates certs;
  absl::StatusOr<GrpcTls> server_tls = LoadGrpcTls(certs.Files("server", ""));
  REQUIRE(server_tls.ok());
  EchoService service;
  absl::StatusOr<GrpcServer> server =
      StartGrpcServer("127.0.0.1:0", {&service}, nullptr, {.credentials = server_tls->server});
  REQUIRE(server.ok());
  grpc::SslCredentialsOptions trusting;
  trusting.pem_root_certs = certs.Read("ca.pem");
  CHECK(CallEcho(CreatePeerChannel(absl::StrCat("localhost:", server->port),
                                   grpc::SslCredentials(trusting), nullptr),
                 nullptr)
            .ok());
  server->Shutdown(std::chrono::system_clock::now());
}

TEST_CASE("no TLS setting means plaintext") {
  absl::StatusOr<GrpcTls> tls = LoadGrpcTls(GrpcTlsFiles{});
  REQUIRE(tls.ok());
  CHECK_FALSE(tls->enabled);
  EchoService service;
  absl::StatusOr<GrpcServer> server =
      StartGrpcServer("127.0.0.1:0", {&service}, nullptr, {.credentials = tls->server});
  REQUIRE(server.ok());
  CHECK(CallEcho(CreatePeerChannel(absl::StrCat("127.0.0.1:", server->port), tls->client, nullptr),
                 nullptr)
            .ok());
  server->Shutdown(std::chrono::system_clock::now());
}

TEST_CASE("incomplete or unreadable TLS settings are refused, naming the setting") {
  Certificates certs;
  auto message = [](const GrpcTlsFiles& files) {
    absl::StatusOr<GrpcTls> tls = LoadGrpcTls(files);
    REQUIRE_FALSE(tls.ok());
    CHECK(absl::IsInvalidArgument(tls.status()));
    return std::string(tls.status().message());
  };
  CHECK(message({.cert_file = certs.Path("server.pem")}) ==
        "grpc-tls-key-file: required when grpc-tls-cert-file is set (a certificate needs its "
        "key)");
  CHECK(message({.key_file = certs.Path("server.key")}) ==
        "grpc-tls-cert-file: required when grpc-tls-key-file is set (a certificate needs its "
        "key)");
  CHECK(message({.ca_file = certs.Path("ca.pem")}) ==
        "grpc-tls-cert-file: required when grpc-tls-ca-file is set (mutual TLS needs our own "
        "certificate)");
  CHECK(message({.cert_file = "/nonexistent/server.pem", .key_file = certs.Path("server.key")}) ==
        "grpc-tls-cert-file: cannot read '/nonexistent/server.pem'");
  CHECK(message({.cert_file = certs.Path("server.pem"), .key_file = certs.Path("leaf.ext")}) ==
        absl::StrCat("grpc-tls-key-file: '", certs.Path("leaf.ext"),
                     "' holds no PEM block (-----BEGIN ...)"));
}

}  // namespace
}  // namespace dps::platform
