// Evidence a provider gives for a criterion (an insurance certificate, a registration): which
// piece renews which, and when it is reported as expiring. The storage layer keeps the documents.
#ifndef DPS_SERVICES_QUALIFICATION_DOMAIN_EVIDENCE_H_
#define DPS_SERVICES_QUALIFICATION_DOMAIN_EVIDENCE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace dps::qualification {

// How many days before its expiry evidence is reported EXPIRING, when no system sets its own
// (SystemRules.evidence_expiry_warning_days): a month to renew before anyone is suspended.
inline constexpr int kDefaultExpiryWarningDays = 30;

// As kept. EXPIRING is not a state of its own: VALID evidence is reported so within the warning
// period, which depends on the day and the system asking.
enum class EvidenceState { kValid, kExpired, kSuperseded };

struct Evidence {
  std::string id;
  std::string provider_id;
  std::string establishment_id;  // empty: for the provider as a whole
  std::string criterion_id;
  std::string title;            // e.g. "Employer's liability certificate 2025"
  std::string document_uri;     // where the document store keeps it
  std::string document_sha256;  // lowercase hex digest of the document's bytes
  std::optional<absl::CivilDay> issued_on;
  std::optional<absl::CivilDay> expires_on;  // none: it does not expire; else its last valid day
  EvidenceState state = EvidenceState::kValid;
  absl::Time added_at;

  // VALID: not expired nor superseded.
  bool in_force() const { return state == EvidenceState::kValid; }
};

// What a provider adds: the document and what it is evidence of.
struct EvidenceToAdd {
  std::string provider_id;
  std::string establishment_id;  // empty: for the provider as a whole
  std::string criterion_id;
  std::string title;
  std::string document_uri;
  std::string document_sha256;
  std::optional<absl::CivilDay> issued_on;
  std::optional<absl::CivilDay> expires_on;
};

// The document's own fields: a title, where it is kept, and its digest as 64 lowercase hex
// digits (InvalidArgument naming the field).
absl::Status CheckEvidenceDocument(const EvidenceToAdd& evidence);

// Evidence for a criterion whose evidence expires (`criterion_code`'s: an insurance certificate,
// a registration) must say when: InvalidArgument "expires_on: required: evidence for <code>
// expires" otherwise.
absl::Status CheckEvidenceExpiry(const EvidenceToAdd& evidence, bool criterion_evidence_expires,
                                 absl::string_view criterion_code);

// The new piece, VALID from `at`.
Evidence NewEvidence(std::string id, EvidenceToAdd evidence, absl::Time at);

// Whether `renewal`, newly added, renews `earlier`: evidence of the same provider for the same
// criterion and the same establishment (or both for the provider as a whole), `earlier` still in
// force and due to expire, and `renewal` lasting longer (or not expiring at all). Renewed
// evidence is superseded, and the memberships resting on it rest on the renewal, so a provider
// that renews in time is never suspended for it.
bool Renews(const Evidence& renewal, const Evidence& earlier);

// The ids of `others` that `renewal` renews, in their order.
std::vector<std::string> RenewedBy(const Evidence& renewal, const std::vector<Evidence>& others);

// VALID -> EXPIRED, past its last valid day. Returns why the memberships resting on it are
// suspended, e.g. "evidence \"Employer's liability 2026\" expired after 2027-03-31".
std::string Expire(Evidence& evidence);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_DOMAIN_EVIDENCE_H_
