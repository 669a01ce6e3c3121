#include "platform/config/config.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace dps::platform {
namespace {

absl::Status CheckKind(const Setting& setting, const std::string& value, const std::string& from) {
  const std::string where = absl::StrCat(setting.flag, " (", from, ")");
  switch (setting.kind) {
    case SettingKind::kString:
      return absl::OkStatus();
    case SettingKind::kPort: {
      int port = 0;
      if (!absl::SimpleAtoi(value, &port) || port < 0 || port > 65535) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": must be a port number 0-65535, got '", value, "'"));
      }
      return absl::OkStatus();
    }
    case SettingKind::kPositive: {
      int number = 0;
      if (!absl::SimpleAtoi(value, &number) || number < 1) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": must be a whole number >= 1, got '", value, "'"));
      }
      return absl::OkStatus();
    }
    case SettingKind::kDuration: {
      absl::Duration duration;
      if (!absl::ParseDuration(value, &duration) || duration <= absl::ZeroDuration()) {
        return absl::InvalidArgumentError(absl::StrCat(
            where, ": must be a positive duration such as 500ms, 30s or 5m, got '", value, "'"));
      }
      return absl::OkStatus();
    }
  }
  return absl::InternalError("unknown setting kind");
}

std::string Usage(std::span<const Setting> settings) {
  std::string usage = "settings (flag, environment variable, default):\n";
  for (const Setting& s : settings) {
    absl::StrAppend(&usage, "  --", s.flag, "  ", s.env, "  ",
                    s.required ? "(required)" : absl::StrCat("[", s.default_value, "]"), "  ",
                    s.help, "\n");
  }
  return usage;
}

}  // namespace

absl::StatusOr<Config> Config::Load(int argc, const char* const* argv,
                                    std::span<const Setting> settings) {
  std::map<std::string, std::string> from_flags;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") return absl::NotFoundError(Usage(settings));
    const auto eq = arg.find('=');
    if (arg.rfind("--", 0) != 0 || eq == std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("argument '", arg, "': flags take the form --name=value"));
    }
    from_flags[arg.substr(2, eq - 2)] = arg.substr(eq + 1);
  }

  // A misspelt flag is named before any setting is judged: otherwise a typo of a required
  // setting would be reported as that setting missing.
  std::vector<std::string> unknown;
  for (const auto& [flag, value] : from_flags) {
    const bool known = std::any_of(settings.begin(), settings.end(),
                                   [&](const Setting& setting) { return setting.flag == flag; });
    if (!known) unknown.push_back("--" + flag);
  }
  if (!unknown.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown flag ", absl::StrJoin(unknown, ", "), " (see --help)"));
  }

  Config config;
  for (const Setting& setting : settings) {
    std::string value = setting.default_value;
    std::string from = "default";
    if (const char* env = std::getenv(setting.env.c_str()); env != nullptr) {
      value = env;
      from = setting.env;
    }
    if (auto it = from_flags.find(setting.flag); it != from_flags.end()) {
      value = it->second;
      from = "--" + setting.flag;
    }
    if (value.empty()) {
      if (setting.required) {
        return absl::InvalidArgumentError(
            absl::StrCat(setting.flag, ": required; set --", setting.flag, "= or ", setting.env));
      }
    } else if (absl::Status status = CheckKind(setting, value, from); !status.ok()) {
      return status;
    }
    config.values_[setting.flag] = value;
  }
  return config;
}

const std::string& Config::String(const std::string& flag) const { return values_.at(flag); }

int Config::Int(const std::string& flag) const {
  int value = 0;
  (void)absl::SimpleAtoi(values_.at(flag), &value);  // validated by Load
  return value;
}

absl::Duration Config::Duration(const std::string& flag) const {
  absl::Duration value;
  (void)absl::ParseDuration(values_.at(flag), &value);  // validated by Load
  return value;
}

void ExitWithStartupError(const std::string& program, const absl::Status& status) {
  if (absl::IsNotFound(status) && status.message().rfind("settings", 0) == 0) {
    std::fprintf(stdout, "%s\n%s", program.c_str(), std::string(status.message()).c_str());
    std::exit(0);
  }
  // One line, whatever the cause: libpq's messages carry their own newlines and tabs.
  std::string line;
  for (const char c : status.message()) {
    const bool space = c == '\n' || c == '\t' || c == '\r' || c == ' ';
    if (space && (line.empty() || line.back() == ' ')) continue;
    line.push_back(space ? ' ' : c);
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  std::fprintf(stderr, "%s: %s\n", program.c_str(), line.c_str());
  std::exit(2);
}

Setting PeerTargetSetting(absl::string_view service, int default_port) {
  std::string upper(service);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return {.flag = absl::StrCat(service, "-target"),
          .env = absl::StrCat("DPS_", upper, "_TARGET"),
          .default_value = absl::StrCat("127.0.0.1:", default_port),
          .kind = SettingKind::kString,
          .required = true,
          .help = absl::StrCat("gRPC address of the ", service, " service")};
}

}  // namespace dps::platform
