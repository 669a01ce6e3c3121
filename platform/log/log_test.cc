#include "platform/log/log.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace dps::platform {
namespace {

TEST_CASE("a log line is one JSON object with time, level, service, message and fields") {
  SetLogService("referral");
  const std::string line = FormatLogLine(LogLevel::kWarning, "bid rejected \"late\"\n",
                                         {{"request_id", "r-1"}, {"referral", "ref-9"}});
  CHECK(line.find('\n') == std::string::npos);
  const auto json = nlohmann::json::parse(line);
  CHECK(json["level"] == "warning");
  CHECK(json["service"] == "referral");
  CHECK(json["msg"] == "bid rejected \"late\"\n");
  CHECK(json["request_id"] == "r-1");
  CHECK(json["referral"] == "ref-9");
  CHECK(json["ts"].get<std::string>().back() == 'Z');
}

TEST_CASE("invalid UTF-8 in a field is replaced, not thrown") {
  const std::string bad = "\xff\xfe";
  CHECK_NOTHROW(nlohmann::json::parse(FormatLogLine(LogLevel::kInfo, "x", {{"f", bad}})));
}

}  // namespace
}  // namespace dps::platform
