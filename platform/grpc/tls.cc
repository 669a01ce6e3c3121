#include "platform/grpc/tls.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace dps::platform {
namespace {

constexpr char kCertFlag[] = "grpc-tls-cert-file";
constexpr char kKeyFlag[] = "grpc-tls-key-file";
constexpr char kCaFlag[] = "grpc-tls-ca-file";

absl::StatusOr<std::string> ReadPem(const std::string& flag, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat(flag, ": cannot read '", path, "'"));
  std::stringstream text;
  text << in.rdbuf();
  if (text.str().find("-----BEGIN ") == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": '", path, "' holds no PEM block (-----BEGIN ...)"));
  }
  return text.str();
}

}  // namespace

std::vector<Setting> GrpcTlsSettings() {
  return {{kCertFlag, "DPS_GRPC_TLS_CERT_FILE", "", SettingKind::kString, false,
           "PEM certificate chain for gRPC over TLS (empty: plaintext)"},
          {kKeyFlag, "DPS_GRPC_TLS_KEY_FILE", "", SettingKind::kString, false,
           "PEM private key of that certificate"},
          {kCaFlag, "DPS_GRPC_TLS_CA_FILE", "", SettingKind::kString, false,
           "PEM CA that signs every DPS process's certificate (set: mutual TLS)"}};
}

absl::StatusOr<GrpcTls> LoadGrpcTls(const GrpcTlsFiles& files) {
  GrpcTls tls;
  const bool has_cert = !files.cert_file.empty();
  const bool has_key = !files.key_file.empty();
  const bool has_ca = !files.ca_file.empty();
  if (!has_cert && !has_key && !has_ca) {
    tls.server = grpc::InsecureServerCredentials();
    tls.client = grpc::InsecureChannelCredentials();
    return tls;
  }
  if (has_cert != has_key) {
    return absl::InvalidArgumentError(
        absl::StrCat(has_cert ? kKeyFlag : kCertFlag, ": required when ",
                     has_cert ? kCertFlag : kKeyFlag, " is set (a certificate needs its key)"));
  }
  if (!has_cert) {
    return absl::InvalidArgumentError(absl::StrCat(
        kCertFlag, ": required when ", kCaFlag, " is set (mutual TLS needs our own certificate)"));
  }
  absl::StatusOr<std::string> cert = ReadPem(kCertFlag, files.cert_file);
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadPem(kKeyFlag, files.key_file);
  if (!key.ok()) return key.status();
  std::string ca;
  if (has_ca) {
    absl::StatusOr<std::string> read = ReadPem(kCaFlag, files.ca_file);
    if (!read.ok()) return read.status();
    ca = *std::move(read);
  }

  grpc::SslServerCredentialsOptions server_options(
      has_ca ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
             : GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  server_options.pem_root_certs = ca;
  server_options.pem_key_cert_pairs.push_back({*key, *cert});
  tls.server = grpc::SslServerCredentials(server_options);

  grpc::SslCredentialsOptions client_options;
  client_options.pem_root_certs = ca;  // empty: the system's trust store
  client_options.pem_private_key = *key;
  client_options.pem_cert_chain = *cert;
  tls.client = grpc::SslCredentials(client_options);
  tls.enabled = true;
  return tls;
}

absl::StatusOr<GrpcTls> LoadGrpcTls(const Config& config) {
  return LoadGrpcTls(GrpcTlsFiles{.cert_file = config.String(kCertFlag),
                                  .key_file = config.String(kKeyFlag),
                                  .ca_file = config.String(kCaFlag)});
}

absl::StatusOr<GrpcTls> LoadGrpcTlsFromEnvironment() {
  auto env = [](const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
  };
  return LoadGrpcTls(GrpcTlsFiles{.cert_file = env("DPS_GRPC_TLS_CERT_FILE"),
                                  .key_file = env("DPS_GRPC_TLS_KEY_FILE"),
                                  .ca_file = env("DPS_GRPC_TLS_CA_FILE")});
}

std::shared_ptr<grpc::ChannelCredentials> ToolChannelCredentials(const std::string& program) {
  absl::StatusOr<GrpcTls> tls = LoadGrpcTlsFromEnvironment();
  if (!tls.ok()) ExitWithStartupError(program, tls.status());
  return tls->client;
}

}  // namespace dps::platform
