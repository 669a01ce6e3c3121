// Variations of a SIGNED or ACTIVE IPA (docs/rules.md section 7): each is a new version with a full
// copy of the terms, rendered and hashed when proposed, and in force only once both parties have
// signed it (Sign in ipa.h); the version it replaces is then superseded.
//
//   ProposeVariation --> version N AWAITING_SIGNATURES --Sign x2--> IN_FORCE (N-1 SUPERSEDED)
//                                                      --RejectVariation (other party)--> REJECTED
//                                                      --WithdrawVariation (proposer)--> WITHDRAWN
//
// Rules (README.md, "Variations"): one version awaits signatures at a time; a variation changes
// something; once the placement has started its start date is fixed; a variation takes effect
// from a day not before the effective date of the version in force, so it never reaches back
// over a change already agreed. FEE_UPLIFT variations come only from an approved fee uplift
// (fee_uplift.h).

#ifndef DPS_SERVICES_CONTRACTS_DOMAIN_VARIATION_H_
#define DPS_SERVICES_CONTRACTS_DOMAIN_VARIATION_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/contracts/domain/ipa.h"
#include "services/contracts/domain/terms.h"

namespace dps::contracts {

struct VariationInput {
  VariationKind kind = VariationKind::kUnspecified;
  std::string reason;
  IpaTerms terms;  // the full terms after the variation
  // The first day the new terms govern. Required, except with a new start date (before the
  // placement starts), which is then the effective date.
  std::optional<absl::CivilDay> effective_from;
};

// Adds a version awaiting both signatures, proposed by the party `by` acts for. Returns its
// number. Refused unless SIGNED or ACTIVE, or while another version awaits signatures; the terms
// must be complete and differ from the version in force.
absl::StatusOr<int> ProposeVariation(Ipa& ipa, VariationInput input,
                                     const VersionRenderer& renderer, const Actor& by,
                                     absl::Time now);

// Signs variation `version_number` for the party `by` acts for (Sign in ipa.h, after checking
// that this version is a variation and the one awaiting signatures): NotFound for no such
// version, FailedPrecondition for one that is not a variation or no longer awaits signatures.
absl::Status SignVariation(Ipa& ipa, int version_number, const SignInput& input, const Actor& by,
                           absl::Time now);

// The other party refuses variation `version_number`, with a reason.
absl::Status RejectVariation(Ipa& ipa, int version_number, absl::string_view reason,
                             const Actor& by, absl::Time now);

// The proposing party withdraws variation `version_number`.
absl::Status WithdrawVariation(Ipa& ipa, int version_number, const Actor& by, absl::Time now);

// A variation's id in the API: its IPA's id and version number, "ipa-1f3a.v2". One path segment,
// and read back by the last ".v", so an IPA id holding ".v" still parses.
std::string VariationId(absl::string_view ipa_id, int version_number);

struct VariationRef {
  std::string ipa_id;
  int version_number = 0;
};

// The IPA and version a variation id names. InvalidArgument "<field>: ..." when it is not an
// IPA id followed by ".v" and a version number of 2 or more (version 1 is never a variation).
absl::StatusOr<VariationRef> ParseVariationId(absl::string_view field,
                                              absl::string_view variation_id);

namespace internal {

// ProposeVariation for a party already established, including FEE_UPLIFT variations (whose
// `fee_uplift_id` is set).
absl::StatusOr<int> ProposeVariationAs(Ipa& ipa, VariationInput input, Party party, const Actor& by,
                                       absl::string_view fee_uplift_id,
                                       const VersionRenderer& renderer, absl::Time now);

}  // namespace internal

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_DOMAIN_VARIATION_H_
