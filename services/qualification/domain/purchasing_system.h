// A purchasing system's configuration (docs/rules.md section 3) and its validation: the regime, the
// lead and participating authorities, the period of validity with its extensions, the entry
// windows, and per lot the qualification criteria, commercial terms, default referral weights,
// parental choice and the needs and features vocabularies.
//
// Validate() checks a whole system; ValidateLot() one lot. Every error is InvalidArgument whose
// message names the field by its path and the rule it breaks, e.g.
//   lots[1].terms.affordability_cap_pence: must be positive, got -5
// The other functions change a system over its life (a lot added, an authority joining, an
// extension taken, criteria changed where the regime allows) and answer questions about it at a
// given instant (IsWindowOpen). None reads the clock.

#ifndef DPS_SERVICES_QUALIFICATION_DOMAIN_PURCHASING_SYSTEM_H_
#define DPS_SERVICES_QUALIFICATION_DOMAIN_PURCHASING_SYSTEM_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "platform/weights/weights.h"
#include "services/qualification/domain/evidence.h"
#include "services/qualification/domain/regime.h"

namespace dps::qualification {

enum class CriterionKind { kPassFail, kWeighted };

// How a system qualifies its members. kWeighted: pass/fail criteria and weighted method
// statements, scored into a qualification score out of 100 (South East). kPassFailOnly: pass/fail
// criteria alone, so no member has a score (North West): no criterion is weighted, and no
// referral weight (a lot's default included) may be put on core competency.
enum class QualificationMode { kWeighted, kPassFailOnly };

// OK, or InvalidArgument naming `field` when a criterion of `kind` cannot be part of a system
// qualifying by `mode`: a weighted criterion in a pass/fail-only system.
absl::Status CheckCriterionKind(QualificationMode mode, CriterionKind kind,
                                absl::string_view field);

// A criterion as the lead authority sets it up (its kind unset when none was given).
struct CriterionDraft {
  std::string code;
  std::string title;
  std::optional<CriterionKind> kind;
  int weight = 0;
  bool retired = false;
};

// Its code and title given, a kind, and the weight its kind takes (a weighted criterion 1-100, a
// pass/fail one none); and the kind one the system's `mode` allows (CheckCriterionKind), unless
// the criterion is retired: a retired one is asked of nobody, so one kept from before a system
// turned pass/fail only may still be edited, and bringing it back is checked. InvalidArgument
// naming the field under `path` ("spec.weight").
absl::Status CheckCriterionDraft(const CriterionDraft& draft, QualificationMode mode,
                                 absl::string_view path);

// A criterion of the system as a change of its mode sees it.
struct CriterionInForce {
  std::string id;
  std::string code;
  CriterionKind kind = CriterionKind::kPassFail;
  bool retired = false;
};

// A system may qualify by `mode` with these criteria: turned pass/fail only, it may keep no
// weighted criterion in force, since each would go on being asked and scored into a
// qualification score the system no longer has (retired ones are asked of nobody).
// InvalidArgument naming `field`, and the first such criterion, otherwise.
absl::Status CheckCriteriaFitMode(QualificationMode mode,
                                  const std::vector<CriterionInForce>& criteria,
                                  absl::string_view field);

// One qualification criterion of a lot. `version` changes whenever the wording or the evidence
// asked for changes, so that "tell us once" can tell an unchanged criterion from a changed one.
struct Criterion {
  std::string code;  // e.g. "insurance", "ofsted-rating", "workforce"
  std::string title;
  CriterionKind kind = CriterionKind::kPassFail;
  int weight = 0;  // Percentage points, weighted criteria only (pass/fail: 0).
  int version = 1;
};

enum class CeilingMode {
  kHard,        // A bid's core fee may not exceed the establishment's ceiling.
  kIndicative,  // A bid above the indicative price needs a written justification.
};

struct CommercialTerms {
  CeilingMode ceiling_mode = CeilingMode::kHard;
  int sibling_discount_bp = 0;     // Basis points of the core fee (500 = 5%).
  int permanence_discount_bp = 0;  // Applies at 9 months' planned duration or more.
  int notice_period_days = 28;
  std::optional<int64_t> affordability_cap_pence;  // Weekly; a ceiling above it is refused.
};

// Percentage points, the default weights of docs/rules.md section 6 unless set; which are valid is
// the product's one weights rule (platform/weights/weights.h), the one referrals and the scoring
// engine apply.
using ReferralWeights = platform::Weights;

struct ParentalChoice {
  bool enabled = false;
  int max_bids = 3;
  double within_points = 5.0;
};

struct Lot {
  std::string code;  // Unique in the system, e.g. "sen-52"
  std::string name;
  absl::Time added_at;
  std::vector<Criterion> criteria;
  CommercialTerms terms;
  ReferralWeights default_weights;
  ParentalChoice parental_choice;
  std::vector<std::string> needs;     // The codes a referral's needs may use.
  std::vector<std::string> features;  // The codes a referral's features may use.
  // The codes of the pre-selection filters and of the rate card, checked by the same code rule
  // (platform/codes/codes.h).
  std::vector<std::string> specialisms;
  std::vector<std::string> placement_types;
  std::vector<std::string> additional_services;
};

// Validity from `start` for `initial_months`, then each optional extension in order as it is
// taken (West Sussex CPOSS: 36 months + 24 + 24).
struct ValidityPeriod {
  absl::CivilDay start;
  int initial_months = 0;
  std::vector<int> extension_months;  // The extensions the contract notice allows, in order.
  int extensions_taken = 0;
};

// The system is closed to new applications from `first` to `last`, both included (UTC days).
struct ClosedPeriod {
  absl::CivilDay first;
  absl::CivilDay last;
};

struct PurchasingSystem {
  std::string id;
  std::string name;
  Regime regime = Regime::kPcr2015Dps;
  RegimeConfig regime_config;
  QualificationMode qualification_mode = QualificationMode::kWeighted;
  std::string lead_authority;
  std::vector<std::string> participating_authorities;  // The lead is a participant regardless.
  ValidityPeriod validity;
  std::vector<ClosedPeriod> closed_periods;  // Empty: always open.
  std::vector<Lot> lots;
  int price_validity_months = 12;  // A member's prices hold this long, then may be resubmitted.
  int audit_interval_months = 12;  // Each establishment is audited this often.
  // Evidence in force is reported EXPIRING this many days before it runs out.
  int evidence_expiry_warning_days = kDefaultExpiryWarningDays;
};

// Checks one lot of a system qualifying by `mode`; `path` prefixes every field name (e.g.
// "lots[1]"). Every vocabulary code by the code rule (platform/codes/codes.h), unique in its list.
absl::Status ValidateLot(const Lot& lot, QualificationMode mode, absl::string_view path);

// Checks the whole system, the regime configuration included.
absl::Status Validate(const PurchasingSystem& system);

// The first day the system is no longer valid (exclusive end), counting the extensions taken.
absl::CivilDay ValidUntil(const ValidityPeriod& validity);

// Whether the period of validity, with the extensions taken, has ended by `at`: its last valid
// day (ValidUntil - 1) is before `at`'s UTC day. A LIVE system then closes by itself (the
// closing timer, ../timers/system_closing.h), and takes no extension, lot or application.
bool HasExpired(const PurchasingSystem& system, absl::Time at);

// OK unless the system has expired at `at` (FailedPrecondition naming the last valid day): a
// system goes LIVE only inside its period of validity, or the closing timer would close it again.
absl::Status CheckMayGoLive(const PurchasingSystem& system, absl::Time at);

// The exclusive end if every allowed extension were taken.
absl::CivilDay LatestPossibleEnd(const ValidityPeriod& validity);

// Takes the next allowed extension. FailedPrecondition when none is left or the system has
// already expired at `at`.
absl::Status TakeExtension(PurchasingSystem& system, absl::Time at);

// Whether a new application may be submitted at `at`: inside the validity period and outside
// every closed period.
bool IsWindowOpen(const PurchasingSystem& system, absl::Time at);

// Adds a lot during the system's life (validated, code unique). FailedPrecondition once the
// system has expired.
absl::Status AddLot(PurchasingSystem& system, Lot lot, absl::Time at);

// An authority joining by access agreement. InvalidArgument for an empty or duplicate name.
absl::Status AddParticipatingAuthority(PurchasingSystem& system, std::string authority);

// Whether `organisation` is the lead or a participating authority.
bool IsParticipatingAuthority(const PurchasingSystem& system, absl::string_view organisation);

// Replaces a lot's criteria. FailedPrecondition unless the regime configuration lets membership
// conditions change; InvalidArgument if the new lot would be invalid or a changed criterion keeps
// its old version (tell-us-once would then reuse answers given to different wording).
absl::Status ChangeCriteria(PurchasingSystem& system, absl::string_view lot_code,
                            std::vector<Criterion> criteria);

// The lot with `code`, or nullptr.
const Lot* FindLot(const PurchasingSystem& system, absl::string_view code);

// Whether the lot has any weighted criterion (otherwise it is pass/fail-only).
bool HasWeightedCriteria(const Lot& lot);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_DOMAIN_PURCHASING_SYSTEM_H_
