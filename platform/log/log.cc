#include "platform/log/log.h"

#include <cstdio>
#include <mutex>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"

namespace dps::platform {
namespace {

std::string& ServiceName() {
  static std::string name = "dps";
  return name;
}

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

std::mutex& LogMutex() {
  static auto* mutex = new std::mutex();  // keeps lines from interleaving across threads
  return *mutex;
}

std::function<void(absl::string_view)>& Sink() {
  static auto* sink = new std::function<void(absl::string_view)>();
  return *sink;
}

}  // namespace

void SetLogSinkForTesting(std::function<void(absl::string_view)> sink) {
  std::lock_guard<std::mutex> lock(LogMutex());
  Sink() = std::move(sink);
}

void SetLogService(std::string service) { ServiceName() = std::move(service); }

std::string FormatLogLine(LogLevel level, absl::string_view message,
                          std::initializer_list<LogField> fields) {
  nlohmann::ordered_json line;
  line["ts"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  line["level"] = LevelName(level);
  line["service"] = ServiceName();
  line["msg"] = std::string(message);
  for (const auto& [key, value] : fields) line[std::string(key)] = std::string(value);
  // Replace invalid UTF-8 rather than throw: a log line must never take the process down.
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void Log(LogLevel level, absl::string_view message, std::initializer_list<LogField> fields) {
  const std::string line = FormatLogLine(level, message, fields) + "\n";
  std::lock_guard<std::mutex> lock(LogMutex());
  if (Sink()) {
    Sink()(absl::string_view(line).substr(0, line.size() - 1));
    return;
  }
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace dps::platform
