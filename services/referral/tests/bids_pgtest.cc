// Sealed bids through gRPC: submitted, amended and withdrawn by the provider until the deadline,
// their content hidden from everyone else while the referral is open.
#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "platform/proto/proto_time.h"
#include "services/referral/tests/referral_fixture.h"

namespace dps::referral::testing {
namespace {

using qualification::testing::At;
using qualification::testing::QualifiedMember;
using qualification::testing::QualifiedMemberOf;
using qualification::testing::ServiceFixture;

// A published referral with the standard member and another provider's invited, so one answer
// does not close it; returns the standard member's invitation.
v1::Invitation Invited(ReferralFixture& f, v1::Referral* referral = nullptr) {
  QualifiedMember(f.qualification(), f.world());
  QualifiedMemberOf(f.qualification(), f.world(), "provider-b");
  const v1::PublishReferralResponse published = f.Publish(f.Spec());
  if (referral != nullptr) *referral = published.referral();
  REQUIRE(published.new_invitations_size() == 2);
  return InvitationOf(published, kProvider);
}

v1::BidContent Content() {
  v1::BidContent content;
  content.mutable_core_fee()->set_pence(395000);
  content.add_needs_met("ASD");
  content.set_outcomes_answer("A school place is arranged before the move.");
  *content.mutable_earliest_start() = platform::ToDate(absl::CivilDay(2027, 4, 1));
  return content;
}

void AddService(v1::BidContent& content, const std::string& code, int64_t units,
                int64_t rate_pence) {
  dps::scoring::v1::AdditionalService& line = *content.add_additional_services();
  line.set_code(code);
  line.set_units(units);
  line.set_rate_pence(rate_pence);
}

// The lot offers `codes` as additional services: its lead authority's change, the terms as they
// are.
void OfferServices(ReferralFixture& f, const std::vector<std::string>& codes) {
  qv1::GetLotRequest get;
  get.set_id(f.world().lot_id);
  qv1::Lot lot;
  CHECK_OK(f.qualification().stub().GetLot(qualification::testing::Lead().get(), get, &lot));
  qv1::UpdateLotRequest update;
  update.set_idempotency_key(ServiceFixture::Key());
  update.set_id(lot.id());
  update.set_expected_version(lot.version());
  *update.mutable_spec() = qualification::testing::ResidentialLotSpec();
  *update.mutable_spec()->mutable_terms() = lot.terms();
  for (const std::string& code : codes) {
    update.mutable_spec()->add_additional_services()->set_code(code);
  }
  update.set_reason("additional services priced on each member's rate card");
  CHECK_OK(f.qualification().stub().UpdateLot(qualification::testing::Lead().get(), update, &lot));
}

// The standard member, qualified with the hourly rates (code, pence) it tendered on its rate card.
void QualifiedWithRates(ReferralFixture& f,
                        const std::vector<std::pair<std::string, int64_t>>& rate_card) {
  qv1::CreateApplicationRequest request = qualification::testing::ApplicationFor(f.world(), 400000);
  for (const auto& [code, pence] : rate_card) {
    qv1::AdditionalServiceRate& rate =
        *request.mutable_spec()->mutable_commercial(0)->add_rate_card();
    rate.set_code(code);
    rate.set_unit(qv1::RATE_UNIT_HOURLY);
    rate.mutable_rate()->set_pence(pence);
  }
  qv1::Application application;
  CHECK_OK(f.qualification().stub().CreateApplication(qualification::testing::Provider().get(),
                                                      request, &application));
  CHECK_OK(qualification::testing::Submit(f.qualification(), application.id(), &application));
  qualification::testing::Qualify(f.qualification(), f.world(), application.id());
}

grpc::Status Submit(ReferralFixture& f, const std::string& invitation_id,
                    const v1::BidContent& content, v1::Bid* out,
                    std::unique_ptr<grpc::ClientContext> context = ProviderUser()) {
  v1::SubmitBidRequest request;
  request.set_idempotency_key(ServiceFixture::Key());
  request.set_invitation_id(invitation_id);
  *request.mutable_content() = content;
  return f.stub().SubmitBid(context.get(), request, out);
}

TEST_CASE(
    "a provider's bid is sealed: before close the authority learns neither who bid nor what") {
  ReferralFixture f(At(2027, 3, 1));
  v1::Referral referral;
  const v1::Invitation invitation = Invited(f, &referral);
  v1::Bid bid;
  CHECK_OK(Submit(f, invitation.id(), Content(), &bid));
  CHECK(bid.state() == v1::BID_STATE_SUBMITTED);
  CHECK(bid.content().core_fee().pence() == 395000);
  CHECK(f.EventCount("referral.bid.submitted") == 1);

  v1::GetReferralRequest get_referral;
  get_referral.set_id(referral.id());
  v1::Referral read;
  CHECK_OK(f.stub().GetReferral(Officer().get(), get_referral, &read));
  CHECK(read.bid_count() == 1);

  v1::GetBidRequest get;
  get.set_id(bid.id());
  v1::Bid sealed;
  const grpc::Status officer_get = f.stub().GetBid(Officer().get(), get, &sealed);
  CHECK(officer_get.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(officer_get.error_message().rfind("bids are sealed until 20", 0) == 0);
  v1::ListBidsRequest list;
  list.set_referral_id(referral.id());
  v1::ListBidsResponse listed;
  CHECK(f.stub()
            .ListBids(As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kLead).get(), list, &listed)
            .error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(f.stub().ListBids(Officer().get(), list, &listed).error_code() ==
        grpc::StatusCode::PERMISSION_DENIED);

  // The invitations do not tell who bid either: the bidder's reads as VIEWED, without a bid id,
  // and asking for the BID state is refused.
  v1::ListInvitationsRequest invited;
  invited.set_referral_id(referral.id());
  v1::ListInvitationsResponse answers;
  CHECK_OK(f.stub().ListInvitations(Officer().get(), invited, &answers));
  for (const v1::Invitation& i : answers.invitations()) {
    INFO(i.id());
    CHECK(i.bid_id().empty());
    CHECK(i.state() != v1::INVITATION_STATE_BID);
    if (i.id() == invitation.id()) CHECK(i.state() == v1::INVITATION_STATE_VIEWED);
  }
  invited.add_states(v1::INVITATION_STATE_VIEWED);
  CHECK_OK(f.stub().ListInvitations(Officer().get(), invited, &answers));
  CHECK(std::any_of(answers.invitations().begin(), answers.invitations().end(),
                    [&](const v1::Invitation& i) { return i.id() == invitation.id(); }));
  invited.add_states(v1::INVITATION_STATE_BID);
  CHECK(f.stub().ListInvitations(Officer().get(), invited, &answers).error_code() ==
        grpc::StatusCode::PERMISSION_DENIED);

  // Nor does the referral tell a provider how many others bid, or which officers acted.
  v1::Referral as_provider;
  CHECK_OK(f.stub().GetReferral(ProviderUser().get(), get_referral, &as_provider));
  CHECK(as_provider.bid_count() == 0);
  CHECK(as_provider.declined_count() == 0);
  REQUIRE(as_provider.history_size() > 0);
  for (const auto& entry : as_provider.history()) CHECK_FALSE(entry.has_actor());

  v1::Bid own;
  CHECK_OK(f.stub().GetBid(ProviderUser().get(), get, &own));
  CHECK(own.content().core_fee().pence() == 395000);
  const grpc::Status stranger = f.stub().GetBid(ProviderUser("provider-b").get(), get, &own);
  CHECK(stranger.error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK_OK(f.stub().ListBids(ProviderUser("provider-b").get(), list, &listed));
  CHECK(listed.bids_size() == 0);
  const grpc::Status other_authority = f.stub().GetBid(Officer(kLead).get(), get, &own);
  CHECK(other_authority.error_code() == grpc::StatusCode::NOT_FOUND);

  // One standing bid per invitation.
  v1::Bid second;
  const grpc::Status twice = Submit(f, invitation.id(), Content(), &second);
  CHECK(twice.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(twice.error_message() == "invitation: cannot bid on an invitation that is BID");
}

TEST_CASE("a bid's content is checked against the referral and the lot") {
  ReferralFixture f(At(2027, 3, 1));
  const v1::Invitation invitation = Invited(f);
  v1::Bid out;
  v1::BidContent free = Content();
  free.mutable_core_fee()->set_pence(0);
  grpc::Status status = Submit(f, invitation.id(), free, &out);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(status.error_message() == "content.core_fee: must be positive, got 0");

  v1::BidContent extra_need = Content();
  extra_need.add_needs_met("EQUINE");
  CHECK(Submit(f, invitation.id(), extra_need, &out).error_message() ==
        "content.needs_met[1]: 'EQUINE' is not one of the referral's needs");

  v1::BidContent service = Content();
  dps::scoring::v1::AdditionalService& line = *service.add_additional_services();
  line.set_code("helicopter");
  line.set_units(1);
  line.set_rate_pence(100);
  CHECK(Submit(f, invitation.id(), service, &out).error_message() ==
        "content.additional_services[0].code: 'helicopter' is not one of the lot's additional "
        "services");

  v1::BidContent no_start = Content();
  no_start.clear_earliest_start();
  CHECK(Submit(f, invitation.id(), no_start, &out).error_message() ==
        "content.earliest_start: required");
  CHECK(f.EventCount("referral.bid.submitted") == 0);

  // Another provider's invitation is not there to bid on.
  const grpc::Status stranger =
      Submit(f, invitation.id(), Content(), &out, ProviderUser("provider-b"));
  CHECK(stranger.error_code() == grpc::StatusCode::NOT_FOUND);
}

TEST_CASE("a bid prices additional services at most at the rates its establishment tendered") {
  // West London: additional services are charged at the provider's tendered rate, which a bid may
  // go below. The member tendered speech therapy and 1:1 support, not equine therapy.
  ReferralFixture f(At(2027, 3, 1));
  OfferServices(f, {"1-to-1-support", "speech-therapy", "equine-therapy"});
  QualifiedWithRates(f, {{"speech-therapy", 9000}, {"1-to-1-support", 12000}});
  QualifiedMemberOf(f.qualification(), f.world(), "provider-b");
  const v1::Invitation invitation = InvitationOf(f.Publish(f.Spec()), kProvider);

  v1::BidContent dearer = Content();
  AddService(dearer, "speech-therapy", 4, 9000);
  AddService(dearer, "1-to-1-support", 10, 12500);
  v1::Bid bid;
  const grpc::Status above = Submit(f, invitation.id(), dearer, &bid);
  CHECK(above.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(above.error_message() ==
        "content.additional_services[1].rate_pence: must be at most the tendered rate of 12000 "
        "pence for '1-to-1-support', got 12500");

  v1::BidContent untendered = Content();
  AddService(untendered, "equine-therapy", 1, 5000);
  const grpc::Status unpriced = Submit(f, invitation.id(), untendered, &bid);
  CHECK(unpriced.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(unpriced.error_message() ==
        "content.additional_services[0].code: 'equine-therapy' has no rate on the establishment's "
        "tendered rate card for the lot: an additional service is charged at its tendered rate");
  CHECK(f.EventCount("referral.bid.submitted") == 0);

  v1::BidContent within = Content();
  AddService(within, "speech-therapy", 4, 9000);
  AddService(within, "1-to-1-support", 10, 11000);
  CHECK_OK(Submit(f, invitation.id(), within, &bid));
  CHECK(bid.content().additional_services(1).rate_pence() == 11000);

  // An amendment is held to the same rates.
  v1::AmendBidRequest amend;
  amend.set_idempotency_key(ServiceFixture::Key());
  amend.set_bid_id(bid.id());
  amend.set_expected_version(bid.version());
  *amend.mutable_content() = dearer;
  v1::Bid amended;
  const grpc::Status raised = f.stub().AmendBid(ProviderUser().get(), amend, &amended);
  CHECK(raised.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(raised.error_message() == above.error_message());
  CHECK(f.EventCount("referral.bid.amended") == 0);
  CHECK(f.ReadOwnBid(kProvider, bid.id()).content().additional_services(1).rate_pence() == 11000);
}

TEST_CASE("a bid is amended at its version and withdrawn until the deadline, then bid again") {
  ReferralFixture f(At(2027, 3, 1));
  v1::Referral referral;
  const v1::Invitation invitation = Invited(f, &referral);
  v1::Bid bid;
  CHECK_OK(Submit(f, invitation.id(), Content(), &bid));

  v1::AmendBidRequest amend;
  amend.set_idempotency_key(ServiceFixture::Key());
  amend.set_bid_id(bid.id());
  amend.set_expected_version(bid.version());
  *amend.mutable_content() = Content();
  amend.mutable_content()->mutable_core_fee()->set_pence(380000);
  v1::Bid amended;
  CHECK_OK(f.stub().AmendBid(ProviderUser().get(), amend, &amended));
  CHECK(amended.content().core_fee().pence() == 380000);
  CHECK(amended.version() == 2);
  CHECK(amended.submitted_at().seconds() == bid.submitted_at().seconds());
  CHECK(f.EventCount("referral.bid.amended") == 1);

  amend.set_idempotency_key(ServiceFixture::Key());
  const grpc::Status stale = f.stub().AmendBid(ProviderUser().get(), amend, &amended);
  CHECK(stale.error_code() == grpc::StatusCode::ABORTED);

  v1::WithdrawBidRequest withdraw;
  withdraw.set_idempotency_key(ServiceFixture::Key());
  withdraw.set_bid_id(bid.id());
  withdraw.set_reason("the place has been filled");
  v1::Bid withdrawn;
  CHECK_OK(f.stub().WithdrawBid(ProviderUser().get(), withdraw, &withdrawn));
  CHECK(withdrawn.state() == v1::BID_STATE_WITHDRAWN);
  CHECK(f.EventCount("referral.bid.withdrawn") == 1);
  v1::GetReferralRequest get_referral;
  get_referral.set_id(referral.id());
  v1::Referral read;
  CHECK_OK(f.stub().GetReferral(Officer().get(), get_referral, &read));
  CHECK(read.bid_count() == 0);

  // The invitation may be answered again, until the deadline.
  v1::Bid again;
  CHECK_OK(Submit(f, invitation.id(), Content(), &again));
  CHECK(again.id() != bid.id());
  f.qualification().clock().Set(At(2027, 3, 15, 17));
  amend.set_idempotency_key(ServiceFixture::Key());
  amend.set_bid_id(again.id());
  amend.set_expected_version(again.version());
  const grpc::Status late = f.stub().AmendBid(ProviderUser().get(), amend, &amended);
  CHECK(late.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(late.error_message() == "referral: the response deadline has passed");
}

TEST_CASE("a referral withdrawn while open cancels the unanswered and never unseals its bids") {
  ReferralFixture f(At(2027, 3, 1));
  v1::Referral referral;
  const v1::Invitation invitation = Invited(f, &referral);
  v1::Bid bid;
  CHECK_OK(Submit(f, invitation.id(), Content(), &bid));

  v1::WithdrawReferralRequest withdraw;
  withdraw.set_idempotency_key(ServiceFixture::Key());
  withdraw.set_id(referral.id());
  withdraw.set_reason("the child returned home");
  v1::Referral withdrawn;
  CHECK_OK(f.stub().WithdrawReferral(Officer().get(), withdraw, &withdrawn));

  v1::ListInvitationsRequest list;
  list.set_referral_id(referral.id());
  v1::ListInvitationsResponse invitations;
  CHECK_OK(f.stub().ListInvitations(Officer().get(), list, &invitations));
  REQUIRE(invitations.invitations_size() == 2);
  for (const v1::Invitation& i : invitations.invitations()) {
    INFO(i.provider_id());
    CHECK(i.state() == (i.id() == invitation.id() ? v1::INVITATION_STATE_VIEWED
                                                  : v1::INVITATION_STATE_CANCELLED));
    CHECK(i.bid_id().empty());
  }
  CHECK(f.ReadOwnBid(kProvider, bid.id()).state() == v1::BID_STATE_NOT_AWARDED);
  v1::GetBidRequest get;
  get.set_id(bid.id());
  v1::Bid ended;
  const grpc::Status sealed = f.stub().GetBid(Officer().get(), get, &ended);
  CHECK(sealed.error_code() == grpc::StatusCode::PERMISSION_DENIED);  // sealed for good
  CHECK(sealed.error_message() == "bids stay sealed: the referral ended before it closed for bids");
}

}  // namespace
}  // namespace dps::referral::testing
