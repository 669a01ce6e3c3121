// gRPC over TLS between DPS processes, when certificates are configured.
//
// Three settings, shared by every process that serves or calls gRPC (GrpcTlsSettings()):
//
//   DPS_GRPC_TLS_CERT_FILE  this process's certificate chain (PEM)
//   DPS_GRPC_TLS_KEY_FILE   its private key (PEM)
//   DPS_GRPC_TLS_CA_FILE    the CA that signs every DPS process's certificate (PEM)
//
// None set: plaintext, as on one machine where everything listens on loopback. Cert and key set:
// the server speaks TLS; with the CA set too, it also asks for a client certificate signed by that
// CA (mutual TLS), and clients check the server's certificate against the CA and present their own
// certificate. Only one of cert and key, a CA without cert and key, or a file that cannot be read
// is a start-up error naming the setting.
//
//   absl::StatusOr<GrpcTls> tls = LoadGrpcTls(config);
//   StartGrpcServer(address, services, registry, {.credentials = tls->server});
//   CreatePeerChannel(target, tls->client, registry);   // channel.h
#ifndef DPS_PLATFORM_GRPC_TLS_H_
#define DPS_PLATFORM_GRPC_TLS_H_

#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "platform/config/config.h"

namespace dps::platform {

struct GrpcTlsFiles {
  std::string cert_file;
  std::string key_file;
  std::string ca_file;
};

struct GrpcTls {
  bool enabled = false;
  std::shared_ptr<grpc::ServerCredentials> server;
  std::shared_ptr<grpc::ChannelCredentials> client;
};

// The three settings above (flags grpc-tls-cert-file, grpc-tls-key-file, grpc-tls-ca-file).
std::vector<Setting> GrpcTlsSettings();

// Reads the files and builds both sides' credentials; plaintext ones when no file is named.
absl::StatusOr<GrpcTls> LoadGrpcTls(const GrpcTlsFiles& files);

// The same, from a Config loaded with GrpcTlsSettings().
absl::StatusOr<GrpcTls> LoadGrpcTls(const Config& config);

// The same, from the environment variables alone, for command-line tools that call a service
// (dps-health-probe, the demo-data loaders).
absl::StatusOr<GrpcTls> LoadGrpcTlsFromEnvironment();

// The client side of LoadGrpcTlsFromEnvironment(); on a bad setting prints
// "<program>: <error>" and exits with status 2, like a service's start-up.
std::shared_ptr<grpc::ChannelCredentials> ToolChannelCredentials(const std::string& program);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_GRPC_TLS_H_
