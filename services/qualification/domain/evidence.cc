#include "services/qualification/domain/evidence.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/qualification/domain/errors.h"

namespace dps::qualification {

bool Renews(const Evidence& renewal, const Evidence& earlier) {
  if (renewal.id == earlier.id || !earlier.in_force() || !earlier.expires_on.has_value()) {
    return false;
  }
  if (renewal.provider_id != earlier.provider_id ||
      renewal.establishment_id != earlier.establishment_id ||
      renewal.criterion_id != earlier.criterion_id) {
    return false;
  }
  return !renewal.expires_on.has_value() || *earlier.expires_on < *renewal.expires_on;
}

std::vector<std::string> RenewedBy(const Evidence& renewal, const std::vector<Evidence>& others) {
  std::vector<std::string> renewed;
  for (const Evidence& earlier : others) {
    if (Renews(renewal, earlier)) renewed.push_back(earlier.id);
  }
  return renewed;
}

absl::Status CheckEvidenceDocument(const EvidenceToAdd& evidence) {
  if (evidence.title.empty()) return InvalidField("title", "required");
  if (evidence.document_uri.empty()) return InvalidField("document_uri", "required");
  if (evidence.document_sha256.size() != 64 ||
      evidence.document_sha256.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return InvalidField("document_sha256", "must be 64 lowercase hex digits");
  }
  return absl::OkStatus();
}

absl::Status CheckEvidenceExpiry(const EvidenceToAdd& evidence, bool criterion_evidence_expires,
                                 absl::string_view criterion_code) {
  if (criterion_evidence_expires && !evidence.expires_on.has_value()) {
    return InvalidField("expires_on",
                        absl::StrCat("required: evidence for ", criterion_code, " expires"));
  }
  return absl::OkStatus();
}

Evidence NewEvidence(std::string id, EvidenceToAdd evidence, absl::Time at) {
  return Evidence{.id = std::move(id),
                  .provider_id = std::move(evidence.provider_id),
                  .establishment_id = std::move(evidence.establishment_id),
                  .criterion_id = std::move(evidence.criterion_id),
                  .title = std::move(evidence.title),
                  .document_uri = std::move(evidence.document_uri),
                  .document_sha256 = std::move(evidence.document_sha256),
                  .issued_on = evidence.issued_on,
                  .expires_on = evidence.expires_on,
                  .state = EvidenceState::kValid,
                  .added_at = at};
}

std::string Expire(Evidence& evidence) {
  evidence.state = EvidenceState::kExpired;
  return absl::StrCat(
      "evidence \"", evidence.title, "\" expired after ",
      evidence.expires_on ? absl::FormatCivilTime(*evidence.expires_on) : std::string("no date"));
}

}  // namespace dps::qualification
