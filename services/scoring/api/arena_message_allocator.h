// A gRPC message allocator that puts each call's request and response on one protobuf Arena.
//
// A callback-API unary method (v1::ScoringService::CallbackService) normally gets its request and
// response from the heap, so every sub-message and string of a large request and response is one
// malloc and, when the call ends, one free: for a 100-bid Evaluate that is thousands of each, and
// it dominated the call's cost. On an arena they are carved from a few large blocks, which are
// released together when gRPC releases the call's messages. Register it with the generated
// SetMessageAllocatorFor_<Method>; it must outlive the server.
//
// Each arena starts in a first block taken from a small pool and given back when the call's
// messages are released. A block of that size from malloc is above glibc's mmap threshold or
// trimmed from the heap's top on free, so without the pool every call paid a map and unmap and a
// page fault per 4 KB it touched; a pooled block is already mapped and usually still in cache.
#ifndef DPS_SERVICES_SCORING_API_ARENA_MESSAGE_ALLOCATOR_H_
#define DPS_SERVICES_SCORING_API_ARENA_MESSAGE_ALLOCATOR_H_

#include <google/protobuf/arena.h>
#include <grpcpp/support/message_allocator.h>

#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace dps::scoring {

struct ArenaBlockSizes {
  // The pooled first block: sized to hold a typical call, so most calls need no other block.
  size_t first_block = 128 * 1024;
  // Further blocks (calls that outgrow the first) double from there up to this size.
  size_t max_block = 256 * 1024;
  // First blocks kept for reuse: about the number of calls in flight at once. A call that finds
  // the pool empty allocates one, and a block released to a full pool is freed.
  size_t pooled_blocks = 8;
};

template <typename Request, typename Response>
class ArenaMessageAllocator final : public grpc::MessageAllocator<Request, Response> {
 public:
  explicit ArenaMessageAllocator(ArenaBlockSizes sizes = {}) : sizes_(sizes) {}

  grpc::MessageHolder<Request, Response>* AllocateMessages() override {
    return new Holder(this, TakeBlock());
  }

  // First blocks waiting in the pool (for tests).
  size_t pooled_block_count() const {
    absl::MutexLock lock(&mutex_);
    return free_blocks_.size();
  }

 private:
  using Block = std::unique_ptr<char[]>;

  class Holder final : public grpc::MessageHolder<Request, Response> {
   public:
    Holder(ArenaMessageAllocator* allocator, Block first_block)
        : allocator_(allocator),
          first_block_(std::move(first_block)),
          arena_(allocator->ArenaOptionsFor(first_block_.get())) {
      this->set_request(google::protobuf::Arena::CreateMessage<Request>(&arena_));
      this->set_response(google::protobuf::Arena::CreateMessage<Response>(&arena_));
    }

    // gRPC calls this once it has sent the response. The arena frees every message at once
    // (running its clean-ups, which live in the first block) before that block goes back.
    void Release() override {
      ArenaMessageAllocator* allocator = allocator_;
      Block first_block = std::move(first_block_);
      delete this;
      allocator->ReturnBlock(std::move(first_block));
    }

   private:
    ArenaMessageAllocator* allocator_;
    Block first_block_;
    google::protobuf::Arena arena_;
  };

  google::protobuf::ArenaOptions ArenaOptionsFor(char* first_block) const {
    google::protobuf::ArenaOptions options;
    options.initial_block = first_block;
    options.initial_block_size = sizes_.first_block;
    options.start_block_size = sizes_.first_block;
    options.max_block_size = sizes_.max_block;
    return options;
  }

  Block TakeBlock() {
    {
      absl::MutexLock lock(&mutex_);
      if (!free_blocks_.empty()) {
        Block block = std::move(free_blocks_.back());
        free_blocks_.pop_back();
        return block;
      }
    }
    return Block(new char[sizes_.first_block]);
  }

  void ReturnBlock(Block block) {
    absl::MutexLock lock(&mutex_);
    if (free_blocks_.size() < sizes_.pooled_blocks) free_blocks_.push_back(std::move(block));
  }

  const ArenaBlockSizes sizes_;
  mutable absl::Mutex mutex_;
  std::vector<Block> free_blocks_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace dps::scoring

#endif  // DPS_SERVICES_SCORING_API_ARENA_MESSAGE_ALLOCATOR_H_
