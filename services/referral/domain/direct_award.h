// Direct awards (docs/rules.md sections 3 and 5): an emergency placement with one establishment,
// without competition, made where the purchasing system allows it and reported apart from
// competed awards.
//
//   MakeDirectAward --> MADE --ReviewDirectAward (on or after review_on)--> REVIEWED
//
// What the system allows is its regime's rule as its configuration tightened it (the
// qualification service resolves it; the caller passes it in):
//   PCR2015_DPS            never
//   LIGHT_TOUCH            with a justification, where the system enabled it
//   PA2023_DYNAMIC_MARKET  with a justification and a transparency notice published first
// Every direct award also carries a review date: an emergency placement is looked at again.
//
// Two bases (MakeDirectAwardRequest.basis):
//   REGIME           the regime's direct award above (UNSPECIFIED is read as REGIME).
//   RANKED_CALL_OFF  a call-off from the lot's ranking at admission, only where the system's
//                    rules.call_off_by_ranking is set (Northamptonshire's open framework). The
//                    framework's own terms are the competition, so the regime's permission to
//                    award directly is not needed (light touch or not) and no transparency notice
//                    is asked for (one given is checked and kept). Every other rule of a direct
//                    award stands: the justification (why this member, which the provider reads),
//                    the children and district, the start and review dates, the fee, services
//                    and incentive; and the caller still asks the register whether the
//                    establishment can take the children. The establishment must be a QUALIFIED
//                    member of the lot's ranking, and every member ranked above it must be passed
//                    over, each once, with a reason; nothing else may be named as passed over.
//                    CheckCallOffBasis is that rule.
//
// A direct award the system does not allow is FailedPrecondition
//   direct award: this purchasing system does not allow direct award ...
// bad input is InvalidArgument naming the field as MakeDirectAwardRequest spells it
// ("children[0].age_years", "transparency_notice.published_at"). Nothing reads the clock.

#ifndef DPS_SERVICES_REFERRAL_DOMAIN_DIRECT_AWARD_H_
#define DPS_SERVICES_REFERRAL_DOMAIN_DIRECT_AWARD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/referral/domain/bid.h"
#include "services/referral/domain/child.h"
#include "services/referral/domain/referral.h"

namespace dps::referral {

// What the purchasing system allows (kNotAllowed also when a system that may disable it did).
enum class DirectAwardRule {
  kNotAllowed,
  kWithJustification,
  kWithJustificationAndTransparencyNotice,
};

enum class DirectAwardState { kMade, kReviewed };

// "MADE", "REVIEWED" as in the API.
absl::string_view DirectAwardStateName(DirectAwardState state);

// Published (e.g. on Find a Tender) before the award is made.
struct TransparencyNotice {
  std::string reference;
  std::optional<absl::Time> published_at;
};

enum class DirectAwardBasis { kRegime, kRankedCallOff };

// A higher-ranked member a ranked call-off passed over, and why.
struct PassedOver {
  std::string establishment_id;
  std::string reason;
};

// What the placing officer writes (MakeDirectAwardRequest).
struct DirectAwardSpec {
  DirectAwardBasis basis = DirectAwardBasis::kRegime;
  std::vector<PassedOver> passed_over;  // RANKED_CALL_OFF only
  std::string system_id;
  std::string lot_id;
  std::string establishment_id;  // a qualified, unsuspended member of the lot: the caller checks
  std::vector<Child> children;   // one or more (siblings placed together)
  std::string postcode_district;
  std::string justification;
  std::optional<absl::CivilDay> review_on;
  std::optional<TransparencyNotice> transparency_notice;
  std::optional<absl::CivilDay> start_date;
  int planned_duration_months = 0;  // 0: not yet known
  int64_t core_fee_pence = 0;       // in the lot's price basis
  std::vector<AdditionalService> additional_services;
  std::optional<Incentive> incentive;
};

struct DirectAward {
  std::string id;                    // set by the caller
  std::string placing_authority_id;  // set by the caller
  std::string provider_id;           // set by the caller
  DirectAwardSpec spec;
  std::optional<Centroid> centroid;  // the district's; set by the caller
  std::string price_basis;  // the lot's, a dps.common.v1.PriceBasis name; set by the caller
  DirectAwardState state = DirectAwardState::kMade;
  absl::Time made_at;
  Actor made_by;
  std::optional<absl::Time> reviewed_at;
  Actor reviewed_by;
  std::string review_note;
};

// Checks a direct award as it would be made at `now` under `rule`: the rule allows it; the
// system, lot and establishment are named; at least one child and a postcode district; a
// justification; a start date; a review date after the start date and not before today (UTC);
// a transparency notice published before `now` where the rule asks for one; a planned duration of
// 0 to 240 months; a positive core fee; additional services with unique codes and positive units
// and rates; an incentive, if any, achieved after the start date.
absl::Status ValidateDirectAward(const DirectAwardSpec& spec, DirectAwardRule rule, absl::Time now);

// The basis rule (see the top of this file), for a spec ValidateDirectAward passed:
// `call_off_by_ranking` is the system's rule, `ranking` the establishments of the lot's QUALIFIED
// members in rank order, highest first (empty for a REGIME award). Errors:
//   passed_over with REGIME              InvalidArgument "passed_over: ..."
//   RANKED_CALL_OFF, system not ranked   FailedPrecondition "basis: ..."
//   establishment not in the ranking     FailedPrecondition "establishment_id: ..."
//   an entry not ranked above it         InvalidArgument "passed_over[i].establishment_id: ..."
//   an entry without a reason            InvalidArgument "passed_over[i].reason: ..."
//   a higher-ranked member not named     InvalidArgument "passed_over: <establishment> ..."
absl::Status CheckCallOffBasis(const DirectAwardSpec& spec, bool call_off_by_ranking,
                               const std::vector<std::string>& ranking);

// A direct award MADE at `now` by `by`, once ValidateDirectAward passes.
absl::StatusOr<DirectAward> MakeDirectAward(DirectAwardSpec spec, DirectAwardRule rule,
                                            const Actor& by, absl::Time now);

// True when the award is still MADE and its review date is `today` or earlier.
bool ReviewDue(const DirectAward& award, absl::CivilDay today);

// MADE -> REVIEWED, with a note of what the review found; only on or after the review date.
absl::Status ReviewDirectAward(DirectAward& award, absl::string_view note, const Actor& by,
                               absl::Time now);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_DOMAIN_DIRECT_AWARD_H_
