#include "services/scoring/bench/loopback.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "platform/auth/testing/test_identity.h"

namespace dps::scoring::bench {

grpc::ByteBuffer ToByteBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

BenchClient::BenchClient(const std::string& target, std::string token)
    : channel_(grpc::CreateChannel(target, grpc::InsecureChannelCredentials())),
      stub_(std::make_unique<grpc::GenericStub>(channel_)),
      authorization_("Bearer " + std::move(token)) {}

void BenchClient::Call(const std::string& method, const grpc::ByteBuffer& request,
                       grpc::ByteBuffer* response) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", authorization_);
  std::unique_ptr<grpc::GenericClientAsyncResponseReader> call =
      stub_->PrepareUnaryCall(&context, method, request, &queue_);
  call->StartCall();
  grpc::Status status;
  call->Finish(response, &status, this);
  void* tag = nullptr;
  bool ok = false;
  queue_.Next(&tag, &ok);
  if (!status.ok()) {
    std::fprintf(stderr, "%s failed: %s\n", method.c_str(), status.error_message().c_str());
    std::abort();
  }
}

// Reads the one request message, answers by method and finishes; deletes itself when gRPC is
// done, releasing the arena its request was parsed onto.
class YardstickService::Reactor final : public grpc::ServerGenericBidiReactor {
 public:
  Reactor(YardstickService* service, std::string method)
      : service_(service), method_(std::move(method)) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::OK);
      return;
    }
    if (method_ == kRowsFloorMethod) {
      Answer(service_->rows_arenas_, service_->rows_response_);
    } else if (method_ == kColumnsFloorMethod) {
      Answer(service_->columns_arenas_, service_->columns_response_);
    } else {
      StartWriteAndFinish(&service_->echo_response_, grpc::WriteOptions(), grpc::Status::OK);
    }
  }

  void OnDone() override {
    if (release_ != nullptr) release_();
    delete this;
  }

 private:
  template <typename Request, typename Response>
  void Answer(ArenaMessageAllocator<Request, Response>& arenas, const Response& answer) {
    grpc::MessageHolder<Request, Response>* holder = arenas.AllocateMessages();
    release_ = [holder] { holder->Release(); };
    bool own_buffer = false;
    if (!grpc::GenericDeserialize<grpc::ProtoBufferReader, Request>(&request_, holder->request())
             .ok() ||
        !grpc::GenericSerialize<grpc::ProtoBufferWriter, Response>(answer, &response_, &own_buffer)
             .ok()) {
      std::abort();
    }
    StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
  }

  YardstickService* service_;
  const std::string method_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  std::function<void()> release_;
};

grpc::ServerGenericBidiReactor* YardstickService::CreateReactor(
    grpc::GenericCallbackServerContext* context) {
  return new Reactor(this, context->method());
}

std::string TestToken() {
  return platform::auth::testing::TestIdentityProvider::Shared().TokenFor(
      {.user_id = "referral", .role = dps::common::v1::ROLE_SERVICE, .organisation_id = "dps"});
}

LoopbackServer::LoopbackServer()
    : scoring_(platform::auth::testing::TestIdentityProvider::Shared().authenticator()) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
  builder.RegisterService(&scoring_);
  builder.RegisterCallbackGenericService(&yardsticks_);
  server_ = builder.BuildAndStart();
}

std::string LoopbackServer::target() const { return absl::StrCat("127.0.0.1:", port_); }

}  // namespace dps::scoring::bench
