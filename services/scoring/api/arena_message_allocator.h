// A gRPC message allocator that puts each call's request and response on one protobuf Arena.
//
// A callback-API unary method (v1::ScoringService::CallbackService) normally gets its request and
// response from the heap, so every sub-message and string of a large request and response is one
// malloc and, when the call ends, one free: for a 100-bid Evaluate that is thousands of each, and
// it dominated the call's cost. On an arena they are carved from a few large blocks, which are
// released together when gRPC releases the call's messages. Register it with the generated
// SetMessageAllocatorFor_<Method>; it must outlive the server.
#ifndef DPS_SERVICES_SCORING_API_ARENA_MESSAGE_ALLOCATOR_H_
#define DPS_SERVICES_SCORING_API_ARENA_MESSAGE_ALLOCATOR_H_

#include <google/protobuf/arena.h>
#include <grpcpp/support/message_allocator.h>

#include <cstddef>

namespace dps::scoring {

template <typename Request, typename Response>
class ArenaMessageAllocator final : public grpc::MessageAllocator<Request, Response> {
 public:
  // `start_block_size` is the arena's first block and `max_block_size` the largest it grows to;
  // sizing them near a typical call's memory keeps a call to a handful of mallocs.
  ArenaMessageAllocator(size_t start_block_size, size_t max_block_size) {
    options_.start_block_size = start_block_size;
    options_.max_block_size = max_block_size;
  }

  grpc::MessageHolder<Request, Response>* AllocateMessages() override {
    return new Holder(options_);
  }

 private:
  class Holder final : public grpc::MessageHolder<Request, Response> {
   public:
    explicit Holder(const google::protobuf::ArenaOptions& options) : arena_(options) {
      this->set_request(google::protobuf::Arena::CreateMessage<Request>(&arena_));
      this->set_response(google::protobuf::Arena::CreateMessage<Response>(&arena_));
    }
    // gRPC calls this once it has sent the response; the arena frees both messages at once.
    void Release() override { delete this; }

   private:
    google::protobuf::Arena arena_;
  };

  google::protobuf::ArenaOptions options_;
};

}  // namespace dps::scoring

#endif  // DPS_SERVICES_SCORING_API_ARENA_MESSAGE_ALLOCATOR_H_
