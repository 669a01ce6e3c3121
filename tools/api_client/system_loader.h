// Sets a purchasing system up from its configuration file (data/systems/*.json) through the REST
// gateway only, as the lead authority's admin would: the system, its lots, its criteria (whose
// `spec.lot_ids` name lots by code, replaced here by the ids the server gave), the authorities
// that join by access agreement, and then LIVE. See data/systems/README.md for the format.
//
// Every change carries an idempotency key made from `key_prefix` and what it does, so loading the
// same file again with the same prefix returns the records made the first time.
#ifndef DPS_TOOLS_API_CLIENT_SYSTEM_LOADER_H_
#define DPS_TOOLS_API_CLIENT_SYSTEM_LOADER_H_

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "absl/status/statusor.h"
#include "tools/api_client/http_client.h"

namespace dps::api_client {

struct LoadedSystem {
  nlohmann::json system;                           // the PurchasingSystem, once LIVE
  std::map<std::string, nlohmann::json> lots;      // code -> Lot
  std::map<std::string, nlohmann::json> criteria;  // code -> Criterion
};

// Reads and parses one configuration file (INVALID_ARGUMENT naming the file when it cannot).
absl::StatusOr<nlohmann::json> ReadSystemConfig(const std::string& path);

// Loads `config` through the gateway on 127.0.0.1:`gateway_port` with the lead authority admin's
// `token`. The first refusal stops it: the status carries the call, the HTTP status and the
// problem's detail.
absl::StatusOr<LoadedSystem> LoadSystem(int gateway_port, const std::string& token,
                                        const nlohmann::json& config,
                                        const std::string& key_prefix);

// One change (POST or PUT) with an Idempotency-Key, retried while the gateway answers 429 (over
// the caller's rate) or 409 for a request with the same key still being served.
HttpResult Change(int gateway_port, const std::string& token, const std::string& method,
                  const std::string& target, const nlohmann::json& body, const std::string& key);

}  // namespace dps::api_client

#endif  // DPS_TOOLS_API_CLIENT_SYSTEM_LOADER_H_
