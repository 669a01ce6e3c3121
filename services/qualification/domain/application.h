// Applications to join a purchasing system, their evaluation and decision (docs/rules.md section
// 4).
//
// An application covers one or more (establishment, lot) parts. Each part carries an answer per
// criterion of the lot and a commercial submission. The life cycle is
//   DRAFT -> SUBMITTED -> UNDER_EVALUATION -> DECIDED,   or WITHDRAWN before DECIDED.
// Submission is refused while the entry window is closed and checks every answer and price (the
// lot's affordability cap among them); it fixes the decision deadline in working days, which may be
// extended once with a recorded reason where the regime allows. Evaluators record a pass/fail
// verdict or a 0-100 score per criterion; Decide() turns them into a per-part decision with every
// criterion's result and reason, and the weighted qualification score.
//
// A price resubmission asks only for new prices of an existing membership: one part, no answers,
// no entry window and nothing to evaluate, so it goes DRAFT -> SUBMITTED -> DECIDED, submitted
// through SubmitPrices (membership.h) and decided by DecidePrices.
//
// A reinstatement resubmits the failed items of a suspended membership: one part, the answers to
// those criteria only, no prices and no entry window. It is submitted through SubmitReinstatement
// (membership.h), which checks the answers are exactly the failed items, then evaluated and
// decided like an admission, but on the criteria it answers only (CriteriaAsked) and with no
// qualification score: the membership keeps the score it has.
//
// PlanReuse() is "tell us once": which previous answers can be carried into a new application.
//
// The functions change the Application passed in only when they succeed.

#ifndef DPS_SERVICES_QUALIFICATION_DOMAIN_APPLICATION_H_
#define DPS_SERVICES_QUALIFICATION_DOMAIN_APPLICATION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/qualification/domain/purchasing_system.h"

namespace dps::qualification {

enum class ApplicationStatus { kDraft, kSubmitted, kUnderEvaluation, kDecided, kWithdrawn };

// What an application asks for. An admission (a first application or a reapplication) is decided
// on every criterion of the lot; a reinstatement on the failed items it resubmits; a price
// resubmission on its prices alone.
enum class ApplicationKind { kAdmission, kPriceResubmission, kReinstatement };

// "DRAFT", "SUBMITTED", "UNDER_EVALUATION", "DECIDED", "WITHDRAWN".
absl::string_view ApplicationStatusName(ApplicationStatus status);

struct Answer {
  std::string criterion_code;
  int criterion_version = 1;  // The version of the criterion this answer was given to.
  std::string response;       // Free text, or the method statement.
  std::string evidence_ref;   // A document in the evidence store.
  // The last day the evidence is valid (an insurance certificate's expiry date): it is expired
  // from the next day on.
  std::optional<absl::CivilDay> evidence_expires;
};

// One line of the core-cost schedule: a part of the weekly fee and what it pays for (for SEN, one
// of the nine categories of the National Contracts Schedules). The rules read its amount only, so
// each line is checked as the provider gave it, not a category's sum.
enum class CoreCostCategory {
  kUnspecified,
  kAssessment,
  kPremises,
  kVehicles,
  kSupplies,
  kEducation,
  kCentralCosts,
  kCoreStaffing,
  kStaffCosts,
  kGeneralChildCosts,
  kOther,
};

struct CoreCostLine {
  int64_t weekly_pence = 0;
  // What the line pays for, kept as the provider gave it: a membership's prices in force are
  // the schedule its provider tendered, shown to the councils that call off from it.
  CoreCostCategory category = CoreCostCategory::kUnspecified;
  std::string label;
};

// How a rate-card line is charged: per hour or per week of a placement, or per piece of work
// (Northamptonshire's interventions: an assessment, a therapy session, a laboratory test). The
// qualification rules read only a line's code and rate; a per-piece rate has no weekly
// equivalent, so whoever turns rates into weekly money refuses it (see README.md).
enum class RateUnit { kHourly, kWeekly, kPerAssessment, kPerSession, kPerTest };

struct RateCardLine {
  std::string code;  // a code of the product's one code rule, e.g. "1-to-1-support"
  RateUnit unit = RateUnit::kHourly;
  int64_t rate_pence = 0;
  std::string description;  // the provider's words, kept as given
};

// The names a refusal gives a commercial submission and its fields. By default they are the
// domain's own, under the path the check is given ("parts[0].commercial.weekly_fee_pence"); the
// API's conversion sets the request's ("commercial[0].ceiling_fee"), because an error names the
// field the caller sent (docs/rules.md section 9) and the request holds its prices apart from its
// items.
struct CommercialFieldNames {
  std::string submission;  // empty: the path the check is given
  std::string weekly_fee = "weekly_fee_pence";
  std::string core_cost_amount = "weekly_pence";  // of a line of core_costs
  std::string rate = "rate_pence";                // of a line of rate_card
};

struct CommercialSubmission {
  // The ceiling (hard mode) or indicative (indicative mode) weekly core fee.
  int64_t weekly_fee_pence = 0;
  // The core-cost schedule; empty when none was given. When given, the lines add up to the fee.
  std::vector<CoreCostLine> core_costs;
  std::vector<RateCardLine> rate_card;
  // The request carried no prices for the part (names.submission then names where they belong).
  bool absent = false;
  CommercialFieldNames names;
};

// An evaluator's verdict on one criterion: `passed` for a pass/fail criterion, `score` (0-100) for
// a weighted one. Recording again replaces the earlier verdict until the decision.
struct Assessment {
  std::string criterion_code;
  std::optional<bool> passed;
  std::optional<int> score;
  std::string reason;  // Required when a criterion fails.
  std::string evaluator;
  absl::Time at;
};

struct CriterionResult {
  std::string criterion_code;
  CriterionKind kind = CriterionKind::kPassFail;
  bool passed = false;       // Weighted criteria always pass: they are scored, not gated.
  std::optional<int> score;  // Weighted criteria only.
  std::string reason;
};

struct PartDecision {
  bool qualified = false;  // Every pass/fail criterion passed.
  std::vector<CriterionResult> results;
  std::optional<double> qualification_score;  // Set when the lot has weighted criteria.
  absl::Time decided_at;
  std::string decided_by;
  // The lead authority's own reason, where no criterion gives one (rejected new prices).
  std::string reason;
};

struct ApplicationPart {
  std::string establishment_id;
  std::string lot_code;
  std::vector<Answer> answers;
  CommercialSubmission commercial;
  std::vector<Assessment> assessments;  // One per criterion at most.
  std::optional<PartDecision> decision;
};

struct ApplicationEvent {
  absl::Time at;
  std::string actor;
  ApplicationStatus from;
  ApplicationStatus to;
  std::string reason;
};

struct Application {
  std::string id;
  std::string system_id;
  std::string provider_id;
  ApplicationKind kind = ApplicationKind::kAdmission;
  ApplicationStatus status = ApplicationStatus::kDraft;
  std::vector<ApplicationPart> parts;
  std::optional<absl::Time> submitted_at;
  std::optional<absl::CivilDay> decision_deadline;  // The last day for the decision (UTC).
  std::string extension_reason;                     // Non-empty once the deadline was extended.
  std::vector<ApplicationEvent> history;
};

// DRAFT -> SUBMITTED. FailedPrecondition when not a draft or the entry window is closed at `at`;
// InvalidArgument naming the field for a bad part, answer or price (prices by their
// CommercialFieldNames), e.g.
//   parts[0].commercial.weekly_fee_pence: 520000 exceeds the lot's affordability cap of 500000
// Sets the decision deadline: the submission day plus the regime's decision period in working days.
// A price resubmission (submit it with SubmitPrices, which checks its membership first) has
// exactly one part and no answers, and no entry window applies: the member is already admitted.
// A reinstatement (submit it with SubmitReinstatement) has exactly one part, answers only some
// criteria (each checked as above, expired evidence refused) and no prices; no entry window
// applies either.
absl::Status Submit(Application& application, const PurchasingSystem& system, absl::Time at,
                    absl::string_view actor);

// SUBMITTED -> UNDER_EVALUATION. FailedPrecondition for a price resubmission: it has no criteria.
absl::Status StartEvaluation(Application& application, absl::Time at, absl::string_view actor);

// The criteria of `lot` that `part` of an application of `kind` is evaluated and decided on:
// every criterion of the lot for an admission; for a reinstatement only those the part answers
// (the failed items SubmitReinstatement checked); none for a price resubmission. In lot order.
std::vector<const Criterion*> CriteriaAsked(ApplicationKind kind, const Lot& lot,
                                            const ApplicationPart& part);

// Records an evaluator's verdict on a criterion of the part for (establishment_id, lot_code),
// while UNDER_EVALUATION. InvalidArgument for a verdict of the wrong kind, a score outside 0-100,
// a failure without a reason; NotFound for an unknown part or criterion, or one the part is not
// decided on (CriteriaAsked: a reinstatement is assessed on what it resubmits only).
absl::Status RecordAssessment(Application& application, const PurchasingSystem& system,
                              absl::string_view establishment_id, absl::string_view lot_code,
                              Assessment assessment);

// Σ weight × score / 100 over the lot's weighted criteria: 0-100. FailedPrecondition when a
// weighted criterion has no score yet or the lot has no weighted criteria, so a part that was
// assessed on some criteria only (a reinstatement) has no qualification score.
absl::StatusOr<double> QualificationScore(const Lot& lot, const ApplicationPart& part);

// UNDER_EVALUATION -> DECIDED: a decision per part, on the criteria it is asked (CriteriaAsked):
// FailedPrecondition until every one of them is assessed. A pass/fail criterion whose evidence
// has expired by the decision day fails whatever the verdict, with the expiry as its reason. An
// admission's decision carries the qualification score of a lot with weighted criteria; a
// reinstatement's carries none, since it re-checks the failed items only and the membership's
// score (its full evaluation, then bounded adjustments) stays as it is.
absl::Status Decide(Application& application, const PurchasingSystem& system, absl::Time at,
                    absl::string_view actor);

// SUBMITTED -> DECIDED for a price resubmission: the lead authority accepts the new prices or
// rejects them with a reason the applicant reads (the part's decision, qualified when accepted).
// FailedPrecondition for another kind or state; InvalidArgument for a rejection without a reason.
absl::Status DecidePrices(Application& application, bool accepted, std::string reason,
                          absl::Time at, absl::string_view actor);

// The one extension of the decision deadline, with a recorded reason (PCR2015_DPS reg. 34: 15
// working days from submission, never more). FailedPrecondition when the regime or configuration
// allows none, it was already extended, the application is not awaiting a decision, or the current
// deadline has passed; InvalidArgument for an empty reason.
absl::Status ExtendDecisionDeadline(Application& application, const PurchasingSystem& system,
                                    std::string reason, absl::Time at, absl::string_view actor);

// DRAFT, SUBMITTED or UNDER_EVALUATION -> WITHDRAWN.
absl::Status Withdraw(Application& application, absl::Time at, absl::string_view actor,
                      std::string reason);

// Checks a commercial submission against the lot (positive fee, affordability cap, a core-cost
// schedule of lines at least zero that add up to the fee, a rate card of unique codes by the
// product's one code rule and positive rates). A refusal names the field by `commercial.names`:
// `path` names the submission when they do not, e.g. "parts[0].commercial" gives
// "parts[0].commercial.weekly_fee_pence". An absent submission is for the caller to refuse
// (Submit does, naming the part).
absl::Status ValidateCommercialSubmission(const Lot& lot, const CommercialSubmission& commercial,
                                          absl::string_view path);

// Whether the decision is late at `at`: awaiting a decision and past the deadline's day.
bool IsDecisionOverdue(const Application& application, absl::Time at);

// The criterion codes of the answers whose evidence has expired by `today`.
std::vector<std::string> ExpiredEvidence(const std::vector<Answer>& answers, absl::CivilDay today);

// Why an answer must be given again.
enum class AnswerNeeded {
  kNotAnsweredBefore,
  kCriterionChanged,  // The criterion's version moved on since the answer was given.
  kEvidenceExpired,
  kFailedBefore,  // The previous decision failed it: reusing it would fail again.
};

struct NeededAnswer {
  std::string criterion_code;
  AnswerNeeded why;
};

struct ReusePlan {
  std::vector<Answer> reusable;      // Copy these into the new application as they are.
  std::vector<NeededAnswer> needed;  // Ask for these, in the lot's criterion order.
};

// "Tell us once": given the part of an earlier application for the same establishment (for the
// same or another lot with the same criteria) and today's date, which answers the new part for
// `lot` can reuse and which must be given again.
ReusePlan PlanReuse(const Lot& lot, const ApplicationPart& previous, absl::CivilDay today);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_DOMAIN_APPLICATION_H_
