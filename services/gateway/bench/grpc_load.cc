// grpc-load: a closed-loop load on one gRPC method, for `./dps bench gateway`: CONNECTIONS calls
// in flight at all times (each new call starts when one ends), for SECONDS, then requests per
// second and latency percentiles. It is the direct call the gateway is compared with, made the
// way a busy client would (async, many in flight over one channel) with the same bearer token.
//   grpc-load --target=HOST:PORT --method=/pkg.Service/Method --request=REQUEST_FILE
//             --token=JWT [--concurrency=16] [--seconds=10]
// REQUEST_FILE holds the request message serialised (binary protobuf).
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Load {
  std::unique_ptr<grpc::GenericStub> stub;
  std::string method;
  grpc::ByteBuffer request;
  std::string authorization;
  Clock::time_point end;
  std::mutex mutex;
  std::vector<double> latencies_ms;
  std::atomic<int> in_flight{0};
  std::atomic<long> failures{0};
  std::string first_failure;
};

class Call final : public grpc::ClientUnaryReactor {
 public:
  explicit Call(Load& load) : load_(load), start_(Clock::now()) {
    context_.AddMetadata("authorization", load.authorization);
    request_ = load.request;
    load.stub->PrepareUnaryCall(&context_, load.method, grpc::StubOptions(), &request_, &reply_,
                                this);
    StartCall();
  }
  void OnDone(const grpc::Status& status) override {
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start_).count();
    {
      std::lock_guard<std::mutex> lock(load_.mutex);
      if (status.ok()) {
        load_.latencies_ms.push_back(ms);
      } else if (load_.failures++ == 0) {
        load_.first_failure = status.error_message();
      }
    }
    Load& load = load_;
    delete this;
    if (Clock::now() < load.end) {
      new Call(load);
    } else {
      load.in_flight--;
    }
  }

 private:
  Load& load_;
  Clock::time_point start_;
  grpc::ClientContext context_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer reply_;
};

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> flags = {{"concurrency", "16"}, {"seconds", "10"}};
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto equals = arg.find('=');
    if (arg.rfind("--", 0) != 0 || equals == std::string::npos) {
      std::cerr << "grpc-load: arguments are --name=value\n";
      return 2;
    }
    flags[arg.substr(2, equals - 2)] = arg.substr(equals + 1);
  }
  for (const char* required : {"target", "method", "request", "token"}) {
    if (!flags.contains(required)) {
      std::cerr << "grpc-load: --" << required << " is required\n";
      return 2;
    }
  }
  std::ifstream in(flags["request"], std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  grpc::Slice slice(bytes.str());
  Load load;
  load.request = grpc::ByteBuffer(&slice, 1);
  load.method = flags["method"];
  load.authorization = "Bearer " + flags["token"];
  load.stub = std::make_unique<grpc::GenericStub>(
      grpc::CreateChannel(flags["target"], grpc::InsecureChannelCredentials()));
  const int concurrency = std::stoi(flags["concurrency"]);
  const auto begin = Clock::now();
  load.end = begin + std::chrono::seconds(std::stoi(flags["seconds"]));
  load.in_flight = concurrency;
  for (int i = 0; i < concurrency; ++i) new Call(load);
  while (load.in_flight > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  std::sort(load.latencies_ms.begin(), load.latencies_ms.end());
  auto percentile = [&](double p) {
    if (load.latencies_ms.empty()) return 0.0;
    return load.latencies_ms[std::min(load.latencies_ms.size() - 1,
                                      static_cast<std::size_t>(p * load.latencies_ms.size()))];
  };
  std::printf("requests %zu failures %ld rps %.1f p50_ms %.3f p99_ms %.3f\n",
              load.latencies_ms.size(), load.failures.load(), load.latencies_ms.size() / seconds,
              percentile(0.50), percentile(0.99));
  if (load.failures > 0) std::fprintf(stderr, "first failure: %s\n", load.first_failure.c_str());
  return load.failures > 0 ? 1 : 0;
}
