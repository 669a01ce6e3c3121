// The pieces every stored JSON document of this folder is written and read with (ipa_json.cc,
// kpi_json.cc, pg_publication_repository.cc): days, instants, optional and empty fields, actors,
// and the one way a document storage cannot read is reported. Internal to storage/.
#ifndef DPS_SERVICES_CONTRACTS_STORAGE_RECORD_JSON_H_
#define DPS_SERVICES_CONTRACTS_STORAGE_RECORD_JSON_H_

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/contracts/domain/ipa.h"
#include "services/contracts/storage/ipa_json.h"

namespace dps::contracts::storage::record {

using nlohmann::json;

// A record storage cannot read: thrown while reading, turned into Internal by Reading.
struct BadRecord : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline std::string Day(absl::CivilDay day) { return absl::FormatCivilTime(day); }

inline absl::CivilDay ReadDay(const json& j) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(j.get<std::string>(), &day)) {
    throw BadRecord(absl::StrCat("bad day ", j.dump()));
  }
  return day;
}

inline absl::Time ReadInstant(const json& j) {
  absl::StatusOr<absl::Time> at = ParseInstant(j.get<std::string>());
  if (!at.ok()) throw BadRecord(std::string(at.status().message()));
  return *at;
}

inline void PutDay(json& j, const char* key, const std::optional<absl::CivilDay>& day) {
  if (day) j[key] = Day(*day);
}
inline std::optional<absl::CivilDay> OptDay(const json& j, const char* key) {
  if (!j.contains(key)) return std::nullopt;
  return ReadDay(j.at(key));
}
inline void PutInstant(json& j, const char* key, const std::optional<absl::Time>& at) {
  if (at) j[key] = FormatInstant(*at);
}
inline std::optional<absl::Time> OptInstant(const json& j, const char* key) {
  if (!j.contains(key)) return std::nullopt;
  return ReadInstant(j.at(key));
}

// A string field; absent reads as "" (empty strings are left out when written).
inline std::string Str(const json& j, const char* key) {
  return j.contains(key) ? j.at(key).get<std::string>() : std::string();
}
inline void PutStr(json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}

// The enum value whose domain name (`name_of`) is stored in `j`: the stored names are the
// domain's own, so the two cannot drift apart.
template <typename E>
E Parse(const json& j, std::initializer_list<E> values, absl::string_view (*name_of)(E)) {
  const std::string name = j.get<std::string>();
  for (E value : values) {
    if (name_of(value) == name) return value;
  }
  throw BadRecord(absl::StrCat("unknown name \"", name, "\""));
}

// An actor as stored: user, role ("PLACING_OFFICER") and organisation.
inline json ActorToJson(const Actor& actor) {
  json j = {{"user_id", actor.user_id}, {"role", std::string(RoleName(actor.role))}};
  PutStr(j, "organisation_id", actor.organisation_id);
  return j;
}
inline Actor ActorFromJson(const json& j) {
  return {j.at("user_id").get<std::string>(),
          Parse(j.at("role"),
                {Role::kLeadAuthorityAdmin, Role::kEvaluator, Role::kPlacingOfficer,
                 Role::kCommissioner, Role::kProviderUser, Role::kAuditor, Role::kService},
                &RoleName),
          Str(j, "organisation_id")};
}

// Runs `read`, turning anything it throws into Internal naming `what`.
template <typename Fn>
absl::Status Reading(absl::string_view what, Fn read) {
  try {
    read();
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("stored ", what, " unreadable: ", e.what()));
  }
}

}  // namespace dps::contracts::storage::record

#endif  // DPS_SERVICES_CONTRACTS_STORAGE_RECORD_JSON_H_
