// Fee uplift requests (docs/rules.md section 7; seed 002): a provider asks to raise an IPA's core
// weekly fee, with a justification; a commissioner of the placing authority approves it (in full
// or in part) or refuses it, with a reason. Nothing rises by itself: there is no automatic
// inflation, and only the commissioner's decision makes an uplift.
//
//   RequestFeeUplift --> REQUESTED --DecideFeeUplift--> APPROVED | PARTLY_APPROVED | REFUSED
//                                  --WithdrawFeeUplift (provider)--> WITHDRAWN
//
// An approval proposes a FEE_UPLIFT variation (variation.h) with the new core fee from the
// requested effective date; like every version it is in force once both parties sign it.
//
// At most one request per IPA in any 12 months, measured from the previous request's submission
// (README.md, "Fee uplifts"): a request submitted on 15 March 2027 allows the next from
// 15 March 2028, in UTC days. Every request counts, refused ones included, except one the
// provider withdrew before it was decided.

#ifndef DPS_SERVICES_CONTRACTS_DOMAIN_FEE_UPLIFT_H_
#define DPS_SERVICES_CONTRACTS_DOMAIN_FEE_UPLIFT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/contracts/domain/ipa.h"

namespace dps::contracts {

// Months between fee uplift requests on one IPA.
inline constexpr int kMonthsBetweenUpliftRequests = 12;

enum class UpliftState { kRequested, kApproved, kPartlyApproved, kRefused, kWithdrawn };

// "REQUESTED", "APPROVED", ... as in the API.
absl::string_view UpliftStateName(UpliftState state);

// One cost behind an uplift: which core-cost category rises, why, and by how much a week.
struct CostPressure {
  std::string category;  // the API's CoreCostCategory name without its prefix: "CORE_STAFFING"
  std::string description;
  int64_t weekly_increase_pence = 0;

  bool operator==(const CostPressure&) const = default;
};

// Cost pressures a request may itemise.
inline constexpr size_t kMaxCostPressures = 100;

struct FeeUplift {
  std::string id;
  std::string ipa_id;
  std::string provider_id;
  std::string placing_authority_id;
  // The authority leading the IPA's purchasing system: its admins and auditors oversee uplifts.
  std::string lead_authority_id;
  int64_t current_core_fee_pence = 0;  // the weekly core fee in force when requested
  int64_t requested_core_fee_pence = 0;
  absl::CivilDay effective_from;
  std::string justification;
  std::vector<CostPressure> cost_pressures;
  UpliftState state = UpliftState::kRequested;
  std::string requested_by_user_id;
  absl::Time requested_at;
  int64_t approved_core_fee_pence = 0;  // APPROVED, PARTLY_APPROVED
  std::string decision_reason;
  std::optional<Actor> decided_by;
  std::optional<absl::Time> decided_at;
  int variation_version_number = 0;  // the version an approval proposed
};

struct UpliftRequestInput {
  int64_t requested_core_fee_pence = 0;          // weekly, above the current core fee
  std::optional<absl::CivilDay> effective_from;  // required: today or later
  std::string justification;                     // required, at most 20,000 characters
  // Optional: each with a category and a description, an increase of at least 1p; together no
  // more than the increase asked for.
  std::vector<CostPressure> cost_pressures;
};

// The first UTC day a new request on the IPA may be submitted, given its earlier requests
// (requests of other IPAs are ignored), or nullopt when nothing holds one back.
std::optional<absl::CivilDay> NextUpliftRequestDay(const std::string& ipa_id,
                                                   const std::vector<FeeUplift>& earlier);

// A new REQUESTED uplift `uplift_id` on a SIGNED or ACTIVE IPA, by a user of its provider.
// Refused while an earlier request awaits a decision or within 12 months of the last one
// (FailedPrecondition, naming the day the next may be made).
absl::StatusOr<FeeUplift> RequestFeeUplift(const Ipa& ipa, const std::vector<FeeUplift>& earlier,
                                           absl::string_view uplift_id, UpliftRequestInput input,
                                           const Actor& by, absl::Time now);

struct UpliftDecision {
  UpliftState outcome = UpliftState::kRequested;  // APPROVED, PARTLY_APPROVED or REFUSED
  int64_t approved_core_fee_pence = 0;            // PARTLY_APPROVED: above current, below asked
  std::string reason;                             // required
};

// Decides a REQUESTED uplift of `ipa`: only a COMMISSIONER of the IPA's placing authority
// (PermissionDenied for anyone else, a placing officer included). An approval proposes the
// FEE_UPLIFT variation on `ipa`, and is refused (changing neither) when the IPA is no longer
// SIGNED or ACTIVE or another version awaits signatures.
absl::Status DecideFeeUplift(FeeUplift& uplift, Ipa& ipa, const UpliftDecision& decision,
                             const VersionRenderer& renderer, const Actor& by, absl::Time now);

// The provider withdraws its REQUESTED uplift; the request then does not count towards the
// 12 months.
absl::Status WithdrawFeeUplift(FeeUplift& uplift, const Actor& by, absl::Time now);

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_DOMAIN_FEE_UPLIFT_H_
