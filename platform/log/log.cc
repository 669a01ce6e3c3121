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

}  // namespace

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
  static std::mutex mutex;  // keeps lines from interleaving across threads
  std::lock_guard<std::mutex> lock(mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace dps::platform
