// Process configuration from command-line flags and environment variables.
//
// Each setting is declared once with its flag name, environment variable, default and rule.
// A flag (--pg-url=...) wins over the environment (DPS_PG_URL), which wins over the default.
// Everything is validated at start-up: a bad or missing value yields one line naming the setting
// and the rule, so a process never starts half-configured.
//
//   const dps::platform::Setting kSettings[] = {
//       {"pg-url", "DPS_PG_URL", "", SettingKind::kString, /*required=*/true, "PostgreSQL URL"},
//       {"grpc-port", "DPS_GRPC_PORT", "7101", SettingKind::kPort, false, "gRPC port"}};
//   absl::StatusOr<Config> config = Config::Load(argc, argv, kSettings);
#ifndef DPS_PLATFORM_CONFIG_CONFIG_H_
#define DPS_PLATFORM_CONFIG_CONFIG_H_

#include <map>
#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace dps::platform {

enum class SettingKind {
  kString,    // any non-empty text when required
  kPort,      // an integer 1-65535, or 0 for "any free port"
  kPositive,  // an integer >= 1
  kDuration,  // an absl duration such as 500ms, 30s, 5m
};

struct Setting {
  std::string flag;  // without the leading dashes
  std::string env;
  std::string default_value;
  SettingKind kind = SettingKind::kString;
  bool required = false;
  std::string help;
};

// The setting naming the gRPC address of another DPS service, the same wherever it is taken:
//   PeerTargetSetting("qualification", 7101)
//   -> --qualification-target / DPS_QUALIFICATION_TARGET, default 127.0.0.1:7101, required
Setting PeerTargetSetting(absl::string_view service, int default_port);

class Config final {
 public:
  // Reads argv and the environment. Unknown flags, missing required settings and values that
  // break their kind's rule are errors. "--help" yields a NotFound status whose message is usage.
  static absl::StatusOr<Config> Load(int argc, const char* const* argv,
                                     std::span<const Setting> settings);

  const std::string& String(const std::string& flag) const;
  int Int(const std::string& flag) const;
  absl::Duration Duration(const std::string& flag) const;

 private:
  std::map<std::string, std::string> values_;
};

// Prints "<program>: <status message>" as one line to stderr and exits with status 2.
// For start-up errors only: configuration, an unreachable database, a bad migration.
[[noreturn]] void ExitWithStartupError(const std::string& program, const absl::Status& status);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_CONFIG_CONFIG_H_
