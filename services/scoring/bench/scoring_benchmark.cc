// Benchmarks of the scoring engine (not a ctest test; see README.md for how to run it).
//
//   BM_Evaluate/n            the pure engine on n bids (validate, score, rank): bids/second
//   BM_EvaluateWithProto/n   the same plus FromProto and ToProto onto an arena, the service's
//                            whole work between parsing the request and serialising the response
//   BM_Wire*                 serialising and parsing the 100-bid request and response, parsing
//                            onto an arena as the server and this client do: with
//                            BM_EvaluateWithProto, where a call's time goes
//   BM_Grpc*                 real gRPC calls on loopback to an in-process server; BM_GrpcEcho
//                            moves opaque bytes of the sizes of a 100-bid call, to show what the
//                            transport alone costs for them
//
// After the benchmarks, main times a 100-bid Evaluate call against an empty call (the standard
// health service's Check) interleaved in the same run, and prints both medians and the ratio,
// beside two yardsticks: the same call's messages only parsed and serialised (no conversion, no
// scoring), and the same figures in the cheapest protobuf layout (columnar_floor.proto).
//
//   --no_grpc_comparison   skip the comparison
//   --target=HOST:PORT     compare against a running dps-scoring (e.g. ./dps up's 127.0.0.1:7103)
//   --token=JWT            the bearer token to call it with (`./dps token` makes one)
//                          instead of the in-process server; the yardsticks are then left out
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "dps/scoring/v1/scoring.pb.h"
#include "services/scoring/api/proto_convert.h"
#include "services/scoring/api/scoring_service.h"
#include "services/scoring/bench/bench_data.h"
#include "services/scoring/bench/columnar.h"
#include "services/scoring/bench/loopback.h"
#include "services/scoring/domain/score.h"

namespace dps::scoring::bench {
namespace {

void BM_Evaluate(benchmark::State& state) {
  const Competition competition = BenchCompetition(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    absl::StatusOr<Evaluation> evaluation = Evaluate(competition);
    benchmark::DoNotOptimize(evaluation);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetLabel("items = bids");
}
BENCHMARK(BM_Evaluate)->Arg(10)->Arg(100)->Arg(1'000)->Arg(10'000);

void BM_EvaluateWithProto(benchmark::State& state) {
  const v1::EvaluateRequest request = BenchRequest(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    absl::StatusOr<Competition> competition = FromProto(request);
    absl::StatusOr<Evaluation> evaluation = Evaluate(*competition);
    google::protobuf::Arena arena(ClientArenaOptions());
    auto* response = google::protobuf::Arena::CreateMessage<v1::EvaluateResponse>(&arena);
    ToProto(*competition, *evaluation, response);
    benchmark::DoNotOptimize(response);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_EvaluateWithProto)->Arg(10)->Arg(100)->Arg(1'000)->Arg(10'000);

// The in-process server and a client of it, for the process's life.
LoopbackServer& Server() {
  static LoopbackServer* server = new LoopbackServer();
  return *server;
}

BenchClient& Client() {
  static BenchClient* client = new BenchClient(Server().target(), TestToken());
  return *client;
}

CallPhases CallEvaluate(BenchClient& client, const v1::EvaluateRequest& request) {
  return TimedCall<v1::EvaluateResponse>(client, kEvaluateMethod, request);
}

// An empty HealthCheckRequest serialises to no bytes; its response is a one-field message.
void CallHealthCheck(BenchClient& client) {
  static const grpc::ByteBuffer* const request = new grpc::ByteBuffer(ToByteBuffer(""));
  grpc::ByteBuffer response;
  client.Call(kHealthCheckMethod, *request, &response);
  benchmark::DoNotOptimize(response);
}

void BM_GrpcHealthCheck(benchmark::State& state) {
  for (auto _ : state) CallHealthCheck(Client());
}
BENCHMARK(BM_GrpcHealthCheck)->UseRealTime();

void BM_GrpcEvaluate(benchmark::State& state) {
  const v1::EvaluateRequest request = BenchRequest(static_cast<int>(state.range(0)));
  for (auto _ : state) CallEvaluate(Client(), request);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_GrpcEvaluate)->Arg(10)->Arg(100)->Arg(1'000)->UseRealTime();

// The serialised 100-bid request and its response, computed once.
struct WireBytes {
  std::string request;
  std::string response;
};

const WireBytes& Wire100() {
  static const WireBytes* const bytes = [] {
    const v1::EvaluateRequest request = BenchRequest(100);
    v1::EvaluateResponse response;
    if (!EvaluateCall(request, Limits{}, &response).ok()) std::abort();
    return new WireBytes{request.SerializeAsString(), response.SerializeAsString()};
  }();
  return *bytes;
}

// Opaque bytes of the sizes of a 100-bid request and response through the same server: what
// gRPC itself costs to carry them, with no protobuf and no scoring.
void BM_GrpcEcho(benchmark::State& state) {
  const bool full = state.range(0) != 0;
  Server().yardsticks().SetEchoResponse(full ? Wire100().response : "");
  const grpc::ByteBuffer request = ToByteBuffer(full ? Wire100().request : "");
  for (auto _ : state) {
    grpc::ByteBuffer response;
    Client().Call(kEchoMethod, request, &response);
    benchmark::DoNotOptimize(response);
  }
  state.SetLabel(full ? "100-bid sizes" : "empty");
}
BENCHMARK(BM_GrpcEcho)->Arg(0)->Arg(1)->UseRealTime();

void BM_WireSerializeRequest(benchmark::State& state) {
  const v1::EvaluateRequest request = BenchRequest(100);
  for (auto _ : state) benchmark::DoNotOptimize(request.SerializeAsString());
  state.SetLabel(absl::StrCat(request.ByteSizeLong(), " bytes"));
}
BENCHMARK(BM_WireSerializeRequest);

// As the server parses: onto a fresh arena.
void BM_WireParseRequest(benchmark::State& state) {
  for (auto _ : state) {
    google::protobuf::Arena arena(ClientArenaOptions());
    auto* request = google::protobuf::Arena::CreateMessage<v1::EvaluateRequest>(&arena);
    if (!request->ParseFromString(Wire100().request)) std::abort();
    benchmark::DoNotOptimize(request);
  }
}
BENCHMARK(BM_WireParseRequest);

void BM_WireSerializeResponse(benchmark::State& state) {
  v1::EvaluateResponse response;
  if (!response.ParseFromString(Wire100().response)) std::abort();
  for (auto _ : state) benchmark::DoNotOptimize(response.SerializeAsString());
  state.SetLabel(absl::StrCat(response.ByteSizeLong(), " bytes"));
}
BENCHMARK(BM_WireSerializeResponse);

// As the benchmark's client parses: onto a fresh arena.
void BM_WireParseResponse(benchmark::State& state) {
  for (auto _ : state) {
    google::protobuf::Arena arena(ClientArenaOptions());
    auto* response = google::protobuf::Arena::CreateMessage<v1::EvaluateResponse>(&arena);
    if (!response->ParseFromString(Wire100().response)) std::abort();
    benchmark::DoNotOptimize(response);
  }
}
BENCHMARK(BM_WireParseResponse);

double MedianMicros(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

// Interleaves the calls so all see the same machine load, then prints medians and ratios.
// Each round is Evaluate, Check, Check, then the yardsticks. The server finishes a call's
// clean-up (its messages) after the response has gone, so the Check right after an Evaluate
// shares the CPU with that clean-up and is slower than an empty call on its own; the baseline is
// the second Check, which follows an empty call as the Evaluate does. The first Check's median is
// printed too, for comparison.
void CompareWithEmptyCall(const std::optional<std::string>& target, const std::string& token) {
  constexpr int kRounds = 3'000;
  const v1::EvaluateRequest request = BenchRequest(100);
  const bool yardsticks = !target.has_value();
  const std::unique_ptr<BenchClient> external =
      target ? std::make_unique<BenchClient>(*target, token) : nullptr;
  BenchClient& client = external ? *external : Client();
  ColumnarBids columns_request;
  if (yardsticks) {
    v1::EvaluateResponse response;
    if (!EvaluateCall(request, Limits{}, &response).ok()) std::abort();
    columns_request = ToColumns(request);
    ColumnarScoredBids columns_response = ToColumns(response);
    Server().yardsticks().SetFloorResponses(std::move(response), std::move(columns_response));
  }
  const auto call_yardsticks = [&](std::vector<double>* rows, std::vector<double>* columns) {
    if (!yardsticks) return;
    Clock::time_point t0 = Clock::now();
    TimedCall<v1::EvaluateResponse>(client, kRowsFloorMethod, request);
    const Clock::time_point t1 = Clock::now();
    TimedCall<ColumnarScoredBids>(client, kColumnsFloorMethod, columns_request);
    if (rows != nullptr) rows->push_back(Micros(t1 - t0));
    if (columns != nullptr) columns->push_back(Micros(Clock::now() - t1));
  };
  for (int i = 0; i < 200; ++i) {  // warm up the channel and allocators
    CallEvaluate(client, request);
    CallHealthCheck(client);
    call_yardsticks(nullptr, nullptr);
  }
  std::vector<double> evaluate, serialise, call, parse, health_after_evaluate, health;
  std::vector<double> rows_floor, columns_floor;
  for (int i = 0; i < kRounds; ++i) {
    const Clock::time_point t0 = Clock::now();
    const CallPhases phases = CallEvaluate(client, request);
    const Clock::time_point t1 = Clock::now();
    CallHealthCheck(client);
    const Clock::time_point t2 = Clock::now();
    CallHealthCheck(client);
    const Clock::time_point t3 = Clock::now();
    call_yardsticks(&rows_floor, &columns_floor);
    evaluate.push_back(Micros(t1 - t0));
    serialise.push_back(phases.serialise);
    call.push_back(phases.call);
    parse.push_back(phases.parse);
    health_after_evaluate.push_back(Micros(t2 - t1));
    health.push_back(Micros(t3 - t2));
  }
  const double health_us = MedianMicros(health);
  const double evaluate_us = MedianMicros(evaluate);
  std::printf(
      "\ngRPC to %s, medians of %d interleaved rounds:\n"
      "  empty call (health Check)                          %7.1f us\n"
      "  Evaluate, 100 bids                                 %7.1f us  %4.2f x the empty call"
      " (target <= 2)\n"
      "    client serialises the request                    %7.1f us\n"
      "    the call (server and transport)                  %7.1f us\n"
      "    client parses the response                       %7.1f us\n",
      target ? target->c_str() : "an in-process server on loopback", kRounds, health_us,
      evaluate_us, evaluate_us / health_us, MedianMicros(serialise), MedianMicros(call),
      MedianMicros(parse));
  if (yardsticks) {
    const double rows_us = MedianMicros(rows_floor);
    const double columns_us = MedianMicros(columns_floor);
    std::printf(
        "  the same messages, only parsed and serialised      %7.1f us  %4.2f x (no scoring)\n"
        "  the same figures in columns, the same              %7.1f us  %4.2f x"
        " (columnar_floor.proto)\n",
        rows_us, rows_us / health_us, columns_us, columns_us / health_us);
  }
  std::printf("  empty call right after an Evaluate                 %7.1f us  (not the baseline)\n",
              MedianMicros(health_after_evaluate));
}

}  // namespace
}  // namespace dps::scoring::bench

int main(int argc, char** argv) {
  bool compare = true;
  std::optional<std::string> target;
  std::string token;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--no_grpc_comparison") {
      compare = false;
    } else if (absl::StartsWith(arg, "--target=")) {
      target = arg.substr(9);
    } else if (absl::StartsWith(arg, "--token=")) {
      token = arg.substr(8);
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (compare) dps::scoring::bench::CompareWithEmptyCall(target, token);
  return 0;
}
