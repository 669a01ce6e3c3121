#include "services/scoring/api/arena_message_allocator.h"

#include <catch2/catch.hpp>

#include "dps/scoring/v1/scoring.pb.h"

namespace dps::scoring {
namespace {

using Allocator = ArenaMessageAllocator<v1::EvaluateRequest, v1::EvaluateResponse>;

constexpr ArenaBlockSizes kSmallBlocks = {
    .first_block = 1024, .max_block = 4096, .pooled_blocks = 1};

TEST_CASE("the allocator puts a call's request and response on one arena", "[service]") {
  Allocator allocator(kSmallBlocks);
  grpc::MessageHolder<v1::EvaluateRequest, v1::EvaluateResponse>* holder =
      allocator.AllocateMessages();
  REQUIRE(holder->request()->GetArena() != nullptr);
  CHECK(holder->response()->GetArena() == holder->request()->GetArena());
  // Messages and strings added during the call land on the same arena and go with Release.
  holder->request()->add_bids()->set_id("a bid id longer than the short-string buffer");
  CHECK(holder->request()->bids(0).GetArena() == holder->request()->GetArena());
  holder->Release();
}

TEST_CASE("each call gets its own arena", "[service]") {
  Allocator allocator(kSmallBlocks);
  auto* first = allocator.AllocateMessages();
  auto* second = allocator.AllocateMessages();
  CHECK(first->request()->GetArena() != second->request()->GetArena());
  first->Release();
  second->Release();
}

TEST_CASE("a released call's first block serves the next call", "[service]") {
  Allocator allocator(kSmallBlocks);
  CHECK(allocator.pooled_block_count() == 0);
  auto* first = allocator.AllocateMessages();
  const void* first_message = first->request();
  first->Release();
  CHECK(allocator.pooled_block_count() == 1);
  auto* second = allocator.AllocateMessages();
  CHECK(allocator.pooled_block_count() == 0);
  // The same block, so the new arena carves its first message at the same place.
  CHECK(static_cast<const void*>(second->request()) == first_message);
  second->Release();
}

TEST_CASE("the pool keeps at most its configured number of blocks", "[service]") {
  Allocator allocator(kSmallBlocks);  // pooled_blocks = 1
  auto* first = allocator.AllocateMessages();
  auto* second = allocator.AllocateMessages();
  first->Release();
  second->Release();
  CHECK(allocator.pooled_block_count() == 1);
}

TEST_CASE("a call larger than the first block grows its arena beyond it", "[service]") {
  Allocator allocator(kSmallBlocks);
  auto* holder = allocator.AllocateMessages();
  for (int i = 0; i < 200; ++i) {
    holder->request()->add_bids()->set_id("a bid id longer than the short-string buffer");
  }
  REQUIRE(holder->request()->bids_size() == 200);
  CHECK(holder->request()->GetArena()->SpaceAllocated() > kSmallBlocks.first_block);
  CHECK(holder->request()->bids(199).id() == "a bid id longer than the short-string buffer");
  holder->Release();
  CHECK(allocator.pooled_block_count() == 1);
}

}  // namespace
}  // namespace dps::scoring
