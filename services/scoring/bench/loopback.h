// The gRPC side of the scoring benchmarks: a client that times one call in phases, and an
// in-process server with the scoring service, the standard health service and the benchmark's
// own yardstick methods (an echo, and two calls that only parse and serialise).
#ifndef DPS_SERVICES_SCORING_BENCH_LOOPBACK_H_
#define DPS_SERVICES_SCORING_BENCH_LOOPBACK_H_

#include <google/protobuf/arena.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/proto_utils.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>

#include "bench/columnar_floor.pb.h"  // generated, in the build tree
#include "dps/scoring/v1/scoring.pb.h"
#include "services/scoring/api/scoring_service.h"
#include "services/scoring/bench/bench_data.h"

namespace dps::scoring::bench {

inline constexpr char kEvaluateMethod[] = "/dps.scoring.v1.ScoringService/Evaluate";
inline constexpr char kHealthCheckMethod[] = "/grpc.health.v1.Health/Check";
// Answers whatever it is sent with the bytes given to LoopbackServer::SetEchoResponse.
inline constexpr char kEchoMethod[] = "/dps.bench.Echo/Call";
// Parse an EvaluateRequest onto an arena and answer the response given to SetFloorResponses,
// serialised anew: an Evaluate call without the conversions and the scoring.
inline constexpr char kRowsFloorMethod[] = "/dps.bench.Floor/Rows";
// The same with the columnar layout of the same figures (columnar_floor.proto).
inline constexpr char kColumnsFloorMethod[] = "/dps.bench.Floor/Columns";

using Clock = std::chrono::steady_clock;

inline double Micros(Clock::duration d) {
  return std::chrono::duration<double, std::micro>(d).count();
}

grpc::ByteBuffer ToByteBuffer(const std::string& bytes);

// A channel and a generic stub, so every method goes through the same client path.
class BenchClient {
 public:
  // Every call carries `authorization: Bearer <token>`, as a real caller's does.
  BenchClient(const std::string& target, std::string token);

  // One unary call; aborts on an error status, since a benchmark must not time one.
  void Call(const std::string& method, const grpc::ByteBuffer& request, grpc::ByteBuffer* response);

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<grpc::GenericStub> stub_;
  grpc::CompletionQueue queue_;
  std::string authorization_;
};

// Where one client call's time went, in microseconds.
struct CallPhases {
  double serialise = 0;  // the request, into gRPC's buffer
  double call = 0;       // from sending to the response's bytes: the server's work and transport
  double parse = 0;      // the response, onto an arena
};

// A client's whole call: serialise the request, call, parse the response onto an arena.
template <typename Response, typename Request>
CallPhases TimedCall(BenchClient& client, const std::string& method, const Request& request) {
  const Clock::time_point t0 = Clock::now();
  grpc::ByteBuffer request_buffer;
  bool own_buffer = false;
  if (!grpc::GenericSerialize<grpc::ProtoBufferWriter, Request>(request, &request_buffer,
                                                                &own_buffer)
           .ok()) {
    std::abort();
  }
  grpc::ByteBuffer response_buffer;
  const Clock::time_point t1 = Clock::now();
  client.Call(method, request_buffer, &response_buffer);
  const Clock::time_point t2 = Clock::now();
  google::protobuf::Arena arena(ClientArenaOptions());
  auto* response = google::protobuf::Arena::CreateMessage<Response>(&arena);
  if (!grpc::GenericDeserialize<grpc::ProtoBufferReader, Response>(&response_buffer, response)
           .ok()) {
    std::abort();
  }
  return {Micros(t1 - t0), Micros(t2 - t1), Micros(Clock::now() - t2)};
}

// Answers the benchmark's own methods (any method no service registers).
class YardstickService final : public grpc::CallbackGenericService {
 public:
  void SetEchoResponse(const std::string& bytes) { echo_response_ = ToByteBuffer(bytes); }
  void SetFloorResponses(v1::EvaluateResponse rows, ColumnarScoredBids columns) {
    rows_response_ = std::move(rows);
    columns_response_ = std::move(columns);
  }

  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override;

 private:
  class Reactor;

  grpc::ByteBuffer echo_response_;
  v1::EvaluateResponse rows_response_;
  ColumnarScoredBids columns_response_;
  // The floors parse onto arenas as the scoring service does.
  ArenaMessageAllocator<v1::EvaluateRequest, v1::EvaluateResponse> rows_arenas_;
  ArenaMessageAllocator<ColumnarBids, ColumnarScoredBids> columns_arenas_;
};

// An in-process server on a loopback port. Evaluate, Check and the yardsticks are all unary
// callback-API methods answered inline on gRPC's threads, so they are the same kind of call on
// the same server and channel.
class LoopbackServer {
 public:
  // Its scoring service trusts the test identity provider's keys (TestToken()).
  LoopbackServer();
  ~LoopbackServer() { server_->Shutdown(); }

  std::string target() const;
  YardstickService& yardsticks() { return yardsticks_; }

 private:
  ScoringService scoring_;
  YardstickService yardsticks_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

// A service token the in-process server accepts.
std::string TestToken();

}  // namespace dps::scoring::bench

#endif  // DPS_SERVICES_SCORING_BENCH_LOOPBACK_H_
