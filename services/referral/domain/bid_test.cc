#include "services/referral/domain/bid.h"

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <utility>

#include "services/referral/domain/test_fixtures.h"

namespace dps::referral {
namespace {

using testing::Message;
using testing::Now;
using testing::PcrLot;
using testing::Published;
using testing::Utc;

// The lot's two services, under hard ceilings: the establishment tendered £25.00 an hour for
// one-to-one support and no rate for therapy.
const ServiceTerms kServices = {
    .codes = {"one-to-one", "therapy"},
    .tendered_rates_pence = std::map<std::string, int64_t>{{"one-to-one", 2500}}};

BidContent ValidContent() {
  BidContent content;
  content.core_fee_pence = 450000;
  content.additional_services = {{"one-to-one", 10, 2500}};
  content.needs_met = {"semh"};
  content.features_met = {"single-occupancy", "rural"};
  content.outcomes_answer = "A school place is arranged before the move.";
  content.earliest_start = absl::CivilDay(2027, 4, 1);
  return content;
}

// The InvalidArgument message of ValidateBidContent after `change`.
template <typename Change>
std::string ContentError(Change change) {
  BidContent content = ValidContent();
  change(content);
  const absl::Status status = ValidateBidContent(content, testing::ValidSpec(), kServices);
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  return Message(status);
}

TEST_CASE("a bid's content is checked against the referral and the lot's services") {
  CHECK(ValidateBidContent(ValidContent(), testing::ValidSpec(), kServices) == absl::OkStatus());
  CHECK(ContentError([](BidContent& c) { c.core_fee_pence = 0; }) ==
        "content.core_fee: must be positive, got 0");
  CHECK(ContentError([](BidContent& c) { c.additional_services[0].code = "horse-riding"; }) ==
        "content.additional_services[0].code: 'horse-riding' is not one of the lot's additional "
        "services");
  CHECK(ContentError([](BidContent& c) {
          c.additional_services.push_back({"one-to-one", 1, 100});
        }) == "content.additional_services[1].code: 'one-to-one' is listed twice");
  CHECK(ContentError([](BidContent& c) { c.additional_services[0].units = 0; }) ==
        "content.additional_services[0].units: must be 1 to 100000, got 0");
  CHECK(ContentError([](BidContent& c) { c.additional_services[0].rate_pence = -1; }) ==
        "content.additional_services[0].rate_pence: must be positive, got -1");
  CHECK(ContentError([](BidContent& c) { c.needs_met.push_back("autism"); }) ==
        "content.needs_met[1]: 'autism' is not one of the referral's needs");
  CHECK(ContentError([](BidContent& c) { c.needs_met.push_back("semh"); }) ==
        "content.needs_met[1]: 'semh' is listed twice");
  CHECK(ContentError([](BidContent& c) { c.features_met.push_back("pool"); }) ==
        "content.features_met[2]: 'pool' is not one of the referral's features");
  CHECK(ContentError([](BidContent& c) { c.outcomes_answer = " "; }) ==
        "content.outcomes_answer: required: the referral seeks outcomes");
  CHECK(ContentError([](BidContent& c) { c.earliest_start.reset(); }) ==
        "content.earliest_start: required");
}

TEST_CASE("a bid prices additional services at most at the establishment's tendered rates") {
  auto with_service = [](AdditionalService service) {
    BidContent content = ValidContent();
    content.additional_services = {std::move(service)};
    return content;
  };
  const ReferralSpec spec = testing::ValidSpec();
  CHECK(ValidateBidContent(with_service({"one-to-one", 10, 2500}), spec, kServices) ==
        absl::OkStatus());
  CHECK(ValidateBidContent(with_service({"one-to-one", 10, 1900}), spec, kServices) ==
        absl::OkStatus());  // bids may go lower
  CHECK(ContentError([](BidContent& c) { c.additional_services[0].rate_pence = 2501; }) ==
        "content.additional_services[0].rate_pence: must be at most the tendered rate of 2500 "
        "pence for 'one-to-one', got 2501");
  CHECK(ContentError([](BidContent& c) {
          c.additional_services.push_back({"therapy", 1, 100});
        }) ==
        "content.additional_services[1].code: 'therapy' has no rate on the establishment's "
        "tendered rate card for the lot: an additional service is charged at its tendered "
        "rate");

  // Under indicative prices no tendered rate binds.
  const ServiceTerms indicative = {.codes = kServices.codes};
  CHECK(ValidateBidContent(with_service({"one-to-one", 10, 4000}), spec, indicative) ==
        absl::OkStatus());
  CHECK(ValidateBidContent(with_service({"therapy", 1, 9000}), spec, indicative) ==
        absl::OkStatus());
}

TEST_CASE("a provider bids on an open invitation before the deadline, once") {
  const Referral referral = Published(PcrLot());
  Invitation invitation;
  MarkViewed(invitation, Now());
  CHECK(invitation.state == InvitationState::kViewed);
  CHECK(invitation.viewed_at == Now());

  BidContent bad = ValidContent();
  bad.core_fee_pence = -5;
  CHECK(Message(SubmitBid(invitation, referral, bad, kServices, Now()).status()) ==
        "content.core_fee: must be positive, got -5");
  CHECK(invitation.state == InvitationState::kViewed);

  absl::StatusOr<Bid> bid = SubmitBid(invitation, referral, ValidContent(), kServices, Now());
  REQUIRE(bid.ok());
  CHECK(bid->state == BidState::kSubmitted);
  CHECK(bid->submitted_at == Now());
  CHECK(invitation.state == InvitationState::kBid);
  const absl::Status twice =
      SubmitBid(invitation, referral, ValidContent(), kServices, Now()).status();
  CHECK(twice.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(twice) == "invitation: cannot bid on an invitation that is BID");

  Invitation late;
  CHECK(Message(
            SubmitBid(late, referral, ValidContent(), kServices, Utc(2027, 3, 15, 17)).status()) ==
        "referral: the response deadline has passed");
  Invitation suspended;
  suspended.suspended = true;
  CHECK(Message(SubmitBid(suspended, referral, ValidContent(), kServices, Now()).status()) ==
        "invitation: the establishment has been suspended since it was invited and may not bid");
}

TEST_CASE("a bid is amended or withdrawn until the deadline, then the provider may bid again") {
  const Referral referral = Published(PcrLot());
  Invitation invitation;
  Bid bid = *SubmitBid(invitation, referral, ValidContent(), kServices, Now());

  BidContent cheaper = ValidContent();
  cheaper.core_fee_pence = 420000;
  const absl::Time later = Now() + absl::Hours(2);
  REQUIRE(AmendBid(bid, referral, cheaper, kServices, later) == absl::OkStatus());
  CHECK(bid.content.core_fee_pence == 420000);
  CHECK(bid.amended_at == later);
  CHECK(bid.submitted_at == Now());  // the tie-break stays the first submission
  CHECK(Message(AmendBid(bid, referral, cheaper, kServices, Utc(2027, 3, 15, 17))) ==
        "referral: the response deadline has passed");

  REQUIRE(WithdrawBid(bid, invitation, referral, "capacity taken", later) == absl::OkStatus());
  CHECK(bid.state == BidState::kWithdrawn);
  CHECK(bid.withdrawal_reason == "capacity taken");
  CHECK(invitation.state == InvitationState::kViewed);
  CHECK(Message(AmendBid(bid, referral, cheaper, kServices, later)) ==
        "bid: cannot amend a bid that is WITHDRAWN");
  CHECK(Message(WithdrawBid(bid, invitation, referral, "", later)) ==
        "bid: cannot withdraw a bid that is WITHDRAWN");
  CHECK(SubmitBid(invitation, referral, cheaper, kServices, later).ok());
}

TEST_CASE("a decline has a reason, and OTHER needs words") {
  const Referral referral = Published(PcrLot());
  Invitation invitation;
  CHECK(Message(DeclineInvitation(invitation, referral, {DeclineReason::kOther, " ", {}}, Now())) ==
        "detail: required when the reason is OTHER");
  CHECK(invitation.state == InvitationState::kInvited);
  REQUIRE(DeclineInvitation(invitation, referral, {DeclineReason::kNoCapacity, "", {}}, Now()) ==
          absl::OkStatus());
  CHECK(invitation.state == InvitationState::kDeclined);
  CHECK(invitation.decline->declined_at == Now());
  CHECK(AnswerOf(invitation).answered);
  CHECK(Message(DeclineInvitation(invitation, referral, {DeclineReason::kPrice, "", {}}, Now())) ==
        "invitation: cannot decline an invitation that is DECLINED");
  CHECK(Message(SubmitBid(invitation, referral, ValidContent(), kServices, Now()).status()) ==
        "invitation: cannot bid on an invitation that is DECLINED");
}

TEST_CASE("unanswered invitations end as NO_RESPONSE at close, CANCELLED at withdrawal, reopen") {
  Invitation unanswered, viewed, declined;
  MarkViewed(viewed, Now());
  declined.state = InvitationState::kDeclined;
  EndUnanswered(unanswered, false);
  EndUnanswered(viewed, true);
  EndUnanswered(declined, false);
  CHECK(unanswered.state == InvitationState::kNoResponse);
  CHECK(viewed.state == InvitationState::kCancelled);
  CHECK(declined.state == InvitationState::kDeclined);

  // Reopened: the unanswered may answer again, as they were; a decline stands.
  Invitation opened;
  MarkViewed(opened, Now());
  EndUnanswered(opened, false);
  ReopenUnanswered(opened);
  ReopenUnanswered(unanswered);
  ReopenUnanswered(declined);
  CHECK(opened.state == InvitationState::kViewed);
  CHECK(unanswered.state == InvitationState::kInvited);
  CHECK(declined.state == InvitationState::kDeclined);
}

TEST_CASE("bids stay sealed until close, and for good if the referral is withdrawn while open") {
  Referral referral = Published(PcrLot());
  CHECK_FALSE(BidContentVisible(referral));
  Referral withdrawn_open = referral;
  REQUIRE(Withdraw(withdrawn_open, "placed elsewhere", {"officer-1"}, Now()) == absl::OkStatus());
  CHECK_FALSE(BidContentVisible(withdrawn_open));

  REQUIRE(Close(referral, "response deadline", Utc(2027, 3, 15, 17)) == absl::OkStatus());
  CHECK(BidContentVisible(referral));
  Referral withdrawn_closed = referral;
  REQUIRE(Withdraw(withdrawn_closed, "placed elsewhere", {"officer-1"}, Utc(2027, 3, 16)) ==
          absl::OkStatus());
  CHECK(BidContentVisible(withdrawn_closed));

  // Reopened: the new round's bids are sealed again until the next close.
  REQUIRE(DeclareNoSuitableOffer(referral, "none fit", {"officer-1"}, Utc(2027, 3, 16)) ==
          absl::OkStatus());
  LotRules lot = PcrLot();
  REQUIRE(Reopen(referral, 30, Utc(2027, 3, 30), std::nullopt, lot, 0, {"officer-1"},
                 Utc(2027, 3, 16)) == absl::OkStatus());
  CHECK_FALSE(BidContentVisible(referral));
}

TEST_CASE("at award the winner is AWARDED and other compliant bids NOT_AWARDED") {
  CHECK(StateAtAward(BidState::kCompliant, true) == BidState::kAwarded);
  CHECK(StateAtAward(BidState::kCompliant, false) == BidState::kNotAwarded);
  CHECK(StateAtAward(BidState::kExcluded, false) == BidState::kExcluded);
  CHECK(StateAtAward(BidState::kWithdrawn, false) == BidState::kWithdrawn);
}

TEST_CASE("ended without award, standing bids are NOT_AWARDED and the rest stay") {
  CHECK(StateWithoutAward(BidState::kSubmitted) == BidState::kNotAwarded);
  CHECK(StateWithoutAward(BidState::kCompliant) == BidState::kNotAwarded);
  CHECK(StateWithoutAward(BidState::kExcluded) == BidState::kExcluded);
  CHECK(StateWithoutAward(BidState::kWithdrawn) == BidState::kWithdrawn);
}

TEST_CASE("ranked at close, a standing bid is COMPLIANT or EXCLUDED as the engine found it") {
  CHECK(*StateAtRanking(BidState::kSubmitted, true) == BidState::kCompliant);
  CHECK(*StateAtRanking(BidState::kSubmitted, false) == BidState::kExcluded);
  // Ranked again after a reopening: what the earlier close made it does not count.
  CHECK(*StateAtRanking(BidState::kNotAwarded, true) == BidState::kCompliant);
  CHECK(*StateAtRanking(BidState::kCompliant, false) == BidState::kExcluded);
  CHECK(*StateAtRanking(BidState::kExcluded, true) == BidState::kCompliant);
  const absl::StatusOr<BidState> withdrawn = StateAtRanking(BidState::kWithdrawn, true);
  CHECK(withdrawn.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(withdrawn.status()) == "bid: a bid that is WITHDRAWN is not ranked");
  CHECK(StateAtRanking(BidState::kAwarded, true).status().code() ==
        absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("suspended or excluded after invitation, the invitation is marked and its bid flagged") {
  Invitation invitation;
  std::optional<SuspensionFlag> flag =
      ApplyMembershipChange(invitation, MembershipChange::kSuspended, "evidence expired");
  CHECK(invitation.suspended);
  REQUIRE(flag.has_value());
  CHECK(flag->flagged);
  CHECK(flag->detail == "suspended since invitation: evidence expired");
  // Told twice (a redelivered event), nothing changes the second time.
  CHECK_FALSE(ApplyMembershipChange(invitation, MembershipChange::kSuspended, "again"));
  CHECK_FALSE(ApplyMembershipChange(invitation, MembershipChange::kExcluded, ""));

  flag = ApplyMembershipChange(invitation, MembershipChange::kReinstated, "");
  CHECK_FALSE(invitation.suspended);
  REQUIRE(flag.has_value());
  CHECK_FALSE(flag->flagged);
  CHECK(flag->detail.empty());
  CHECK_FALSE(ApplyMembershipChange(invitation, MembershipChange::kReinstated, ""));

  flag = ApplyMembershipChange(invitation, MembershipChange::kExcluded, "ignored");
  CHECK(invitation.suspended);
  REQUIRE(flag.has_value());
  CHECK(flag->detail == "excluded from the lot since invitation");
}

}  // namespace
}  // namespace dps::referral
