// Invitations and sealed bids (docs/rules.md section 5).
//
// An invitation is INVITED, then VIEWED when a provider user opens the referral; the provider
// DECLINES it (with a reason, kept for market intelligence) or BIDS. A bid may be amended or
// withdrawn until the deadline; withdrawing it puts the invitation back to VIEWED, so the provider
// may still bid or decline. At close, an invitation nobody answered becomes NO_RESPONSE (and may be
// answered again if the referral is reopened); when the referral is withdrawn, an unanswered one
// is CANCELLED. An establishment suspended after
// invitation may not bid, and a bid it already made is flagged to the placing authority.
//
// Sealing: before the referral closes nobody but the bidding provider reads a bid's content
// (BidContentVisible). A referral withdrawn while OPEN never unseals its bids.

#ifndef DPS_SERVICES_REFERRAL_DOMAIN_BID_H_
#define DPS_SERVICES_REFERRAL_DOMAIN_BID_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/referral/domain/referral.h"

namespace dps::referral {

enum class InvitationState { kInvited, kViewed, kDeclined, kBid, kNoResponse, kCancelled };

absl::string_view InvitationStateName(InvitationState state);

enum class DeclineReason {
  kNoCapacity,
  kCannotMeetNeeds,
  kMatchingRisk,
  kStartDate,
  kLocation,
  kPrice,
  kInsufficientInformation,
  kOther,
};

struct Decline {
  DeclineReason reason = DeclineReason::kOther;
  std::string detail;  // required for kOther
  absl::Time declined_at;
};

struct Invitation {
  InvitationState state = InvitationState::kInvited;
  int round = 1;
  std::optional<absl::Time> viewed_at;
  std::optional<Decline> decline;
  bool suspended = false;
};

// What the close rule reads of an invitation.
InvitationAnswer AnswerOf(const Invitation& invitation);

// INVITED -> VIEWED; a no-op in any other state.
void MarkViewed(Invitation& invitation, absl::Time now);

// INVITED | VIEWED -> DECLINED while the referral is OPEN and before its deadline.
absl::Status DeclineInvitation(Invitation& invitation, const Referral& referral, Decline decline,
                               absl::Time now);

// At close: INVITED | VIEWED -> NO_RESPONSE. At withdrawal: INVITED | VIEWED -> CANCELLED.
void EndUnanswered(Invitation& invitation, bool referral_withdrawn);

// At reopening: an invitation that went unanswered may be answered in the new round
// (NO_RESPONSE -> VIEWED if it was opened, else INVITED). A decline stands.
void ReopenUnanswered(Invitation& invitation);

enum class BidState { kSubmitted, kWithdrawn, kExcluded, kCompliant, kAwarded, kNotAwarded };

absl::string_view BidStateName(BidState state);

struct AdditionalService {
  std::string code;
  int64_t units = 0;
  int64_t rate_pence = 0;
};

struct BidContent {
  int64_t core_fee_pence = 0;  // in the referral's price basis, before discounts
  std::vector<AdditionalService> additional_services;
  std::vector<std::string> needs_met;
  std::vector<std::string> features_met;  // must-have and desirable codes
  std::string outcomes_answer;
  std::optional<absl::CivilDay> earliest_start;
  std::string fee_justification;
};

struct Bid {
  BidState state = BidState::kSubmitted;
  BidContent content;
  absl::Time submitted_at;
  std::optional<absl::Time> amended_at;
  std::optional<absl::Time> withdrawn_at;
  std::string withdrawal_reason;
};

// What a bid's additional services are held to: the lot's codes for them and, where they bind,
// the rates the bidding establishment tendered for them.
struct ServiceTerms {
  // The lot's additional-services vocabulary: a bid names only these.
  std::vector<std::string> codes;
  // Under hard ceilings, the rate per unit the establishment tendered for each service in the lot
  // (the rate card of its membership's prices in force), by code. West London (seed 003, 2.8.2):
  // additional services are "charged at the Contractor's tendered rate", and suppliers may drop
  // their prices to compete (2.8.6); so a bid prices a service at its tendered rate or lower, and
  // a service the establishment tendered no rate for has no agreed price and is refused. Absent
  // under indicative prices (North West, seed 001, 3.9: a price the authorities negotiate from),
  // where no tendered rate binds.
  std::optional<std::map<std::string, int64_t>> tendered_rates_pence;
};

// Checks a bid's content against the referral: a positive core fee; additional services with a
// code of the lot, positive units and a rate no higher than the establishment's tendered one where
// tendered rates bind (`services`); needs and features met from the referral's own lists, each
// once; an outcomes answer when outcomes are sought; the earliest start date.
absl::Status ValidateBidContent(const BidContent& content, const ReferralSpec& spec,
                                const ServiceTerms& services);

// A new SUBMITTED bid for an invitation that may still answer; the invitation becomes BID.
absl::StatusOr<Bid> SubmitBid(Invitation& invitation, const Referral& referral, BidContent content,
                              const ServiceTerms& services, absl::Time now);

// Replaces a SUBMITTED bid's content before the deadline.
absl::Status AmendBid(Bid& bid, const Referral& referral, BidContent content,
                      const ServiceTerms& services, absl::Time now);

// SUBMITTED -> WITHDRAWN before the deadline; the invitation goes back to VIEWED.
absl::Status WithdrawBid(Bid& bid, Invitation& invitation, const Referral& referral,
                         absl::string_view reason, absl::Time now);

// What a bid becomes when the referral is awarded: the winner AWARDED, every other compliant bid
// NOT_AWARDED; an excluded or withdrawn bid stays as it was.
BidState StateAtAward(BidState state, bool winner);

// What a bid becomes when the referral ends without award (withdrawn, or no suitable offer): a
// submitted or compliant bid NOT_AWARDED; an excluded or withdrawn bid stays as it was. A
// reopened referral ranks its bids again at the next close.
BidState StateWithoutAward(BidState state);

// What a standing bid becomes when the engine ranks the closed referral's bids: COMPLIANT or
// EXCLUDED as the engine found it, whatever an earlier close made it (a reopened referral ranks
// them all again). A withdrawn bid is never ranked, nor an awarded one ranked again.
absl::StatusOr<BidState> StateAtRanking(BidState state, bool compliant);

// A change in an invited establishment's membership of the referral's lot, after invitation.
enum class MembershipChange { kSuspended, kExcluded, kReinstated };

// The flag a bid carries to the placing authority: its establishment was suspended or excluded
// after invitation, and why; cleared when it is reinstated.
struct SuspensionFlag {
  bool flagged = false;
  std::string detail;
};

// An invitation to an OPEN referral when its establishment's membership changes: suspended or
// excluded, it is marked (the establishment may not bid on it) and a bid already made is flagged
// with why (`detail`: the suspension's own reason); reinstated, both are cleared. Returns the flag
// for its bid, or nullopt when the invitation already stood so and nothing changes.
std::optional<SuspensionFlag> ApplyMembershipChange(Invitation& invitation, MembershipChange change,
                                                    absl::string_view detail);

// Whether someone other than the bidding provider may read bids' content: only once the referral
// has closed, and not while it is open again after a reopening.
bool BidContentVisible(const Referral& referral);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_DOMAIN_BID_H_
