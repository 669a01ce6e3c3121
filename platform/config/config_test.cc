#include "platform/config/config.h"

#include <catch2/catch.hpp>
#include <cstdlib>

namespace dps::platform {
namespace {

const Setting kSettings[] = {
    {"pg-url", "DPS_T_PG_URL", "", SettingKind::kString, true, "database"},
    {"grpc-port", "DPS_T_GRPC_PORT", "7101", SettingKind::kPort, false, "port"},
    {"pool", "DPS_T_POOL", "8", SettingKind::kPositive, false, "pool size"},
    {"idle", "DPS_T_IDLE", "30s", SettingKind::kDuration, false, "idle"},
};

absl::StatusOr<Config> LoadArgs(std::vector<const char*> args) {
  args.insert(args.begin(), "dps-test");
  return Config::Load(static_cast<int>(args.size()), args.data(), kSettings);
}

TEST_CASE("defaults apply, the environment overrides them and a flag overrides both") {
  unsetenv("DPS_T_GRPC_PORT");
  auto config = LoadArgs({"--pg-url=postgresql://x/db"});
  REQUIRE(config.ok());
  CHECK(config->Int("grpc-port") == 7101);
  CHECK(config->Duration("idle") == absl::Seconds(30));
  setenv("DPS_T_GRPC_PORT", "8000", 1);
  CHECK(LoadArgs({"--pg-url=x"})->Int("grpc-port") == 8000);
  CHECK(LoadArgs({"--pg-url=x", "--grpc-port=9000"})->Int("grpc-port") == 9000);
  unsetenv("DPS_T_GRPC_PORT");
}

TEST_CASE("a missing required setting names its flag and variable") {
  unsetenv("DPS_T_PG_URL");
  auto config = LoadArgs({});
  REQUIRE(absl::IsInvalidArgument(config.status()));
  CHECK(config.status().message() == "pg-url: required; set --pg-url= or DPS_T_PG_URL");
}

TEST_CASE("values breaking their kind's rule are refused with the source named") {
  setenv("DPS_T_GRPC_PORT", "70000", 1);
  auto port = LoadArgs({"--pg-url=x"});
  CHECK(port.status().message() ==
        "grpc-port (DPS_T_GRPC_PORT): must be a port number 0-65535, got '70000'");
  unsetenv("DPS_T_GRPC_PORT");
  CHECK(LoadArgs({"--pg-url=x", "--pool=0"}).status().message() ==
        "pool (--pool): must be a whole number >= 1, got '0'");
  CHECK(LoadArgs({"--pg-url=x", "--idle=soon"}).status().message() ==
        "idle (--idle): must be a positive duration such as 500ms, 30s or 5m, got 'soon'");
}

TEST_CASE("unknown and malformed flags are refused") {
  CHECK(LoadArgs({"--pg-url=x", "--colour=red"}).status().message() ==
        "unknown flag --colour (see --help)");
  CHECK(LoadArgs({"--pg-url"}).status().message() ==
        "argument '--pg-url': flags take the form --name=value");
}

TEST_CASE("a peer's address is the same setting wherever it is taken") {
  const Setting target = PeerTargetSetting("qualification", 7101);
  CHECK(target.flag == "qualification-target");
  CHECK(target.env == "DPS_QUALIFICATION_TARGET");
  CHECK(target.default_value == "127.0.0.1:7101");
  CHECK(target.kind == SettingKind::kString);
  CHECK(target.required);
  CHECK(target.help == "gRPC address of the qualification service");
}

}  // namespace
}  // namespace dps::platform
