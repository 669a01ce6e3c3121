#include "services/qualification/domain/participation.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "platform/codes/codes.h"
#include "services/qualification/domain/errors.h"

namespace dps::qualification {

absl::string_view BodyTypeName(BodyType type) {
  switch (type) {
    case BodyType::kLocalAuthority:
      return "LOCAL_AUTHORITY";
    case BodyType::kPolice:
      return "POLICE";
    case BodyType::kSchool:
      return "SCHOOL";
    case BodyType::kHealth:
      return "HEALTH";
    case BodyType::kOtherPublicBody:
      return "OTHER_PUBLIC_BODY";
  }
  return "UNKNOWN";
}

absl::Status CheckParticipant(const Participant& participant, bool other_bodies_may_call_off,
                              const std::vector<std::string>* system_lot_codes,
                              absl::string_view path) {
  if (participant.body_type != BodyType::kLocalAuthority && !other_bodies_may_call_off) {
    return InvalidField(absl::StrCat(path, ".body_type"),
                        absl::StrCat("a ", BodyTypeName(participant.body_type),
                                     " body may call off only where other_bodies_may_call_off is "
                                     "set; this system is for local authorities"));
  }
  absl::flat_hash_set<absl::string_view> seen;
  for (size_t i = 0; i < participant.lot_codes.size(); ++i) {
    const std::string field = absl::StrCat(path, ".lot_codes[", i, "]");
    const std::string& code = participant.lot_codes[i];
    if (absl::Status s = platform::CheckCode(field, code); !s.ok()) return s;
    if (!seen.insert(code).second) {
      return InvalidField(field, absl::StrCat("duplicate code \"", code, "\""));
    }
    if (system_lot_codes != nullptr && std::find(system_lot_codes->begin(), system_lot_codes->end(),
                                                 code) == system_lot_codes->end()) {
      return InvalidField(field, absl::StrCat("no lot \"", code, "\" in the system"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckParticipants(const std::vector<Participant>& participants,
                               bool other_bodies_may_call_off,
                               const std::vector<std::string>* system_lot_codes,
                               absl::string_view path) {
  for (size_t i = 0; i < participants.size(); ++i) {
    if (absl::Status s = CheckParticipant(participants[i], other_bodies_may_call_off,
                                          system_lot_codes, absl::StrCat(path, "[", i, "]"));
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status CheckMayCallOffLot(absl::string_view lead_authority,
                                const std::vector<Participant>& participants,
                                absl::string_view organisation, absl::string_view lot_code) {
  const auto listed =
      std::find_if(participants.begin(), participants.end(),
                   [&](const Participant& p) { return p.authority_id == organisation; });
  if (listed == participants.end()) {
    // The lead runs the system and places through every lot of it unless it lists itself.
    if (!organisation.empty() && organisation == lead_authority) return absl::OkStatus();
    return absl::PermissionDeniedError(
        absl::StrCat("organisation ", organisation, " takes no part in the purchasing system"));
  }
  if (listed->lot_codes.empty() || std::find(listed->lot_codes.begin(), listed->lot_codes.end(),
                                             lot_code) != listed->lot_codes.end()) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat("authority ", organisation, " does not take part in lot ", lot_code,
                   " (it calls off ", absl::StrJoin(listed->lot_codes, ", "), ")"));
}

}  // namespace dps::qualification
