// Calling the services behind the gateway with gRPC's generic stub, asynchronously: a call is
// started from the HTTP I/O thread and its completion runs on a gRPC thread, so a slow backend
// never holds an I/O thread. Each call carries the caller's own bearer token (every service
// verifies it again), the request id and a deadline.
#ifndef DPS_SERVICES_GATEWAY_API_BACKENDS_H_
#define DPS_SERVICES_GATEWAY_API_BACKENDS_H_

#include <google/protobuf/message.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace dps::gateway {

struct BackendCall {
  std::string backend;      // "referral"
  std::string grpc_method;  // "/dps.referral.v1.ReferralService/GetReferral"
  const google::protobuf::Message* request = nullptr;  // only read before Call returns
  const google::protobuf::Descriptor* reply_type = nullptr;
  bool server_streaming = false;
  std::string bearer_token;
  std::string request_id;
  absl::Duration timeout = absl::Seconds(30);
  std::size_t stream_byte_limit = 64 << 20;  // a stream that grows past this is cut off
};

// The replies: one for a unary call, each message of a stream in order.
using Replies = std::vector<std::unique_ptr<google::protobuf::Message>>;

class Backends final {
 public:
  // name -> a channel to each service. With a registry, every call is counted in
  // dps_gateway_backend_calls_total{backend, method, code}.
  explicit Backends(const std::map<std::string, std::shared_ptr<grpc::Channel>>& channels,
                    prometheus::Registry* registry = nullptr);

  // Starts the call and returns at once; `done` runs exactly once, on a gRPC thread (or inline
  // when the backend is unknown), with the replies or the backend's status.
  void Call(const BackendCall& call, std::function<void(absl::StatusOr<Replies>)> done);

 private:
  struct Backend {
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<grpc::GenericStub> stub;
  };
  std::map<std::string, Backend> backends_;
  prometheus::Family<prometheus::Counter>* calls_ = nullptr;
};

}  // namespace dps::gateway

#endif  // DPS_SERVICES_GATEWAY_API_BACKENDS_H_
