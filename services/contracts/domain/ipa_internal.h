// Steps the IPA's operations share (ipa.cc, variation.cc, fee_uplift.cc, ending.cc). Not for use
// outside services/contracts/domain: the public operations keep the IPA's rules; these do not.

#ifndef DPS_SERVICES_CONTRACTS_DOMAIN_IPA_INTERNAL_H_
#define DPS_SERVICES_CONTRACTS_DOMAIN_IPA_INTERNAL_H_

#include <initializer_list>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/contracts/domain/ipa.h"

namespace dps::contracts::internal {

// The UTC day of `now`: what "today" means everywhere in the domain.
absl::CivilDay DayOf(absl::Time now);

bool IsOneOf(IpaState state, std::initializer_list<IpaState> states);

// FailedPrecondition "ipa: cannot <action> an IPA that is <STATE>".
absl::Status Refuse(absl::string_view action, IpaState state);

// Moves the IPA to `to` (which may be its state) and writes the history line.
void Record(Ipa& ipa, IpaState to, const std::optional<Actor>& by, std::string what,
            absl::Time now);

// PermissionDenied unless `by` acts for the placing authority (PartyOf).
absl::Status RequireAuthority(const Ipa& ipa, const Actor& by, absl::string_view action);

// Renders `version` (its number set to the next one) and appends it, awaiting signatures.
// Returns its number. A renderer's malformed hash is Internal: the fault is ours, not the
// caller's.
absl::StatusOr<int> AddVersion(Ipa& ipa, IpaVersion version, const VersionRenderer& renderer);

// The mutable version numbered `number` (1-based); the caller knows it exists.
IpaVersion& VersionAt(Ipa& ipa, int number);

}  // namespace dps::contracts::internal

#endif  // DPS_SERVICES_CONTRACTS_DOMAIN_IPA_INTERNAL_H_
