// Evidence a provider gives for a criterion (an insurance certificate, a registration): which
// piece renews which, and when it is reported as expiring. The storage layer keeps the documents.
#ifndef DPS_SERVICES_QUALIFICATION_DOMAIN_EVIDENCE_H_
#define DPS_SERVICES_QUALIFICATION_DOMAIN_EVIDENCE_H_

#include <optional>
#include <string>

#include "absl/time/civil_time.h"

namespace dps::qualification {

// How many days before its expiry evidence is reported EXPIRING, when no system sets its own
// (SystemRules.evidence_expiry_warning_days): a month to renew before anyone is suspended.
inline constexpr int kDefaultExpiryWarningDays = 30;

struct Evidence {
  std::string id;
  std::string provider_id;
  std::string establishment_id;  // empty: for the provider as a whole
  std::string criterion_id;
  std::optional<absl::CivilDay> expires_on;  // none: it does not expire
  bool in_force = true;                      // VALID: not expired, superseded or withdrawn
};

// Whether `renewal`, newly added, renews `earlier`: evidence of the same provider for the same
// criterion and the same establishment (or both for the provider as a whole), `earlier` still in
// force and due to expire, and `renewal` lasting longer (or not expiring at all). Renewed
// evidence is superseded, and the memberships resting on it rest on the renewal, so a provider
// that renews in time is never suspended for it.
bool Renews(const Evidence& renewal, const Evidence& earlier);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_DOMAIN_EVIDENCE_H_
