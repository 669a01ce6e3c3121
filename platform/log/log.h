// Structured logs: one JSON object a line on stderr.
//
// Every line has "ts" (UTC, RFC 3339), "level", "service" and "msg"; callers add fields such as
// "request_id" so a request can be followed from the gateway through every service it reaches.
// Never log a child's identity, a token or a password: fields are written as given.
//
//   dps::platform::Log(LogLevel::kInfo, "listening", {{"port", "7101"}});
#ifndef DPS_PLATFORM_LOG_LOG_H_
#define DPS_PLATFORM_LOG_LOG_H_

#include <functional>
#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace dps::platform {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

using LogField = std::pair<absl::string_view, absl::string_view>;

// Names the process in every line; call once at start-up.
void SetLogService(std::string service);

void Log(LogLevel level, absl::string_view message, std::initializer_list<LogField> fields = {});

// Sends every line (without its newline) to `sink` instead of stderr, until called again with
// an empty function: for tests that check what is logged.
void SetLogSinkForTesting(std::function<void(absl::string_view)> sink);

// Formats one line without writing it (what Log writes, less the trailing newline).
std::string FormatLogLine(LogLevel level, absl::string_view message,
                          std::initializer_list<LogField> fields);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_LOG_LOG_H_
