#include <algorithm>
#include <optional>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/contracts/storage/ipa_repository.h"

namespace dps::contracts {
namespace {

absl::Time StartOf(absl::CivilDay day) { return absl::FromCivil(day, absl::UTCTimeZone()); }

}  // namespace

// Mirrors ActivationDue (ipa.cc) and EndDue (ending.cc): each becomes true at the start of its
// day, UTC. storage's test checks the two agree on either side of the instant returned.
std::optional<absl::Time> NextTimerDue(const Ipa& ipa) {
  std::optional<absl::Time> due;
  const bool running = ipa.state == IpaState::kSigned || ipa.state == IpaState::kActive;
  if (ipa.state == IpaState::kSigned && ipa.current_version() != nullptr &&
      ipa.current_version()->terms.start_date) {
    const absl::CivilDay start = *ipa.current_version()->terms.start_date;
    if (!ipa.ending || ipa.ending->end_date >= start) due = StartOf(start);
  }
  if (running && ipa.ending) {
    const absl::Time end = StartOf(ipa.ending->end_date);
    due = due ? std::min(*due, end) : end;
  }
  return due;
}

}  // namespace dps::contracts
