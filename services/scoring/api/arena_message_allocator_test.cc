#include "services/scoring/api/arena_message_allocator.h"

#include <catch2/catch.hpp>

#include "dps/scoring/v1/scoring.pb.h"

namespace dps::scoring {
namespace {

TEST_CASE("the allocator puts a call's request and response on one arena", "[service]") {
  ArenaMessageAllocator<v1::EvaluateRequest, v1::EvaluateResponse> allocator(1024, 4096);
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
  ArenaMessageAllocator<v1::EvaluateRequest, v1::EvaluateResponse> allocator(1024, 4096);
  auto* first = allocator.AllocateMessages();
  auto* second = allocator.AllocateMessages();
  CHECK(first->request()->GetArena() != second->request()->GetArena());
  first->Release();
  second->Release();
}

}  // namespace
}  // namespace dps::scoring
