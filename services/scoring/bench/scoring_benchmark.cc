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
// health service's Check) interleaved in the same run, and prints both medians and the ratio.
#include <benchmark/benchmark.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "dps/scoring/v1/scoring.pb.h"
#include "services/scoring/api/proto_convert.h"
#include "services/scoring/api/scoring_service.h"
#include "services/scoring/domain/score.h"
#include "services/scoring/domain/testing.h"

namespace dps::scoring {
namespace {

// A realistic referral: default weights, 6 needs, 2 must-haves, 4 desirable features, every bid
// compliant or nearly so, one additional service each, two evaluators.
Competition BenchCompetition(int bid_count) {
  std::mt19937 rng(42);
  Competition competition = testing::WorkedExample();
  competition.needs = {{"N1", 2}, {"N2", 1}, {"N3", 1}, {"N4", 3}, {"N5", 1}, {"N6", 2}};
  competition.must_have_features = {"wheelchair-access", "ground-floor"};
  competition.desirable_features = {
      {"halal-diet", 1}, {"eal-support", 1}, {"pets", 1}, {"sensory-room", 2}};
  competition.discount_rates = {500, 500, 9};
  competition.sibling_group_size = 2;
  competition.planned_duration_months = 12;
  competition.bids.clear();
  std::uniform_int_distribution<int> coin(0, 1);
  std::uniform_int_distribution<int> offset(-1000, 1000);
  for (int b = 0; b < bid_count; ++b) {
    Bid bid;
    bid.id = absl::StrFormat("7c9e6679-7425-40de-944b-%012d",
                             b);  // UUIDs, as the referral service assigns
    bid.establishment_location = {51.1092 + offset(rng) / 1000.0, -0.1872 + offset(rng) / 1000.0};
    bid.ceiling_fee_pence = 450'000;
    bid.core_fee_pence = 300'000 + offset(rng) * 100;
    bid.additional_services = {{10, 3'000}};  // one-to-one hours
    for (size_t i = 0; i < competition.needs.size(); ++i) {
      if (coin(rng)) bid.needs_met |= uint64_t{1} << i;
    }
    bid.must_have_met = 0b11;
    for (size_t i = 0; i < competition.desirable_features.size(); ++i) {
      if (coin(rng)) bid.desirable_met |= uint64_t{1} << i;
    }
    bid.qualification_score = 50 + offset(rng) / 40.0;
    bid.outcome_scores = {3 + coin(rng), 4};
    bid.submitted_at = testing::At(b % 600);
    competition.bids.push_back(std::move(bid));
  }
  return competition;
}

v1::EvaluateRequest BenchRequest(int bid_count) {
  const Competition competition = BenchCompetition(bid_count);
  v1::EvaluateRequest request;
  ToProto(competition.weights, request.mutable_weights());
  request.mutable_child_location()->set_latitude(competition.child_location.latitude);
  request.mutable_child_location()->set_longitude(competition.child_location.longitude);
  for (const MarkedCode& need : competition.needs) {
    auto* out = request.add_needs();
    out->set_code(need.code);
    out->set_marks(need.marks);
  }
  for (const std::string& code : competition.must_have_features) {
    request.add_must_have_features(code);
  }
  for (const MarkedCode& feature : competition.desirable_features) {
    auto* out = request.add_desirable_features();
    out->set_code(feature.code);
    out->set_marks(feature.marks);
  }
  request.mutable_discount_rates()->set_sibling_basis_points(500);
  request.mutable_discount_rates()->set_permanence_basis_points(500);
  request.set_sibling_group_size(2);
  request.set_planned_duration_months(12);
  request.set_ceiling_mode(dps::common::v1::CEILING_MODE_HARD);
  request.mutable_parental_choice()->set_enabled(true);
  for (const Bid& bid : competition.bids) {
    v1::Bid* out = request.add_bids();
    out->set_id(bid.id);
    out->set_establishment_latitude(bid.establishment_location.latitude);
    out->set_establishment_longitude(bid.establishment_location.longitude);
    out->set_ceiling_fee_pence(bid.ceiling_fee_pence);
    out->set_core_fee_pence(bid.core_fee_pence);
    for (const AdditionalService& service : bid.additional_services) {
      auto* line = out->add_additional_services();
      line->set_code("one-to-one-hours");
      line->set_units(service.units);
      line->set_rate_pence(service.rate_pence);
    }
    out->set_needs_met(bid.needs_met);
    out->set_must_have_features_met(bid.must_have_met);
    out->set_desirable_features_met(bid.desirable_met);
    out->set_qualification_score(bid.qualification_score);
    for (int score : bid.outcome_scores) out->add_outcome_scores(score);
    out->mutable_submitted_at()->set_seconds(absl::ToUnixSeconds(bid.submitted_at));
  }
  return request;
}

// Messages are put on an arena, as the server does with its request and response (and as this
// benchmark's client does with its response): the ~30 messages and strings a bid becomes are then
// freed at once. Blocks sized as the server's.
google::protobuf::ArenaOptions ArenaOptionsFor100Bids() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = 64 * 1024;
  options.max_block_size = 256 * 1024;
  return options;
}

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
    google::protobuf::Arena arena(ArenaOptionsFor100Bids());
    auto* response = google::protobuf::Arena::CreateMessage<v1::EvaluateResponse>(&arena);
    ToProto(*competition, *evaluation, response);
    benchmark::DoNotOptimize(response);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_EvaluateWithProto)->Arg(10)->Arg(100)->Arg(1'000)->Arg(10'000);

// Answers any method not registered otherwise with fixed bytes, whatever it is sent: a unary
// call whose only work is gRPC's own.
class EchoService final : public grpc::CallbackGenericService {
 public:
  void SetResponse(const std::string& bytes) {
    grpc::Slice slice(bytes);
    response_ = grpc::ByteBuffer(&slice, 1);
  }

  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext*) override {
    return new Reactor(&response_);
  }

 private:
  // Reads the one request message, answers and finishes; deletes itself when gRPC is done.
  class Reactor final : public grpc::ServerGenericBidiReactor {
   public:
    explicit Reactor(const grpc::ByteBuffer* response) : response_(response) {
      StartRead(&request_);
    }
    void OnReadDone(bool ok) override {
      if (ok) {
        StartWriteAndFinish(response_, grpc::WriteOptions(), grpc::Status::OK);
      } else {
        Finish(grpc::Status::OK);
      }
    }
    void OnDone() override { delete this; }

   private:
    grpc::ByteBuffer request_;
    const grpc::ByteBuffer* response_;
  };

  grpc::ByteBuffer response_;
};

// An in-process server on a loopback port with the scoring and health services (and the echo),
// and a generic stub so every RPC goes through the same client path (serialise, call, parse).
// Evaluate and Check are both callback-API unary methods answered inline on gRPC's threads, so
// the empty call is the same kind of call on the same server and channel.
class LoopbackServer {
 public:
  LoopbackServer() {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&service_);
    builder.RegisterCallbackGenericService(&echo_);
    server_ = builder.BuildAndStart();
    channel_ =
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_), grpc::InsecureChannelCredentials());
    stub_ = std::make_unique<grpc::GenericStub>(channel_);
  }
  ~LoopbackServer() { server_->Shutdown(); }

  // One unary call of `method`; aborts on an error status, since a benchmark must not time one.
  void Call(const std::string& method, const grpc::ByteBuffer& request,
            grpc::ByteBuffer* response) {
    grpc::ClientContext context;
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

  EchoService& echo() { return echo_; }

 private:
  ScoringService service_;
  EchoService echo_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<grpc::GenericStub> stub_;
  grpc::CompletionQueue queue_;
};

constexpr char kEvaluateMethod[] = "/dps.scoring.v1.ScoringService/Evaluate";
constexpr char kHealthCheckMethod[] = "/grpc.health.v1.Health/Check";
constexpr char kEchoMethod[] = "/dps.bench.Echo/Call";  // any unregistered name reaches the echo

LoopbackServer& Server() {
  static LoopbackServer* server = new LoopbackServer();  // lives for the process
  return *server;
}

grpc::ByteBuffer ToByteBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

// A client's whole call: serialise the request, call, parse the response onto an arena.
// Where one client call's time went, in microseconds.
struct CallPhases {
  double serialise = 0;  // the request, into gRPC's buffer
  double call = 0;       // from sending to the response's bytes: the server's work and transport
  double parse = 0;      // the response, onto an arena
};

using Clock = std::chrono::steady_clock;

double Micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

CallPhases CallEvaluate(const v1::EvaluateRequest& request) {
  const Clock::time_point t0 = Clock::now();
  grpc::ByteBuffer request_buffer;
  bool own_buffer = false;
  if (!grpc::GenericSerialize<grpc::ProtoBufferWriter, v1::EvaluateRequest>(
           request, &request_buffer, &own_buffer)
           .ok()) {
    std::abort();
  }
  grpc::ByteBuffer response_buffer;
  const Clock::time_point t1 = Clock::now();
  Server().Call(kEvaluateMethod, request_buffer, &response_buffer);
  const Clock::time_point t2 = Clock::now();
  google::protobuf::Arena arena(ArenaOptionsFor100Bids());
  auto* response = google::protobuf::Arena::CreateMessage<v1::EvaluateResponse>(&arena);
  if (!grpc::GenericDeserialize<grpc::ProtoBufferReader, v1::EvaluateResponse>(&response_buffer,
                                                                               response)
           .ok()) {
    std::abort();
  }
  benchmark::DoNotOptimize(response);
  return {Micros(t1 - t0), Micros(t2 - t1), Micros(Clock::now() - t2)};
}

// An empty HealthCheckRequest serialises to no bytes; its response is a one-field message.
void CallHealthCheck() {
  static const grpc::ByteBuffer* const request = new grpc::ByteBuffer(ToByteBuffer(""));
  grpc::ByteBuffer response;
  Server().Call(kHealthCheckMethod, *request, &response);
  benchmark::DoNotOptimize(response);
}

void BM_GrpcHealthCheck(benchmark::State& state) {
  for (auto _ : state) CallHealthCheck();
}
BENCHMARK(BM_GrpcHealthCheck)->UseRealTime();

void BM_GrpcEvaluate(benchmark::State& state) {
  const v1::EvaluateRequest request = BenchRequest(static_cast<int>(state.range(0)));
  for (auto _ : state) CallEvaluate(request);
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
  Server().echo().SetResponse(full ? Wire100().response : "");
  const grpc::ByteBuffer request = ToByteBuffer(full ? Wire100().request : "");
  for (auto _ : state) {
    grpc::ByteBuffer response;
    Server().Call(kEchoMethod, request, &response);
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
    google::protobuf::Arena arena(ArenaOptionsFor100Bids());
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
    google::protobuf::Arena arena(ArenaOptionsFor100Bids());
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

// Interleaves the calls so all see the same machine load, then prints medians and the ratio.
// Each round is Evaluate, Check, Check. The server finishes a call's clean-up (its messages) after
// the response has gone, so the Check right after an Evaluate shares the CPU with that clean-up and
// is slower than an empty call on its own; the baseline is the second Check, which follows an
// empty call as the Evaluate does. The first Check's median is printed too, for comparison.
void CompareWithEmptyCall() {
  constexpr int kRounds = 3'000;
  const v1::EvaluateRequest request = BenchRequest(100);
  for (int i = 0; i < 200; ++i) {  // warm up the channel and allocators
    CallEvaluate(request);
    CallHealthCheck();
  }
  std::vector<double> evaluate, serialise, call, parse;
  std::vector<double> health_after_evaluate;
  std::vector<double> health;
  for (int i = 0; i < kRounds; ++i) {
    const Clock::time_point t0 = Clock::now();
    const CallPhases phases = CallEvaluate(request);
    const Clock::time_point t1 = Clock::now();
    CallHealthCheck();
    const Clock::time_point t2 = Clock::now();
    CallHealthCheck();
    const Clock::time_point t3 = Clock::now();
    evaluate.push_back(Micros(t1 - t0));
    serialise.push_back(phases.serialise);
    call.push_back(phases.call);
    parse.push_back(phases.parse);
    health_after_evaluate.push_back(Micros(t2 - t1));
    health.push_back(Micros(t3 - t2));
  }
  const double evaluate_us = MedianMicros(evaluate);
  const double health_us = MedianMicros(health);
  std::printf(
      "\nLoopback gRPC, median of %d interleaved rounds:\n"
      "  Evaluate (100 bids):             %8.1f us\n"
      "    client serialises the request  %8.1f us\n"
      "    the call (server and transport)%8.1f us\n"
      "    client parses the response     %8.1f us\n"
      "  Health Check (after a Check):    %8.1f us\n"
      "  Health Check (after an Evaluate):%8.1f us (not the baseline; see the source)\n"
      "  ratio Evaluate / Check:          %8.2f (target <= 2)\n",
      kRounds, evaluate_us, MedianMicros(serialise), MedianMicros(call), MedianMicros(parse),
      health_us, MedianMicros(health_after_evaluate), evaluate_us / health_us);
}

}  // namespace
}  // namespace dps::scoring

int main(int argc, char** argv) {
  // --no_grpc_comparison skips the interleaved comparison (e.g. when profiling the engine alone).
  bool compare = true;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--no_grpc_comparison") {
      compare = false;
      for (int j = i; j + 1 < argc; ++j) argv[j] = argv[j + 1];
      --argc;
      break;
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (compare) dps::scoring::CompareWithEmptyCall();
  return 0;
}
