// The procurement regimes a purchasing system can run under, the rules each one imposes
// (docs/rules.md section 3), and the check that a system's configuration only tightens them.
//
// RulesFor(regime) is the table as data: what the law allows at most. A system's RegimeConfig says
// what it chose; ResolveRegime() validates the choice against the table and returns the
// EffectiveRules every other rule in this service reads (decision period, filters, response
// period, direct award, publication, whether membership conditions may change).
//
// Example:
//   RegimeConfig config;
//   config.decision_working_days = 12;                  // more than reg. 34's 10
//   ResolveRegime(Regime::kPcr2015Dps, config);          // InvalidArgument: loosens the regime

#ifndef DPS_SERVICES_QUALIFICATION_DOMAIN_REGIME_H_
#define DPS_SERVICES_QUALIFICATION_DOMAIN_REGIME_H_

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace dps::qualification {

enum class Regime { kPcr2015Dps, kLightTouch, kPa2023DynamicMarket };

// "PCR2015_DPS", "LIGHT_TOUCH", "PA2023_DYNAMIC_MARKET": the names in docs/rules.md and the API.
absl::string_view RegimeName(Regime regime);
absl::StatusOr<Regime> ParseRegime(absl::string_view name);

enum class DirectAward {
  kNotAllowed,
  kWithJustification,
  kWithJustificationAndTransparencyNotice,
};

enum class PublicationGrouping {
  kQuarterly,  // Awards grouped per calendar quarter.
  kPerAward,   // A contract award notice per award, then contract details.
};

// What a regime allows at most. An unset optional means "the regime sets no figure: the
// system must configure one" (or, for the publication deadline, that none is imposed).
struct RegimeRules {
  Regime regime;
  // Deciding an application, in working days from submission.
  std::optional<int> max_decision_working_days;      // PCR: 10. Unset: configured.
  std::optional<int> default_decision_working_days;  // Used when the config says nothing.
  // The one extension allowed with a recorded reason; unset: the regime has none by law.
  std::optional<int> max_extended_decision_working_days;  // PCR: 15.
  // Whether radius and pre-selection filters may exclude an admitted member from a referral.
  bool filters_may_exclude;
  // Shortest response period for a referral. Unset: configured.
  std::optional<absl::Duration> min_response_period;  // PCR: 10 days.
  // Whether a shorter response period may be agreed for the system (PCR reg. 34(15)).
  bool shorter_response_period_by_agreement;
  DirectAward direct_award;
  PublicationGrouping publication;
  std::optional<int> max_publication_days_after_quarter;  // PCR: 30.
  bool conditions_may_change;                             // Membership conditions.
  // Whether placements may be called off from a lot's ranking at admission, without competition:
  // only the light-touch open framework (Northamptonshire). A PCR 2015 DPS awards every contract
  // by competition among its members (reg. 34); a PA 2023 dynamic market by a competitive
  // flexible procedure, apart from its direct award.
  bool ranked_call_off;
};

// The table of docs/rules.md section 3.
const RegimeRules& RulesFor(Regime regime);

// A lot may let pre-selection filters exclude an admitted member (`preselection_allowed`) only
// under a regime whose filters may exclude: InvalidArgument naming `field` otherwise.
absl::Status CheckPreselection(Regime regime, bool preselection_allowed, absl::string_view field);

// A system's choices. Unset fields take the regime's default where it has one.
struct RegimeConfig {
  std::optional<int> decision_working_days;
  // Set only to allow (or shorten) the one extension with a recorded reason.
  std::optional<int> extended_decision_working_days;
  // Radius and pre-selection filters exclude: only where the regime allows; false tightens.
  bool filters_exclude = false;
  std::optional<absl::Duration> min_response_period;
  // Records that the participants agreed a response period shorter than the regime's
  // (needed under PCR for anything under 10 days).
  bool shorter_response_period_agreed = false;
  // Direct award used by this system: only where the regime allows; false tightens.
  bool direct_award_enabled = false;
  std::optional<int> publication_days_after_quarter;
  // Only LIGHT_TOUCH may change membership conditions (with notice); false tightens.
  bool conditions_may_change = false;
  // Call-offs from a lot's ranking (rules.call_off_by_ranking): only where the regime allows.
  bool call_off_by_ranking = false;
};

// What the rest of the service reads.
struct EffectiveRules {
  Regime regime;
  int decision_working_days;
  std::optional<int> extended_decision_working_days;
  bool filters_exclude;
  absl::Duration min_response_period;
  DirectAward direct_award;  // kNotAllowed when the system disabled it.
  PublicationGrouping publication;
  std::optional<int> publication_days_after_quarter;
  bool conditions_may_change;
};

// Validates `config` against RulesFor(regime): every error is InvalidArgument naming the field
// ("regime_config.decision_working_days: ...") and the rule it would loosen.
absl::StatusOr<EffectiveRules> ResolveRegime(Regime regime, const RegimeConfig& config);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_DOMAIN_REGIME_H_
