// A child process for system tests: started with extra environment variables, stopped with
// SIGTERM (then SIGKILL) when it goes out of scope, its output captured to a file if asked.
#ifndef DPS_PLATFORM_TESTING_CHILD_PROCESS_H_
#define DPS_PLATFORM_TESTING_CHILD_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace dps::platform::testing {

class ChildProcess final {
 public:
  // env entries are "NAME=value"; output_file "" keeps the test's own stdout and stderr.
  ChildProcess(std::vector<std::string> args, std::vector<std::string> env = {},
               const std::string& output_file = "");
  ~ChildProcess() { Stop(); }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Waits up to timeout for the process to end by itself; returns its wait status, or -1.
  int WaitForExit(std::chrono::milliseconds timeout);

  // SIGTERM, then SIGKILL after 10 s; returns the wait status (or -1 if already reaped). A
  // process paused with SIGSTOP is continued, so it can take the SIGTERM.
  int Stop();

  // Sends `signal` (SIGSTOP to pause the process as a hung peer would be, SIGCONT to resume it).
  void Signal(int signal) const;

  bool running() const { return pid_ > 0; }

 private:
  pid_t pid_ = -1;
};

bool KilledBySigkill(int wait_status);
bool ExitedWith(int wait_status, int code);

// A free TCP port on 127.0.0.1, never one this process was given before (bound and released,
// so a race with another process is possible but unlikely).
int FreePort();

}  // namespace dps::platform::testing

#endif  // DPS_PLATFORM_TESTING_CHILD_PROCESS_H_
