// The awards of a purchasing system as an Open Contracting Data Standard 1.1 release package
// (docs/rules.md section 7): the bytes a lead authority publishes, quarterly (PCR2015_DPS,
// LIGHT_TOUCH) or as one contract award notice per award (PA2023_DYNAMIC_MARKET).
//
//   absl::StatusOr<std::string> bytes = WriteReleasePackage(
//       system, "ocds-b5fd17", PackageScope::Quarterly({2027, 2}), awards);
//
// The same inputs give the same bytes: keys in a fixed order, no insignificant whitespace,
// releases in ocid order (then release id), amounts written from integer pence, and no instant
// that is not an input (publishedDate is the latest award time in the package). README.md
// records each mapping from an IPA to OCDS and why.
//
// What identifies a child is never read: the IPA's `children`, its terms' purposes, contacts,
// documents and free text stay out, and so does the establishment (with a date and a value, a
// small home's name says where a child lives).
#ifndef DPS_SERVICES_CONTRACTS_PUBLICATION_OCDS_WRITER_H_
#define DPS_SERVICES_CONTRACTS_PUBLICATION_OCDS_WRITER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/contracts/domain/ipa.h"
#include "services/contracts/domain/publication.h"

namespace dps::contracts::ocds {

// The extension that adds tender.techniques (hasDynamicPurchasingSystem), named in the package's
// `extensions` as OCDS asks.
inline constexpr char kTechniquesExtensionUrl[] =
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_techniques_extension/"
    "master/extension.json";

// An ocid prefix as registered with the Open Contracting Partnership ("ocds-b5fd17"): 1 to 64 of
// letters, digits and '-'. InvalidArgument "`field`: ..." otherwise.
absl::Status ValidateOcidPrefix(absl::string_view field, absl::string_view prefix);

// The contracting process an IPA belongs to, one ocid per process:
//   AWARD           prefix-<referral id>        (the referral's mini-competition)
//   DIRECT_AWARD    prefix-<direct award id>
//   BLOCK_CALL_OFF  prefix-<block contract id>  (each call-off is an award and contract of it)
std::string OcidOf(absl::string_view prefix, const Ipa& ipa);

// What a package holds: a quarter's awards, one award's notice, or one signed contract's
// details notice.
struct PackageScope {
  PublicationKind kind = PublicationKind::kUnspecified;
  std::optional<Quarter> quarter;  // QUARTERLY
  std::string ipa_id;              // CONTRACT_AWARD_NOTICE, CONTRACT_DETAILS_NOTICE

  static PackageScope Quarterly(const Quarter& quarter) {
    return {PublicationKind::kQuarterly, quarter, ""};
  }
  static PackageScope AwardNotice(const std::string& ipa_id) {
    return {PublicationKind::kContractAwardNotice, std::nullopt, ipa_id};
  }
  static PackageScope DetailsNotice(const std::string& ipa_id) {
    return {PublicationKind::kContractDetailsNotice, std::nullopt, ipa_id};
  }
};

// The package's uri, stable for its scope:
//   urn:dps:ocds:<prefix>:<system id>:quarterly:2027-Q2
//   urn:dps:ocds:<prefix>:<system id>:contract-award-notice:<ipa id>
//   urn:dps:ocds:<prefix>:<system id>:contract-details-notice:<ipa id>
std::string PackageUri(absl::string_view prefix, const SystemFacts& system,
                       const PackageScope& scope);

// The release package of `awards` (each an IPA of `system`), as JSON bytes in UTF-8. Refused
// (InvalidArgument) for a bad prefix, a scope that is not QUARTERLY with a valid quarter or a
// notice with exactly the named IPA, no awards (OCDS wants one release at least), an IPA of
// another system or outside the quarter, and an annual value beyond int64; a details notice of an
// IPA not yet signed by both parties is FailedPrecondition (EnteredIntoAt).
//
// A contract signed by both parties carries its dateSigned (EnteredIntoAt) in every package. A
// details notice's release is tagged "contract" only and dated when the contract was entered
// into; the others are tagged "award" and "contract" and dated at the award.
absl::StatusOr<std::string> WriteReleasePackage(const SystemFacts& system,
                                                absl::string_view ocid_prefix,
                                                const PackageScope& scope,
                                                const std::vector<Ipa>& awards);

// "3950.00" for 395000 pence: pounds with exactly two decimals, from integers only, as amounts
// are written in the package.
std::string PoundsOf(int64_t pence);

}  // namespace dps::contracts::ocds

#endif  // DPS_SERVICES_CONTRACTS_PUBLICATION_OCDS_WRITER_H_
