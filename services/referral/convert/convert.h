// Between the API's messages (dps.referral.v1) and the referral domain's values.
//
// The stored record is the API message; a handler converts what a rule needs to the domain, runs
// the rule, and writes the domain's changes back into the message (ApplyToApi), so fields the
// domain does not hold are kept as they were.
#ifndef DPS_SERVICES_REFERRAL_CONVERT_CONVERT_H_
#define DPS_SERVICES_REFERRAL_CONVERT_CONVERT_H_

#include "absl/status/statusor.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "dps/referral/v1/referral.pb.h"
#include "platform/auth/identity.h"
#include "services/referral/domain/bid.h"
#include "services/referral/domain/block_contract.h"
#include "services/referral/domain/direct_award.h"
#include "services/referral/domain/evaluation.h"
#include "services/referral/domain/referral.h"

namespace dps::referral {

namespace v1 = ::dps::referral::v1;

// InvalidArgument naming the field for what the domain cannot hold: an unspecified kind or
// gender, an impossible date.
absl::StatusOr<ReferralSpec> ToDomainSpec(const v1::ReferralSpec& spec);

// What a referral is held to by its lot and system, as the qualification service has them: the
// lot's vocabularies and default weights, whether filters may exclude, the response period, and
// whether qualification is scored (a weighted criterion in force applies to the lot, and the
// system is not PASS_FAIL_ONLY).
LotRules LotRulesOf(const ::dps::qualification::v1::PurchasingSystem& system,
                    const ::dps::qualification::v1::Lot& lot);

// The caller as the referral's history keeps them: user, role and organisation.
Actor ActorFrom(const platform::CallerIdentity& caller);
Actor ToDomainActor(const dps::common::v1::Actor& actor);
dps::common::v1::Actor ToApiActor(const Actor& actor);

// The referral as the domain's rules read it.
absl::StatusOr<Referral> ToDomain(const v1::Referral& referral);

// Writes the domain's view back: state, rounds, times, reasons, evaluators, history, and the
// parts of the spec a transition changes (weights, radius, deadline, filters).
void ApplyToApi(const Referral& referral, v1::Referral& out);

// A decline's reason; InvalidArgument "reason: required: ..." when unspecified.
absl::StatusOr<DeclineReason> ToDomainDeclineReason(v1::DeclineReason reason);

// An invitation's state as the domain reads it.
InvitationState ToDomainInvitationState(v1::InvitationState state);

// An invitation as the domain's rules read it, and the domain's changes written back.
absl::StatusOr<Invitation> ToDomain(const v1::Invitation& invitation);
void ApplyToApi(const Invitation& invitation, v1::Invitation& out);

// A bid's content as the domain checks it; InvalidArgument naming the field for an impossible
// date.
absl::StatusOr<BidContent> ToDomainContent(const v1::BidContent& content);

// A bid's state between the API and the domain.
BidState ToDomainState(v1::BidState state);
v1::BidState ToApiState(BidState state);

// A bid as the domain's rules read it, and the domain's changes written back (content included).
absl::StatusOr<Bid> ToDomain(const v1::Bid& bid);
void ApplyToApi(const Bid& bid, v1::Bid& out);

// A direct award's request as the domain checks it; InvalidArgument naming the field for what
// the domain cannot hold (an unspecified gender, an impossible date).
absl::StatusOr<DirectAwardSpec> ToDomainDirectAward(const v1::MakeDirectAwardRequest& request);
// The direct award as the API shows it, and back: every field the API has, so a stored award
// round-trips. InvalidArgument naming the field for an impossible date or an unspecified gender.
v1::DirectAward ToApi(const DirectAward& award);
absl::StatusOr<DirectAward> ToDomain(const v1::DirectAward& stored);

// Block contracts and their call-offs, between the API and the domain. InvalidArgument naming the
// field for an impossible date or an unspecified gender.
absl::StatusOr<BlockContractSpec> ToDomainBlockSpec(const v1::CreateBlockContractRequest& request);
absl::StatusOr<CallOffSpec> ToDomainCallOff(const v1::CallOffBlockContractRequest& request);
absl::StatusOr<BlockContract> ToDomain(const v1::BlockContract& block);
// Every field the API has but version and places_filled, which are the caller's (the stored
// version; the day asked), so a stored block round-trips.
v1::BlockContract ToApi(const BlockContract& block);
v1::BlockCallOff ToApi(const BlockCallOff& call_off, const std::string& block_contract_id);

// One bid as the engine ranked it, for the feedback rules; and points as bidders are shown them.
Standing StandingOf(const dps::scoring::v1::ScoredBid& scored);
v1::CriterionPoints ToApiPoints(const CriterionPoints& points);

// "DRAFT" -> REFERRAL_STATE_DRAFT and back.
v1::ReferralState ToApiState(ReferralState state);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_CONVERT_CONVERT_H_
