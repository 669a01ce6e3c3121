// Membership of a purchasing system, per (establishment, lot): the live list of who may be invited.
//
//   (decided application) --Qualify--> QUALIFIED <--Reinstate-- SUSPENDED
//                                          |  ----Suspend---->      |
//                                          +------Exclude-----> EXCLUDED <--Exclude--+
//
// SUSPENDED records why (cause, reason, since) and which items failed; reinstatement needs a newer
// passing answer for every one of them ("only the failed items resubmitted"): the provider
// resubmits the items that are criteria in a reinstatement application (SubmitReinstatement), and
// the lead authority lifts its own concerns itself. Reinstatement leaves the qualification score
// and the prices as they were. EXCLUDED is final
// for the system's life. Beside the state: the annual audit due date, prices that may be
// resubmitted after the system's price validity (12 months unless configured; not before) through
// a price resubmission application, bounded 6-monthly score adjustments with the score
// in force at any instant computable from the history, and a full history of every change
// (who, when, from, to, why).
//
// Forbidden transitions give FailedPrecondition naming the membership and the state, e.g.
//   membership: cannot reinstate an EXCLUDED membership
// Bad input gives InvalidArgument naming the field. A function changes the Membership passed in
// only when it succeeds. Nothing reads the clock: every instant is a parameter.

#ifndef DPS_SERVICES_QUALIFICATION_DOMAIN_MEMBERSHIP_H_
#define DPS_SERVICES_QUALIFICATION_DOMAIN_MEMBERSHIP_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/qualification/domain/application.h"
#include "services/qualification/domain/purchasing_system.h"

namespace dps::qualification {

enum class MembershipState { kQualified, kSuspended, kExcluded };

// "QUALIFIED", "SUSPENDED", "EXCLUDED".
absl::string_view MembershipStateName(MembershipState state);

enum class SuspensionCause {
  kLeadDecision,
  kEvidenceExpiry,
  kInspectionInadequate,
  kSafeguardingAlert,
  kAuditFailed,
};

absl::string_view SuspensionCauseName(SuspensionCause cause);

// One item that must be resubmitted (and pass) before reinstatement: usually a criterion code
// ("insurance", "ofsted-rating"), or a name the lead authority gives its own concern.
struct FailedItem {
  std::string item;
  SuspensionCause cause = SuspensionCause::kLeadDecision;
  std::string reason;
  absl::Time since;
  // What caused it, where a record did: the safeguarding alert, the inspection rating, the
  // evidence or the audit, by id (the cause says which); empty for the lead authority's own
  // decision.
  std::string cause_id;
  std::string by;  // who suspended: a user, or a timer
};

// A resubmitted item that passed evaluation at `passed_at`.
struct PassedItem {
  std::string item;
  absl::Time passed_at;
};

// One line of the history, as the register keeps and shows it: who changed what, when, from
// what to what and why. `from` and `to` are the state names, the audit days, the weekly fees
// or the scores, by what changed.
struct MembershipChange {
  absl::Time at;
  std::string actor;
  std::string from;
  std::string to;
  std::string reason;
};

// The qualification score from `at` on. The first entry is the score at qualification.
struct ScoreEntry {
  absl::Time at;
  double score = 0;
  double requested_delta = 0;  // 0 for the qualification entry.
  std::string reason;
  std::string actor;
};

// The bound on contract-management score adjustments.
struct ScoreAdjustmentPolicy {
  double max_points = 10.0;    // |delta| at most this.
  int min_months_between = 6;  // Since qualification or the last adjustment.
};

struct Membership {
  std::string id;
  std::string system_id;
  std::string lot_code;  // the lot's id
  std::string establishment_id;
  std::string provider_id;
  std::string application_id;  // the application that admitted it
  MembershipState state = MembershipState::kQualified;
  absl::Time qualified_at;
  absl::Time last_audit_at;       // qualified_at until the first audit.
  absl::CivilDay next_audit_due;  // under the system's audit interval when last set
  CommercialSubmission prices;
  absl::CivilDay prices_valid_from;      // the day the prices in force took effect
  absl::CivilDay prices_valid_until;     // the day before new prices may be submitted
  std::vector<ScoreEntry> scores;        // Empty for a pass/fail-only lot.
  std::vector<FailedItem> failed_items;  // Non-empty exactly while SUSPENDED.
  std::vector<MembershipChange> history;
  int64_t version = 0;  // raised by each save
};

// A new QUALIFIED membership from a decided, qualified part of an application: its prices and
// qualification score carry over; its first audit falls due after the system's audit interval
// and its prices hold for the system's price validity. The caller names it (id, system,
// provider, application). FailedPrecondition when the part has no decision or failed.
absl::StatusOr<Membership> Qualify(const ApplicationPart& part, const PurchasingSystem& system,
                                   absl::Time at, absl::string_view actor);

// Whether the establishment may apply again for the lot given its existing membership: a
// rejected applicant has none and may; a member may not (a suspended one reinstates instead);
// an excluded one never may.
absl::Status CheckMayApply(const Membership& existing);

// QUALIFIED or SUSPENDED -> SUSPENDED, adding `items` (a second cause while suspended adds to
// the items to resubmit), each naming `cause_id` (the record that caused it, if any) and `actor`.
// InvalidArgument for no items or no reason.
absl::Status Suspend(Membership& membership, SuspensionCause cause, std::vector<std::string> items,
                     std::string reason, absl::Time at, absl::string_view actor,
                     absl::string_view cause_id = {});

// Suspends for every answer whose evidence has expired by `at`'s day. Returns whether it
// suspended (false: nothing expired, no change).
absl::StatusOr<bool> SuspendForExpiredEvidence(Membership& membership,
                                               const std::vector<Answer>& answers, absl::Time at,
                                               absl::string_view actor);

enum class InspectionGrade { kOutstanding, kGood, kRequiresImprovement, kInadequate };

// An imported inspection grade: Inadequate suspends, naming `rating_item` (the lot's rating
// criterion) as the item to resubmit and `rating_id` as the cause; any other grade changes
// nothing. Returns whether it suspended.
absl::StatusOr<bool> ApplyInspectionGrade(Membership& membership, InspectionGrade grade,
                                          absl::string_view rating_item, absl::Time at,
                                          absl::string_view actor,
                                          absl::string_view rating_id = {});

// The failed items of `membership` that a reinstatement application resubmits: those that are
// criteria of `lot` (the membership's), in the order they failed. The others (the lead
// authority's own review, a safeguarding alert) are not answered by the provider: the lead
// authority lifts them. FailedPrecondition naming the state unless the membership is SUSPENDED,
// or when none of its failed items is a criterion, e.g.
//   membership: cannot resubmit the failed items of a QUALIFIED membership (only a SUSPENDED one)
absl::StatusOr<std::vector<std::string>> ItemsToResubmit(const Membership& membership,
                                                         const Lot& lot);

// The failed items of `membership` the lead authority lifts itself when it reinstates
// (ReinstateMembership), with or without an application for the rest: those it suspended for
// (its own decision, a safeguarding alert), and those no resubmission can answer because `lot`
// no longer asks them (a criterion retired, or taken off the lot, since it failed).
std::vector<std::string> ItemsTheLeadLifts(const Membership& membership, const Lot& lot);

// DRAFT -> SUBMITTED for a reinstatement of `membership`: its one part must be the membership's
// establishment and lot (InvalidArgument otherwise); ItemsToResubmit must hold; the part may
// answer only those items (InvalidArgument naming the answer) and must answer every one of them
// (FailedPrecondition listing the missing); then Submit checks the answers (evidence expired
// already is refused) with no entry window and no prices.
absl::Status SubmitReinstatement(Application& application, const PurchasingSystem& system,
                                 const Membership& membership, absl::Time at,
                                 absl::string_view actor);

// SUSPENDED -> QUALIFIED once every failed item has a passing resubmission newer than the
// suspension of that item; FailedPrecondition listing the items still missing otherwise.
absl::Status Reinstate(Membership& membership, const std::vector<PassedItem>& passed, absl::Time at,
                       absl::string_view actor);

// QUALIFIED or SUSPENDED -> EXCLUDED, final. InvalidArgument for no reason.
absl::Status Exclude(Membership& membership, std::string reason, absl::Time at,
                     absl::string_view actor);

// Whether the establishment receives new referrals in the lot: QUALIFIED only.
bool IsInvitable(const Membership& membership);

// Records an audit that confirmed the criteria still hold (a failing one suspends instead): the
// next falls due `interval_months` (the system's audit interval as it is now) after it.
// FailedPrecondition for an EXCLUDED membership.
absl::Status RecordAudit(Membership& membership, absl::Time at, absl::string_view actor,
                         std::string note, int interval_months);

// The first day new prices may be submitted: `validity_months` (the system's
// price_validity_months) after the day the current ones took effect.
absl::CivilDay PricesResubmittableFrom(const Membership& membership, int validity_months);

// Whether new prices may be submitted at `at`. FailedPrecondition naming the first allowed day
// before PricesResubmittableFrom(), or for an EXCLUDED membership, e.g.
//   membership: cannot resubmit prices before 2027-01-08: prices hold for 12 months
absl::Status CheckMayResubmitPrices(const Membership& membership, int validity_months,
                                    absl::Time at);

// DRAFT -> SUBMITTED for a price resubmission of `membership`: its one part must be the
// membership's establishment and lot (InvalidArgument otherwise), CheckMayResubmitPrices must
// hold at `at`, then Submit checks the prices as a new application's (affordability cap
// included) with no entry window.
absl::Status SubmitPrices(Application& application, const PurchasingSystem& system,
                          const Membership& membership, absl::Time at, absl::string_view actor);

// Replaces the prices, checked against the lot (affordability cap included), from `at`: the
// clock of PricesResubmittableFrom() restarts, and prices_valid_until moves with it.
// CheckMayResubmitPrices must hold at `at`.
absl::Status ResubmitPrices(Membership& membership, const Lot& lot, int validity_months,
                            CommercialSubmission prices, absl::Time at, absl::string_view actor);

// Raises or lowers the qualification score by `delta` (clamped so the score stays in 0-100; the
// requested delta is kept). InvalidArgument beyond the policy's bound, or without a reason;
// FailedPrecondition sooner than the policy allows, for an EXCLUDED membership, or for a lot
// with no qualification score.
absl::Status AdjustScore(Membership& membership, double delta, std::string reason, absl::Time at,
                         absl::string_view actor, const ScoreAdjustmentPolicy& policy);

// A contract-management performance review of an establishment (the contracts service's, as
// the register recorded it from its event): what a score adjustment rests on.
struct RecordedReview {
  std::string id;
  std::string system_id;
  std::string establishment_id;
  std::string cited_by_adjustment;  // the adjustment that cited it; empty while none has
};

// The reviews a score adjustment of a membership of `establishment_id` in `system_id` cites
// (`cited`, as the request gives them) against `recorded`, those of them the register holds.
// The six-monthly adjustment rests on the lead authority's performance reviews, so it cites at
// least one; each once, recorded, of that establishment in that system, and cited by no earlier
// adjustment (a review moves a score once). InvalidArgument naming the field, e.g.
//   performance_review_ids[1]: "rev-9" is a review of another establishment
absl::Status CheckCitedReviews(absl::string_view system_id, absl::string_view establishment_id,
                               const std::vector<std::string>& cited,
                               const std::vector<RecordedReview>& recorded);

// The score in force at `at`: the latest entry at or before `at`. NotFound before qualification
// or for a lot with no qualification score.
absl::StatusOr<double> ScoreAt(const Membership& membership, absl::Time at);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_DOMAIN_MEMBERSHIP_H_
