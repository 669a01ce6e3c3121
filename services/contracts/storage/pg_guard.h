// How this folder's PostgreSQL repositories turn what libpqxx throws into a status, and read a
// stored JSON document. Internal to storage/.
#ifndef DPS_SERVICES_CONTRACTS_STORAGE_PG_GUARD_H_
#define DPS_SERVICES_CONTRACTS_STORAGE_PG_GUARD_H_

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "platform/pg/pool.h"

namespace dps::contracts::storage {

// Runs `fn`, turning what libpqxx throws into a status: a unique violation is AlreadyExists
// (`duplicate` says of what), everything else as platform/pg/pool.h says.
template <typename Fn>
auto Guarded(absl::string_view duplicate, Fn fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const pqxx::unique_violation&) {
    return absl::AlreadyExistsError(duplicate);
  } catch (const std::exception& e) {
    return platform::StatusFromPgException(e);
  }
}

// A stored document's JSON; Internal naming `what` when it is not JSON.
inline absl::StatusOr<nlohmann::json> ParseDoc(const pqxx::field& field, absl::string_view what) {
  try {
    return nlohmann::json::parse(field.c_str());
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("stored ", what, " is not JSON: ", e.what()));
  }
}

}  // namespace dps::contracts::storage

#endif  // DPS_SERVICES_CONTRACTS_STORAGE_PG_GUARD_H_
