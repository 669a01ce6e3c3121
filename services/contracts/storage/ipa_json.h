// The JSON documents storage keeps of the domain's IPA and fee uplifts (migrations/): written and
// read here, field by field, so the stored shape is ours and not the API's (an API change never
// rewrites a record, and a record change never reaches a client). Instants are RFC 3339 in UTC,
// days "2027-04-01", enums their upper-case names; absent optionals are left out.
//
// Four documents: the IPA without its versions (ipas.doc), a version's terms
// (ipa_versions.terms), the rest of a version without its signatures (ipa_versions.doc), and a
// fee uplift request whole (fee_uplifts.doc, migrations/0002_fee_uplifts.sql). They share the
// helpers for instants, days, enums and actors, so a day or an actor reads the same in each.
// Reading fails with Internal naming what is wrong: the database holds something storage did not
// write.
#ifndef DPS_SERVICES_CONTRACTS_STORAGE_IPA_JSON_H_
#define DPS_SERVICES_CONTRACTS_STORAGE_IPA_JSON_H_

#include <nlohmann/json.hpp>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/contracts/domain/fee_uplift.h"
#include "services/contracts/domain/ipa.h"

namespace dps::contracts::storage {

// ipas.doc: every field of `ipa` but `versions`.
nlohmann::json IpaToJson(const Ipa& ipa);
// Sets every field of `ipa` but `versions` from ipas.doc.
absl::Status IpaFromJson(const nlohmann::json& json, Ipa& ipa);

nlohmann::json TermsToJson(const IpaTerms& terms);
absl::StatusOr<IpaTerms> TermsFromJson(const nlohmann::json& json);

// ipa_versions.doc: every field of `version` but number, state, effective_from, terms, hash,
// length and signatures, which have columns (or, for signatures, rows) of their own.
nlohmann::json VersionToJson(const IpaVersion& version);
absl::Status VersionFromJson(const nlohmann::json& json, IpaVersion& version);

// fee_uplifts.doc: every field of `uplift`, the ones with columns included (the columns are
// copies for constraints and lists; the document is what is read back).
nlohmann::json UpliftToJson(const FeeUplift& uplift);
absl::StatusOr<FeeUplift> UpliftFromJson(const nlohmann::json& json);

// Names of the enums that have columns, and back; parsing an unknown name is Internal.
absl::StatusOr<IpaState> ParseIpaState(absl::string_view name);
absl::StatusOr<VersionState> ParseVersionState(absl::string_view name);
absl::StatusOr<Party> ParseParty(absl::string_view name);

// Instants and days as stored.
std::string FormatInstant(absl::Time at);
absl::StatusOr<absl::Time> ParseInstant(absl::string_view text);

}  // namespace dps::contracts::storage

#endif  // DPS_SERVICES_CONTRACTS_STORAGE_IPA_JSON_H_
