// Closing through the deadline timer and through the last answer, with the ranking from a real
// scoring service and the register's view at close from a real qualification service.
#include <catch2/catch.hpp>

#include "platform/proto/proto_time.h"
#include "services/referral/tests/referral_fixture.h"

namespace dps::referral::testing {
namespace {

using qualification::testing::At;
using qualification::testing::QualifiedMember;
using qualification::testing::ServiceFixture;

// The standard member qualified and invited to a published referral of `spec`.
v1::PublishReferralResponse Published(ReferralFixture& f, const v1::ReferralSpec& spec) {
  QualifiedMember(f.qualification(), f.world());
  v1::PublishReferralResponse published = f.Publish(spec);
  REQUIRE(published.new_invitations_size() == 1);
  return published;
}

TEST_CASE("the server closes a referral at its deadline and unseals and ranks its bids") {
  ReferralFixture f(At(2027, 3, 1));
  const v1::PublishReferralResponse published = Published(f, f.Spec());
  const std::string id = published.referral().id();
  // The member answers nothing: only the deadline closes it.
  f.qualification().clock().Set(At(2027, 3, 15, 16));
  CHECK(f.timer().RunOnce() == 0);
  CHECK(f.Read(id).state() == v1::REFERRAL_STATE_OPEN);

  f.qualification().clock().Set(At(2027, 3, 15, 17));
  CHECK(f.timer().RunOnce() == 1);
  const v1::Referral closed = f.Read(id);
  CHECK(platform::FromTimestamp(closed.closed_at()) == At(2027, 3, 15, 17));
  CHECK(f.EventCount("referral.referral.closed") == 1);
  v1::ListInvitationsRequest list;
  list.set_referral_id(id);
  v1::ListInvitationsResponse invitations;
  CHECK_OK(f.stub().ListInvitations(Officer().get(), list, &invitations));
  CHECK(invitations.invitations(0).state() == v1::INVITATION_STATE_NO_RESPONSE);
  // No bids: the ranking is final with nobody in it, for the officer to declare no suitable offer.
  CHECK(closed.state() == v1::REFERRAL_STATE_EVALUATED);
  CHECK(f.EventCount("referral.referral.evaluated") == 1);

  // Nothing closes twice, and a timer started afresh (a restart) finds nothing left to do.
  CHECK(f.timer().RunOnce() == 0);
  DeadlineTimer restarted = f.timer();
  CHECK(restarted.RunOnce() == 0);
  CHECK(f.EventCount("referral.referral.closed") == 1);
}

TEST_CASE("the last answer closes the referral at once, and its bid is ranked and unsealed") {
  ReferralFixture f(At(2027, 3, 1));
  const v1::PublishReferralResponse published = Published(f, f.Spec());
  const v1::Bid bid = f.Bid(kProvider, published.new_invitations(0).id(), 395000);

  const v1::Referral closed = f.Read(published.referral().id());
  CHECK(closed.state() == v1::REFERRAL_STATE_CLOSED);
  CHECK(f.EventCount("referral.referral.closed") == 1);
  const v1::Bid ranked = f.ReadBid(bid.id());
  CHECK(ranked.state() == v1::BID_STATE_COMPLIANT);
  CHECK(ranked.content().core_fee().pence() == 395000);  // unsealed for the authority
  CHECK(ranked.evaluation().rank() == 1);
  // Outcomes carry 10 points and nobody has scored the answer: the ranking waits for them.
  CHECK(ranked.evaluation().scores().outcomes_pending());
  CHECK(f.EventCount("referral.referral.evaluated") == 0);

  // Closed: the provider can no longer change its bid.
  v1::WithdrawBidRequest withdraw;
  withdraw.set_idempotency_key(ServiceFixture::Key());
  withdraw.set_bid_id(bid.id());
  v1::Bid out;
  const grpc::Status late = f.stub().WithdrawBid(ProviderUser().get(), withdraw, &out);
  CHECK(late.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(late.error_message() == "referral: is CLOSED: it takes no answers");
}

TEST_CASE("with no outcome points the ranking is final at close and the referral EVALUATED") {
  ReferralFixture f(At(2027, 3, 1));
  v1::ReferralSpec spec = f.Spec();
  dps::common::v1::Weights& weights = *spec.mutable_weights();
  weights.set_price(60);
  weights.set_needs(10);
  weights.set_features(5);
  weights.set_location(5);
  weights.set_core_competency(20);
  const v1::PublishReferralResponse published = Published(f, spec);
  const v1::Bid bid =
      f.Bid(kProvider, published.new_invitations(0).id(), 420000);  // above the £4,000 ceiling

  const v1::Referral evaluated = f.Read(published.referral().id());
  CHECK(evaluated.state() == v1::REFERRAL_STATE_EVALUATED);
  CHECK(evaluated.has_evaluated_at());
  CHECK(f.EventCount("referral.referral.evaluated") == 1);
  const v1::Bid excluded = f.ReadBid(bid.id());
  CHECK(excluded.state() == v1::BID_STATE_EXCLUDED);
  REQUIRE(excluded.evaluation().exclusion_reasons_size() == 1);
  CHECK(excluded.evaluation().exclusion_reasons(0).code() ==
        dps::scoring::v1::EXCLUSION_CODE_ABOVE_CEILING);
}

TEST_CASE("a decline by the only invitee closes the referral with nothing to rank") {
  ReferralFixture f(At(2027, 3, 1));
  const v1::PublishReferralResponse published = Published(f, f.Spec());
  v1::DeclineInvitationRequest decline;
  decline.set_idempotency_key(ServiceFixture::Key());
  decline.set_invitation_id(published.new_invitations(0).id());
  decline.set_reason(v1::DECLINE_REASON_NO_CAPACITY);
  v1::Invitation out;
  CHECK_OK(f.stub().DeclineInvitation(ProviderUser().get(), decline, &out));
  const v1::Referral referral = f.Read(published.referral().id());
  CHECK(referral.state() == v1::REFERRAL_STATE_EVALUATED);
  CHECK(f.EventCount("referral.referral.closed") == 1);
}

TEST_CASE("with the scoring service down the last answer closes the referral, its ranking waits") {
  ReferralFixture f(At(2027, 3, 1), dps::common::v1::REGIME_PCR2015_DPS,
                    /*scoring_reachable=*/false);
  const v1::PublishReferralResponse published = Published(f, f.Spec());
  const std::string id = published.referral().id();
  const v1::Bid bid = f.Bid(kProvider, published.new_invitations(0).id(), 395000);
  // The answer stands and the close needs no other service: the referral is CLOSED and its bids
  // unsealed, but nobody has ranked them.
  CHECK(f.EventCount("referral.bid.submitted") == 1);
  CHECK(f.Read(id).state() == v1::REFERRAL_STATE_CLOSED);
  CHECK(f.ReadBid(bid.id()).state() == v1::BID_STATE_SUBMITTED);
  CHECK(f.ReadBid(bid.id()).content().core_fee().pence() == 395000);
  // The closed event waits for the ranking's figures.
  CHECK(f.EventCount("referral.referral.closed") == 0);
  CHECK(f.timer().RunOnce() == 0);
  CHECK(f.EventCount("referral.referral.closed") == 0);
  CHECK(f.ReadBid(bid.id()).state() == v1::BID_STATE_SUBMITTED);

  // Once the engine is back, the timer's next tick ranks the bids and announces the close, once.
  f.SetScoringUp(true);
  CHECK(f.timer().RunOnce() == 0);
  const v1::Bid ranked = f.ReadBid(bid.id());
  CHECK(ranked.state() == v1::BID_STATE_COMPLIANT);
  CHECK(ranked.evaluation().rank() == 1);
  CHECK(f.EventCount("referral.referral.closed") == 1);
  const dps::events::v1::EventEnvelope event = f.LastEvent("referral.referral.closed");
  CHECK(event.referral_closed().cause() == dps::events::v1::CLOSE_CAUSE_ALL_ANSWERED);
  CHECK(event.referral_closed().bids() == 1);
  CHECK(event.referral_closed().compliant_bids() == 1);
  CHECK(f.timer().RunOnce() == 0);
  CHECK(f.EventCount("referral.referral.closed") == 1);
}

TEST_CASE("a close the engine refuses leaves the referral CLOSED saying why and is not retried") {
  ReferralFixture f(At(2027, 3, 1));
  const v1::PublishReferralResponse published = Published(f, f.Spec());
  const std::string id = published.referral().id();
  // A referral saved before the weight rules: the engine refuses its price weight at close.
  REQUIRE(f.pool()
              .InTransaction([&](pqxx::work& tx) -> absl::Status {
                tx.exec_params0(
                    "UPDATE referrals SET doc = jsonb_set(doc, '{spec,weights,price}', '75') "
                    "WHERE id = $1",
                    id);
                return absl::OkStatus();
              })
              .ok());
  // The only invitee bids: everyone has answered, so the referral closes at once.
  const v1::Bid bid = f.Bid(kProvider, published.new_invitations(0).id(), 395000);
  const v1::Referral closed = f.Read(id);
  CHECK(closed.state() == v1::REFERRAL_STATE_CLOSED);
  CHECK(closed.ranking_refused_reason() ==
        "scoring service: weights.price: must be between 30 and 70, got 75");
  REQUIRE(closed.history_size() > 0);
  CHECK(
      closed.history(closed.history_size() - 1).reason().rfind("the bids could not be ranked", 0) ==
      0);
  CHECK(f.EventCount("referral.referral.closed") == 1);
  // Past its deadline the timer finds nothing to retry, and the authority reads the bids and
  // decides.
  f.qualification().clock().Set(At(2027, 3, 15, 17));
  CHECK(f.timer().RunOnce() == 0);
  CHECK(f.EventCount("referral.referral.closed") == 1);
  CHECK(f.ReadBid(bid.id()).content().core_fee().pence() == 395000);
  v1::DeclareNoSuitableOfferRequest declare;
  declare.set_idempotency_key(ServiceFixture::Key());
  declare.set_id(id);
  declare.set_reason("the bids could not be ranked; reopening with corrected weights");
  v1::Referral declared;
  CHECK_OK(f.stub().DeclareNoSuitableOffer(Officer().get(), declare, &declared));
  CHECK(declared.state() == v1::REFERRAL_STATE_NO_SUITABLE_OFFER);
}

// A referral saved before today's weights rule: its stored weights sum to 100, as the old check
// asked, with a price weight of 75 the engine refuses.
void GiveStoredWeightsTheEngineRefuses(ReferralFixture& f, const std::string& id) {
  REQUIRE(f.pool()
              .InTransaction([&](pqxx::work& tx) -> absl::Status {
                tx.exec_params0(
                    "UPDATE referrals SET doc = jsonb_set(doc, '{spec,weights}', "
                    "'{\"price\": 75, \"needs\": 10, \"features\": 5, \"location\": 5, "
                    "\"core_competency\": 5}') WHERE id = $1",
                    id);
                return absl::OkStatus();
              })
              .ok());
}

TEST_CASE("at its deadline a referral the engine refuses closes once, unranked, and says why") {
  ReferralFixture f(At(2027, 3, 1));
  const v1::PublishReferralResponse published = Published(f, f.Spec());
  const std::string id = published.referral().id();
  GiveStoredWeightsTheEngineRefuses(f, id);

  // Nobody answers, so only the timer closes it; the engine refuses the same way every time.
  f.qualification().clock().Set(At(2027, 3, 15, 17));
  CHECK(f.timer().RunOnce() == 1);
  const v1::Referral closed = f.Read(id);
  CHECK(closed.state() == v1::REFERRAL_STATE_CLOSED);
  const std::string reason = "scoring service: weights.price: must be between 30 and 70, got 75";
  CHECK(closed.ranking_refused_reason() == reason);
  REQUIRE(closed.history_size() > 0);
  CHECK(closed.history(closed.history_size() - 1).reason() ==
        "the bids could not be ranked: " + reason);
  CHECK(f.EventCount("referral.referral.closed") == 1);
  const dps::events::v1::EventEnvelope event = f.LastEvent("referral.referral.closed");
  CHECK(event.referral_closed().referral_id() == id);
  CHECK(event.referral_closed().cause() == dps::events::v1::CLOSE_CAUSE_DEADLINE);
  CHECK(event.referral_closed().compliant_bids() == 0);
  CHECK(event.referral_closed().ranking_refused_reason() == reason);
  CHECK(f.EventCount("referral.referral.evaluated") == 0);

  // Later ticks, and a timer started afresh, find nothing to retry.
  f.qualification().clock().Set(At(2027, 3, 15, 18));
  CHECK(f.timer().RunOnce() == 0);
  DeadlineTimer restarted = f.timer();
  CHECK(restarted.RunOnce() == 0);
  CHECK(f.EventCount("referral.referral.closed") == 1);
  CHECK(f.Read(id).state() == v1::REFERRAL_STATE_CLOSED);
}

TEST_CASE("at its deadline a referral closes with the scoring service down, and is ranked later") {
  ReferralFixture f(At(2027, 3, 1), dps::common::v1::REGIME_PCR2015_DPS,
                    /*scoring_reachable=*/false);
  const v1::PublishReferralResponse published = Published(f, f.Spec());
  const std::string id = published.referral().id();
  f.qualification().clock().Set(At(2027, 3, 15, 17));
  CHECK(f.timer().RunOnce() == 1);
  // Closed, with no refusal recorded: an outage is not a refusal, and the ranking is tried again.
  const v1::Referral closed = f.Read(id);
  CHECK(closed.state() == v1::REFERRAL_STATE_CLOSED);
  CHECK(closed.ranking_refused_reason().empty());
  CHECK(f.EventCount("referral.referral.closed") == 0);
  CHECK(f.timer().RunOnce() == 0);
  CHECK(f.Read(id).state() == v1::REFERRAL_STATE_CLOSED);
  CHECK(f.EventCount("referral.referral.closed") == 0);

  // A timer started afresh (a restart) finds the ranking still due, and settles it once the
  // engine answers: no bids, so the ranking is final with nobody in it.
  f.SetScoringUp(true);
  DeadlineTimer restarted = f.timer();
  CHECK(restarted.RunOnce() == 0);
  CHECK(f.Read(id).state() == v1::REFERRAL_STATE_EVALUATED);
  CHECK(f.EventCount("referral.referral.closed") == 1);
  CHECK(f.LastEvent("referral.referral.closed").referral_closed().cause() ==
        dps::events::v1::CLOSE_CAUSE_DEADLINE);
  CHECK(f.EventCount("referral.referral.evaluated") == 1);
}

TEST_CASE("a referral withdrawn before its bids could be ranked is settled with nothing ranked") {
  ReferralFixture f(At(2027, 3, 1), dps::common::v1::REGIME_PCR2015_DPS,
                    /*scoring_reachable=*/false);
  const v1::PublishReferralResponse published = Published(f, f.Spec());
  const std::string id = published.referral().id();
  const v1::Bid bid = f.Bid(kProvider, published.new_invitations(0).id(), 395000);
  REQUIRE(f.Read(id).state() == v1::REFERRAL_STATE_CLOSED);
  v1::WithdrawReferralRequest withdraw;
  withdraw.set_idempotency_key(ServiceFixture::Key());
  withdraw.set_id(id);
  withdraw.set_reason("the child's plans changed");
  v1::Referral withdrawn;
  CHECK_OK(f.stub().WithdrawReferral(Officer().get(), withdraw, &withdrawn));
  CHECK(withdrawn.state() == v1::REFERRAL_STATE_WITHDRAWN);
  // The close is still announced, with no bid found compliant; nothing is ranked afterwards.
  f.SetScoringUp(true);
  CHECK(f.timer().RunOnce() == 0);
  CHECK(f.Read(id).state() == v1::REFERRAL_STATE_WITHDRAWN);
  // The withdrawal ended the bid unranked.
  const v1::Bid ended = f.ReadBid(bid.id());
  CHECK(ended.state() == v1::BID_STATE_NOT_AWARDED);
  CHECK_FALSE(ended.has_evaluation());
  CHECK(f.EventCount("referral.referral.closed") == 1);
  CHECK(f.LastEvent("referral.referral.closed").referral_closed().compliant_bids() == 0);
  CHECK(f.EventCount("referral.referral.evaluated") == 0);
}

TEST_CASE("a close without a refusal announces no refusal reason") {
  ReferralFixture f(At(2027, 3, 1));
  const v1::PublishReferralResponse published = Published(f, f.Spec());
  f.qualification().clock().Set(At(2027, 3, 15, 17));
  CHECK(f.timer().RunOnce() == 1);
  CHECK(f.Read(published.referral().id()).ranking_refused_reason().empty());
  CHECK(f.LastEvent("referral.referral.closed").referral_closed().ranking_refused_reason().empty());
}

}  // namespace
}  // namespace dps::referral::testing
