#include "tools/api_client/system_loader.h"

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace dps::api_client {

using Json = nlohmann::json;

absl::StatusOr<Json> ReadSystemConfig(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError(absl::StrCat(path, ": cannot be read"));
  std::stringstream text;
  text << in.rdbuf();
  Json parsed = Json::parse(text.str(), nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not a JSON object"));
  }
  for (const char* key : {"system", "lots", "criteria"}) {
    if (!parsed.contains(key)) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": no \"", key, "\""));
    }
  }
  return parsed;
}

HttpResult Change(int gateway_port, const std::string& token, const std::string& method,
                  const std::string& target, const Json& body, const std::string& key) {
  HttpResult result;
  for (int attempt = 0; attempt < 50; ++attempt) {
    result = Api(gateway_port, token, method, target, body.dump(), {{"Idempotency-Key", key}});
    if (result.status != 429 && result.status != 409) break;
    if (result.status == 409 &&
        result.Json().value("detail", "").find("still being served") == std::string::npos) {
      break;  // a conflict of the request itself, not of its key
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return result;
}

namespace {

absl::Status Refused(const std::string& what, const HttpResult& result) {
  const Json problem = result.Json();
  return absl::Status(
      result.status == 0 ? absl::StatusCode::kUnavailable : absl::StatusCode::kFailedPrecondition,
      absl::StrCat(what, ": HTTP ", result.status, " ", problem.value("code", ""), ": ",
                   problem.is_object() ? problem.value("detail", result.body) : result.body));
}

}  // namespace

absl::StatusOr<LoadedSystem> LoadSystem(int gateway_port, const std::string& token,
                                        const Json& config, const std::string& key_prefix) {
  LoadedSystem loaded;
  auto change = [&](const std::string& method, const std::string& target, const Json& body,
                    const std::string& key) {
    return Change(gateway_port, token, method, target, body, absl::StrCat(key_prefix, "-", key));
  };

  const HttpResult created = change("POST", "/v1/purchasingSystems", config["system"], "system");
  if (created.status != 200) return Refused("create the purchasing system", created);
  loaded.system = created.Json();
  const std::string id = loaded.system.value("id", "");
  const std::string system_path = absl::StrCat("/v1/purchasingSystems/", id);

  for (const Json& lot : config["lots"]) {
    const std::string code = lot["spec"].value("code", "");
    const HttpResult made = change("POST", system_path + "/lots", lot, "lot-" + code);
    if (made.status != 200) return Refused("create lot " + code, made);
    loaded.lots[code] = made.Json();
  }

  for (Json criterion : config["criteria"]) {
    const std::string code = criterion["spec"].value("code", "");
    if (criterion["spec"].contains("lot_ids")) {
      Json ids = Json::array();
      for (const Json& lot_code : criterion["spec"]["lot_ids"]) {
        const auto lot = loaded.lots.find(lot_code.get<std::string>());
        if (lot == loaded.lots.end()) {
          return absl::InvalidArgumentError(
              absl::StrCat("criterion ", code, ": spec.lot_ids names lot ", lot_code.dump(),
                           ", which the file does not define"));
        }
        ids.push_back(lot->second["id"]);
      }
      criterion["spec"]["lot_ids"] = ids;
    }
    const HttpResult made =
        change("POST", system_path + "/criteria", criterion, "criterion-" + code);
    if (made.status != 200) return Refused("create criterion " + code, made);
    loaded.criteria[code] = made.Json();
  }

  if (loaded.system.value("state", "") == "PURCHASING_SYSTEM_STATE_DRAFT") {
    const HttpResult live = change(
        "POST", system_path + ":setState",
        Json{{"state", "PURCHASING_SYSTEM_STATE_LIVE"}, {"reason", "contract notice published"}},
        "live");
    if (live.status != 200) return Refused("take the system LIVE", live);
    loaded.system = live.Json();
  }

  // Authorities that join after set-up, by access agreement.
  for (const Json& joining : config.value("authorities", Json::array())) {
    const std::string authority = joining["authority"].value("authority_id", "");
    const HttpResult joined = change("POST", system_path + ":addParticipatingAuthority", joining,
                                     "authority-" + authority);
    if (joined.status != 200) return Refused("add authority " + authority, joined);
    loaded.system = joined.Json();
  }
  return loaded;
}

}  // namespace dps::api_client
