// The whole suite from its real binaries, for system tests: a fresh database in the test
// PostgreSQL, a Redis of its own (with the test Redis's users), every service process, the relay
// and a gateway, all trusting the test identity provider; optionally the demo data `./dps up`
// loads. Everything stops when the Suite goes out of scope.
#ifndef DPS_TESTS_SUPPORT_SUITE_H_
#define DPS_TESTS_SUPPORT_SUITE_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "dps/common/v1/common.pb.h"
#include "platform/testing/child_process.h"
#include "platform/testing/test_env.h"

namespace dps::testing {

struct SuiteOptions {
  bool demo_data = false;                // West Sussex's demo DPS and Brighton's referral
  std::vector<std::string> gateway_env;  // extra settings for the gateway ("NAME=value")
  std::vector<std::string> service_env;  // extra settings for every service
  // The services' time can be moved forward (MoveClock): DPS_DEV_CLOCK_OFFSET_FILE is set.
  bool movable_clock = false;
  // Instances of each stateful service (qualification, referral, contracts), all on the one
  // database and Redis; the gateway and grpc_port() reach the first.
  int replicas = 1;
};

class Suite final {
 public:
  explicit Suite(SuiteOptions options = {});
  ~Suite();

  int gateway_port() const { return gateway_port_; }
  int grpc_port(const std::string& service) const { return ports_.at(service).first; }
  int metrics_port(const std::string& service) const { return ports_.at(service).second; }
  const std::string& db_url() const { return db_.url(); }

  // Sets every service's time to the real time plus `offset` (SuiteOptions.movable_clock):
  // within a few tenths of a second their rules and timers live at that time, while tokens keep
  // the real time. Throws when the suite's clock cannot be moved.
  void MoveClock(absl::Duration offset) const;

  // Pauses the first instance of `service` (SIGSTOP), as a peer that hangs: its port still
  // accepts connections and nothing answers, so callers wait for their deadlines. Resume
  // continues it (SIGCONT).
  void Pause(const std::string& service) const;
  void Resume(const std::string& service) const;

  // Runs a tool (its path, then its flags) with the suite's settings (the identity provider's
  // key among them); throws unless it exits 0 within five minutes.
  void RunTool(const std::vector<std::string>& args) const;

  // Another gateway in front of the same services, with extra settings; stopped with the suite.
  int StartGateway(const std::vector<std::string>& extra_env);

  // A user's token from the test identity provider (user defaults to "<role>@<organisation>").
  static std::string Token(dps::common::v1::Role role, const std::string& organisation,
                           const std::string& user = "");

 private:
  std::vector<std::string> CommonEnv() const;
  std::string ClockFile() const;
  void StartService(const std::string& service, int grpc_port, int metrics_port,
                    const std::string& log_name);
  // true once the service answers SERVING; false when its process exits first.
  bool WaitServing(const std::string& service, int port,
                   platform::testing::ChildProcess& process) const;
  void WaitGateway(int port) const;
  void StartRedis();

  platform::testing::TestDatabase db_;
  std::string redis_dir_;  // also holds the clock's offset file
  int redis_port_ = 0;
  std::map<std::string, std::pair<int, int>> ports_;  // service -> gRPC, metrics
  int gateway_port_ = 0;
  std::vector<std::unique_ptr<platform::testing::ChildProcess>> processes_;
  std::map<std::string, const platform::testing::ChildProcess*> first_instance_;
  SuiteOptions options_;
};

}  // namespace dps::testing

#endif  // DPS_TESTS_SUPPORT_SUITE_H_
