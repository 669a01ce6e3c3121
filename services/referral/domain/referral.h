// A referral and its life cycle (docs/rules.md section 5):
//
//   DRAFT --Publish--> OPEN --Close--> CLOSED --RecordRanking--> EVALUATED --Award--> AWARDED
//                                        |                         ^   |
//                                        |  (parental choice)      |   +--> award PENDING approval
//                                        +----> AWAITING_PARENTAL_CHOICE   (approved: AWARDED;
//                                                                           refused: award again)
//   DRAFT | OPEN | CLOSED | EVALUATED | AWAITING_PARENTAL_CHOICE --Withdraw--> WITHDRAWN
//   CLOSED | EVALUATED --DeclareNoSuitableOffer--> NO_SUITABLE_OFFER --Reopen--> OPEN
//
// A draft may be saved incomplete (ValidateSpec checks only what it holds); publication needs the
// whole spec, codes from the lot, a deadline at least the regime's response period away and before
// the start date, and at least one eligible establishment. Each publication, widening and reopening
// is a round, so "who was invited when, at what radius" is never lost.
//
// Forbidden transitions give FailedPrecondition naming the referral and its state, e.g.
//   referral: cannot publish a referral that is OPEN
// Bad input gives InvalidArgument naming the field as the API spells it
// ("spec.children[0].age_years"). A function changes the Referral passed in only when it succeeds.
// Nothing reads the clock: every instant is a parameter, in UTC.

#ifndef DPS_SERVICES_REFERRAL_DOMAIN_REFERRAL_H_
#define DPS_SERVICES_REFERRAL_DOMAIN_REFERRAL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "platform/weights/weights.h"
#include "services/referral/domain/child.h"

namespace dps::referral {

enum class ReferralState {
  kDraft,
  kOpen,
  kClosed,
  kEvaluated,
  kAwaitingParentalChoice,
  kAwarded,
  kWithdrawn,
  kNoSuitableOffer,
};

// "DRAFT", "OPEN", ... as in the API.
absl::string_view ReferralStateName(ReferralState state);

enum class ReferralKind { kIndividual, kCohort };

// The scoring engine takes at most this many needs, must-have and desirable features each.
inline constexpr int kMaxCodesPerList = 64;
inline constexpr int kMaxTextLength = 20'000;

struct MarkedCode {
  std::string code;
  int marks = 1;
};

// Percentage points. Which weights are valid is the product's one weights rule
// (platform/weights/weights.h), checked at draft and again at publication.
using Weights = platform::Weights;

struct Incentive {
  std::string description;
  int64_t premium_pence = 0;
  std::optional<absl::CivilDay> achieve_by;
};

// Pre-selection filters (LIGHT_TOUCH and PA2023 only). `provision_types` are the API's enum
// numbers: the domain only compares them.
struct Filters {
  std::vector<std::string> placement_type_codes;  // the establishment offers at least one
  std::vector<std::string> specialism_codes;      // the establishment offers every one
  std::vector<int> provision_types;               // at least one
  std::optional<int64_t> max_ceiling_fee_pence;

  bool empty() const;
};

// True when every establishment `old_filters` let through is let through by `new_filters` too,
// so reopening a referral never drops an earlier invitee.
bool Relaxes(const Filters& new_filters, const Filters& old_filters);

// What the author writes.
struct ReferralSpec {
  std::string system_id;
  std::string lot_id;
  ReferralKind kind = ReferralKind::kIndividual;
  std::vector<Child> children;
  std::string postcode_district;
  std::vector<MarkedCode> needs;
  std::vector<std::string> must_have_features;
  std::vector<MarkedCode> desirable_features;
  std::vector<std::string> outcomes_sought;
  std::string description;
  std::optional<absl::CivilDay> start_date;
  int planned_duration_months = 0;
  int sibling_group_size = 0;  // 0: one for INDIVIDUAL, the number of children for COHORT
  double radius_miles = 0;     // 0: no radius
  Filters filters;
  std::optional<absl::Time> response_deadline;
  std::optional<Weights> weights;  // absent: the lot's default weights at publication
  std::optional<Incentive> incentive;
};

// The sibling group size the engine uses: the spec's, or its default.
int EffectiveSiblingGroupSize(const ReferralSpec& spec);

// What publication needs to know of the lot and its purchasing system, read at publication.
struct LotRules {
  std::vector<std::string> needs;     // the codes a referral's needs may use
  std::vector<std::string> features;  // the codes its features may use
  Weights default_weights;
  // Whether radius and pre-selection filters may exclude members (not under PCR 2015).
  bool filters_may_exclude = false;
  absl::Duration min_response_period = absl::ZeroDuration();
  // False when the system's qualification is pass/fail only (North West): no member has a
  // qualification score, so no weight may be put on core competency.
  bool qualification_scored = true;
};

// The shortest response period of a system's referrals: what the system configured, or PCR 2015's
// ten days when it configured none (docs/rules.md section 3). PCR is the only regime with a
// default; the qualification service takes no system LIVE under the others without one.
absl::Duration MinResponsePeriod(std::optional<absl::Duration> configured);

// The referral's own weights (if it sets any) against what the lot gives every bid to earn,
// whatever the referral goes on to list: a core competency weight where qualification is pass/fail
// only is refused. Checked when a draft is saved with its lot known, and again at publication.
absl::Status CheckWeightsForLot(const ReferralSpec& spec, const LotRules& lot);

// One round of invitations: the publication, each widening and each reopening.
struct Round {
  int number = 1;
  double radius_miles = 0;
  absl::Time started_at;
  absl::Time response_deadline;
  int newly_invited = 0;
};

enum class AwardBasis { kTopRanked, kParentalChoice, kOfficerChoice };
enum class Approval { kNotRequired, kPending, kApproved, kRefused };

absl::string_view ApprovalName(Approval approval);

struct Award {
  std::string bid_id;
  AwardBasis basis = AwardBasis::kTopRanked;
  std::string reason;
  int64_t evaluated_weekly_price_pence = 0;
  Approval approval = Approval::kNotRequired;
  std::string awarded_by;
  absl::Time awarded_at;
  std::string approval_decided_by;
  std::string approval_reason;
};

struct ParentalChoice {
  std::vector<std::string> shortlist_bid_ids;  // in rank order
  std::string chosen_bid_id;                   // empty until recorded
  std::string note;
  std::optional<absl::Time> recorded_at;
};

// Who made a change: the user, and the role and organisation they acted in (one user may act for
// several organisations, or in several roles).
struct Actor {
  std::string user_id;
  std::string role;  // a dps.common.v1.Role name
  std::string organisation_id;
};

// One line of the history: who moved the referral from which state to which, and why. The
// server's own moves (closing, ranking) have an empty actor.
struct HistoryEntry {
  absl::Time at;
  Actor actor;
  ReferralState from = ReferralState::kDraft;
  ReferralState to = ReferralState::kDraft;
  std::string reason;
};

struct Referral {
  std::string id;
  std::string placing_authority_id;
  ReferralSpec spec;
  ReferralState state = ReferralState::kDraft;
  std::vector<Round> rounds;
  std::optional<absl::Time> published_at;
  std::optional<absl::Time> closed_at;
  std::optional<absl::Time> evaluated_at;
  std::optional<ParentalChoice> parental_choice;
  std::optional<Award> award;
  std::string no_suitable_offer_reason;
  std::string withdrawal_reason;
  std::string ranking_refused_reason;  // the engine's refusal at close, if it refused
  std::vector<std::string> outcome_evaluator_user_ids;
  std::vector<HistoryEntry> history;

  // The deadline of the current round; only meaningful once published.
  absl::Time response_deadline() const;
  // The radius of the current round (the spec's before publication).
  double radius_miles() const;
};

// Checks what a draft holds: shape, ranges, uniqueness, no full postcode, and its own weights (if
// any) by the weights rule.
// Missing parts a draft may lack (start date, deadline, needs) are not errors here.
absl::Status ValidateSpec(const ReferralSpec& spec);

// Checks that the spec can be published now against the lot: everything ValidateSpec checks,
// plus completeness, codes from the lot, its own weights by CheckWeightsForLot, filters only where
// the regime lets them exclude, and a deadline at least the response period after `now` and
// before the start date.
absl::Status CheckPublishable(const ReferralSpec& spec, const LotRules& lot, absl::Time now);

// A new DRAFT.
absl::Status CreateDraft(Referral& referral, ReferralSpec spec, const Actor& by, absl::Time now);

// Replaces a DRAFT's spec.
absl::Status UpdateDraft(Referral& referral, ReferralSpec spec);

// DRAFT -> OPEN: round 1 with `invited` establishments; absent weights take the lot's. Refused
// when nobody is eligible, so a referral is never published to no one.
absl::Status Publish(Referral& referral, const LotRules& lot, int invited, const Actor& by,
                     absl::Time now);

// A later deadline for an OPEN referral whose deadline has not passed; the reason is required.
absl::Status ExtendDeadline(Referral& referral, absl::Time new_deadline, absl::string_view reason,
                            const Actor& by, absl::Time now);

// A new round at a larger radius for an OPEN referral, inviting `newly_invited` more. The deadline
// (`new_deadline`, or the current one) must leave the newly invited the response period.
absl::Status WidenRadius(Referral& referral, double radius_miles,
                         std::optional<absl::Time> new_deadline, const LotRules& lot,
                         int newly_invited, const Actor& by, absl::Time now);

// What the close rule reads of one invitation.
struct InvitationAnswer {
  bool answered = false;   // declined, or has a bid standing
  bool suspended = false;  // suspended since invitation: may not bid, so not waited for
};

// True when an OPEN referral must close: its deadline has come, or every invitee has answered.
bool ShouldClose(const Referral& referral, const std::vector<InvitationAnswer>& invitations,
                 absl::Time now);

// OPEN -> CLOSED: bids are unsealed. The server's timer or the last answer closes it.
absl::Status Close(Referral& referral, absl::string_view reason, absl::Time now);

// The engine's answer as the life cycle reads it.
struct RankingResult {
  bool final = false;  // every compliant bid has its outcome scores
  bool parental_choice_required = false;
  std::vector<std::string> parental_choice_bid_ids;  // in rank order
};

// Whether asking again could rank a CLOSED referral's bids after the ranking failed with `code`.
// An outage, a timeout or an unexplained fault (UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, ...)
// may pass, so the close is tried again. A refusal of the request itself (INVALID_ARGUMENT,
// FAILED_PRECONDITION, OUT_OF_RANGE: weights saved before today's rule, say) would be given again
// to the same request for ever; it is recorded with RecordRankingRefused instead.
bool RankingMayYetSucceed(absl::StatusCode code);

// A CLOSED referral whose bids the engine refused to rank: it stays CLOSED, saying why, so the
// authority can declare no suitable offer or withdraw, and nothing tries to rank it again.
absl::Status RecordRankingRefused(Referral& referral, absl::string_view reason, absl::Time now);

// CLOSED -> EVALUATED, or AWAITING_PARENTAL_CHOICE with the engine's shortlist, once the ranking
// is final; a provisional ranking leaves the referral CLOSED.
absl::Status RecordRanking(Referral& referral, const RankingResult& ranking, absl::Time now);

// AWAITING_PARENTAL_CHOICE -> EVALUATED, with the family's choice from the shortlist.
absl::Status RecordParentalChoice(Referral& referral, absl::string_view chosen_bid_id,
                                  absl::string_view note, const Actor& by, absl::Time now);

// The bid an award names, as the ranking left it.
struct AwardCandidate {
  std::string bid_id;
  int rank = 0;  // 1 is top; 0 when excluded
  int64_t evaluated_weekly_price_pence = 0;
};

struct AwardRequest {
  std::string bid_id;
  AwardBasis basis = AwardBasis::kTopRanked;
  std::string reason;
};

// EVALUATED -> AWARDED, or an award PENDING approval when the evaluated weekly price is above
// `approval_threshold_pence` and the caller is not a commissioner (who approves by awarding).
// TOP_RANKED names the rank-1 bid, PARENTAL_CHOICE the family's choice, OFFICER_CHOICE any
// compliant bid with a reason.
absl::Status AwardBid(Referral& referral, const AwardRequest& request,
                      const AwardCandidate& candidate,
                      std::optional<int64_t> approval_threshold_pence, bool caller_is_commissioner,
                      const Actor& by, absl::Time now);

// A commissioner's decision on a PENDING award: approved -> AWARDED; refused (with a reason) ->
// the referral stays EVALUATED and another award may be made.
absl::Status DecideApproval(Referral& referral, bool approve, absl::string_view reason,
                            const Actor& by, absl::Time now);

// CLOSED | EVALUATED -> NO_SUITABLE_OFFER, with the reason (unmet-demand reporting). Refused while
// an award awaits approval.
absl::Status DeclareNoSuitableOffer(Referral& referral, absl::string_view reason, const Actor& by,
                                    absl::Time now);

// NO_SUITABLE_OFFER -> OPEN: a new round at a larger radius, a new deadline, filters that may only
// be relaxed (absent: unchanged).
absl::Status Reopen(Referral& referral, double radius_miles, absl::Time new_deadline,
                    std::optional<Filters> filters, const LotRules& lot, int newly_invited,
                    const Actor& by, absl::Time now);

// Any state before AWARDED (and not already ended) -> WITHDRAWN, with the reason.
absl::Status Withdraw(Referral& referral, absl::string_view reason, const Actor& by,
                      absl::Time now);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_DOMAIN_REFERRAL_H_
