#include "services/gateway/api/backends.h"

#include <grpcpp/support/proto_buffer_reader.h>

#include "absl/strings/str_cat.h"
#include "platform/grpc/caller.h"
#include "platform/grpc/client.h"
#include "platform/grpc/status.h"

namespace dps::gateway {
namespace {

using google::protobuf::Message;

std::unique_ptr<Message> NewReply(const google::protobuf::Descriptor* type) {
  return std::unique_ptr<Message>(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
}

bool Parse(grpc::ByteBuffer& buffer, Message& message) {
  grpc::ProtoBufferReader reader(&buffer);
  return message.ParseFromZeroCopyStream(&reader);
}

void Prepare(const BackendCall& call, grpc::ClientContext& context) {
  platform::PrepareClientContext(call.request_id, call.timeout, &context);
  platform::AddBearerToken(context, call.bearer_token);
}

// One unary call: everything it needs lives here until gRPC is done with it, which OnDone
// signals (gRPC's rule: the reactor and its context may be deleted there and nowhere earlier).
class UnaryCall final : public grpc::ClientUnaryReactor {
 public:
  UnaryCall(const BackendCall& call, grpc::GenericStub& stub, grpc::ByteBuffer request,
            std::function<void(absl::StatusOr<Replies>)> done)
      : request_(std::move(request)), reply_type_(call.reply_type), done_(std::move(done)) {
    Prepare(call, context_);
    stub.PrepareUnaryCall(&context_, call.grpc_method, grpc::StubOptions(), &request_, &reply_,
                          this);
    StartCall();
  }

  // The call's gRPC objects are released before the caller hears the outcome, so a caller may
  // tear down the channel as soon as it has it.
  void OnDone(const grpc::Status& status) override {
    absl::StatusOr<Replies> outcome = Replies();
    if (!status.ok()) {
      outcome = platform::FromGrpcStatus(status);
    } else {
      std::unique_ptr<Message> reply = NewReply(reply_type_);
      if (!Parse(reply_, *reply)) {
        outcome = absl::InternalError("the reply from the service did not parse");
      } else {
        outcome->push_back(std::move(reply));
      }
    }
    std::function<void(absl::StatusOr<Replies>)> done = std::move(done_);
    delete this;
    done(std::move(outcome));
  }

 private:
  grpc::ClientContext context_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer reply_;
  const google::protobuf::Descriptor* reply_type_;
  std::function<void(absl::StatusOr<Replies>)> done_;
};

// One server-streaming call through the generic bidi reactor: write the request and close the
// sending side, then read until the server finishes. Deletes itself when gRPC is done.
class StreamCall final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  StreamCall(const BackendCall& call, grpc::GenericStub& stub, grpc::ByteBuffer request,
             std::function<void(absl::StatusOr<Replies>)> done)
      : request_(std::move(request)),
        reply_type_(call.reply_type),
        limit_(call.stream_byte_limit),
        done_(std::move(done)) {
    Prepare(call, context_);
    stub.PrepareBidiStreamingCall(&context_, call.grpc_method, grpc::StubOptions(), this);
    StartWriteLast(&request_, grpc::WriteOptions());
    StartRead(&reply_);
    StartCall();
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;  // the stream ended; OnDone follows
    bytes_ += reply_.Length();
    std::unique_ptr<Message> message = NewReply(reply_type_);
    if (bytes_ > limit_ || !Parse(reply_, *message)) {
      failure_ =
          bytes_ > limit_
              ? absl::ResourceExhaustedError(absl::StrCat("the reply is larger than ", limit_ >> 20,
                                                          " MiB; ask for a smaller range"))
              : absl::InternalError("a reply from the service did not parse");
      context_.TryCancel();
      return;
    }
    replies_.push_back(std::move(message));
    StartRead(&reply_);
  }

  void OnWriteDone(bool) override {}

  // As UnaryCall's: released first, then the caller told.
  void OnDone(const grpc::Status& status) override {
    absl::StatusOr<Replies> outcome = std::move(replies_);
    if (!failure_.ok()) {
      outcome = failure_;
    } else if (!status.ok()) {
      outcome = platform::FromGrpcStatus(status);
    }
    std::function<void(absl::StatusOr<Replies>)> done = std::move(done_);
    delete this;
    done(std::move(outcome));
  }

 private:
  grpc::ClientContext context_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer reply_;
  const google::protobuf::Descriptor* reply_type_;
  std::size_t limit_;
  std::size_t bytes_ = 0;
  Replies replies_;
  absl::Status failure_;
  std::function<void(absl::StatusOr<Replies>)> done_;
};

}  // namespace

Backends::Backends(const std::map<std::string, std::shared_ptr<grpc::Channel>>& channels,
                   prometheus::Registry* registry) {
  if (registry != nullptr) {
    calls_ = &prometheus::BuildCounter()
                  .Name("dps_gateway_backend_calls_total")
                  .Help("Calls the gateway made to the services, by backend, gRPC method and code")
                  .Register(*registry);
  }
  for (const auto& [name, channel] : channels) {
    Backend backend;
    backend.channel = channel;
    backend.stub = std::make_unique<grpc::GenericStub>(backend.channel);
    backends_.emplace(name, std::move(backend));
  }
}

void Backends::Call(const BackendCall& call, std::function<void(absl::StatusOr<Replies>)> done) {
  if (calls_ != nullptr) {
    // Counted when it ends, with the code it ended with.
    done = [done = std::move(done), calls = calls_, backend = call.backend,
            method = call.grpc_method](absl::StatusOr<Replies> replies) {
      calls
          ->Add({{"backend", backend},
                 {"method", method},
                 {"code", absl::StatusCodeToString(replies.status().code())}})
          .Increment();
      done(std::move(replies));
    };
  }
  const auto it = backends_.find(call.backend);
  if (it == backends_.end()) {
    done(absl::InternalError(absl::StrCat("no backend named ", call.backend)));
    return;
  }
  std::string bytes;
  if (!call.request->SerializeToString(&bytes)) {
    done(absl::InternalError("the request did not serialise"));
    return;
  }
  grpc::Slice slice(std::move(bytes));
  grpc::ByteBuffer request(&slice, 1);
  if (call.server_streaming) {
    new StreamCall(call, *it->second.stub, std::move(request), std::move(done));
    return;
  }
  new UnaryCall(call, *it->second.stub, std::move(request), std::move(done));
}

}  // namespace dps::gateway
