// For tests: the whole aggregate as one JSON value (the IPA's document, and each version's
// columns, terms, document and signatures), so two IPAs compare field by field with a readable
// difference.
#ifndef DPS_SERVICES_CONTRACTS_STORAGE_IPA_JSON_TESTING_H_
#define DPS_SERVICES_CONTRACTS_STORAGE_IPA_JSON_TESTING_H_

#include <nlohmann/json.hpp>
#include <string>

#include "absl/time/civil_time.h"
#include "services/contracts/storage/ipa_json.h"

namespace dps::contracts::storage::testing {

inline nlohmann::json WholeIpa(const Ipa& ipa) {
  nlohmann::json j = IpaToJson(ipa);
  j["versions"] = nlohmann::json::array();
  for (const IpaVersion& v : ipa.versions) {
    nlohmann::json version = VersionToJson(v);
    version["number"] = v.number;
    version["state"] = std::string(VersionStateName(v.state));
    version["effective_from"] = absl::FormatCivilTime(v.effective_from);
    version["terms"] = TermsToJson(v.terms);
    version["document_sha256"] = v.document_sha256;
    version["byte_length"] = v.byte_length;
    version["signatures"] = nlohmann::json::array();
    for (const Signature& s : v.signatures) {
      version["signatures"].push_back({{"party", std::string(PartyName(s.party))},
                                       {"user_id", s.user_id},
                                       {"organisation_id", s.organisation_id},
                                       {"name", s.name},
                                       {"position", s.position},
                                       {"signed_at", FormatInstant(s.signed_at)},
                                       {"document_sha256", s.document_sha256},
                                       {"version_number", s.version_number}});
    }
    j["versions"].push_back(std::move(version));
  }
  return j;
}

}  // namespace dps::contracts::storage::testing

#endif  // DPS_SERVICES_CONTRACTS_STORAGE_IPA_JSON_TESTING_H_
