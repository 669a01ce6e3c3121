// After close through gRPC: evaluators score outcome answers blind, the last score makes the
// ranking final, the officer awards, and every bidder learns its points and the winner's.
#include <catch2/catch.hpp>

#include "services/referral/tests/referral_fixture.h"

namespace dps::referral::testing {
namespace {

using qualification::testing::At;
using qualification::testing::QualifiedMember;
using qualification::testing::QualifiedMemberOf;
using qualification::testing::ServiceFixture;

constexpr char kOther[] = "provider-b";

std::unique_ptr<grpc::ClientContext> Evaluator(const std::string& user = "eva") {
  return As(ApiRole::ROLE_EVALUATOR, kLead, user);
}

struct Competition {
  std::string referral_id;
  std::string near_bid;  // the standard member in Horsham, £3,950
  std::string far_bid;   // provider-b in Brighton, £3,700
};

// Two members bid on `authority`'s referral; the second answer closes it, and its ranking then
// waits for the outcome scores of the one evaluator assigned.
Competition Closed(ReferralFixture& f, const std::string& authority = kPartner) {
  QualifiedMember(f.qualification(), f.world());
  QualifiedMemberOf(f.qualification(), f.world(), kOther);
  const v1::PublishReferralResponse published = f.Publish(f.Spec(), authority);
  v1::AssignOutcomeEvaluatorsRequest assign;
  assign.set_idempotency_key(ServiceFixture::Key());
  assign.set_referral_id(published.referral().id());
  assign.add_evaluator_user_ids("eva");
  v1::Referral assigned;
  CHECK_OK(f.stub().AssignOutcomeEvaluators(Officer(authority).get(), assign, &assigned));
  Competition c{published.referral().id(), "", ""};
  c.near_bid = f.Bid(kProvider, InvitationOf(published, kProvider).id(), 395000).id();
  c.far_bid = f.Bid(kOther, InvitationOf(published, kOther).id(), 370000).id();
  return c;
}

grpc::Status Score(ReferralFixture& f, const Competition& c, const std::string& bid_id, int score,
                   const std::string& user = "eva") {
  v1::ScoreOutcomeAnswerRequest request;
  request.set_idempotency_key(ServiceFixture::Key());
  request.set_referral_id(c.referral_id);
  request.set_bid_id(bid_id);
  request.set_score(score);
  request.set_comment("clear plan");
  v1::OutcomeTask task;
  return f.stub().ScoreOutcomeAnswer(Evaluator(user).get(), request, &task);
}

grpc::Status Award(ReferralFixture& f, const Competition& c, const std::string& bid_id,
                   v1::AwardBasis basis, v1::Referral* out, const std::string& reason = "",
                   std::unique_ptr<grpc::ClientContext> caller = Officer()) {
  v1::AwardReferralRequest request;
  request.set_idempotency_key(ServiceFixture::Key());
  request.set_referral_id(c.referral_id);
  request.set_bid_id(bid_id);
  request.set_basis(basis);
  request.set_reason(reason);
  return f.stub().AwardReferral(caller.get(), request, out);
}

TEST_CASE("an assigned evaluator scores each answer blind, and the last score makes it final") {
  ReferralFixture f(At(2027, 3, 1));
  const Competition c = Closed(f);
  REQUIRE(f.Read(c.referral_id).state() == v1::REFERRAL_STATE_CLOSED);

  v1::ListOutcomeTasksRequest list;
  list.set_pending_only(true);
  v1::ListOutcomeTasksResponse tasks;
  CHECK_OK(f.stub().ListOutcomeTasks(Evaluator().get(), list, &tasks));
  REQUIRE(tasks.tasks_size() == 2);
  CHECK(tasks.tasks(0).outcomes_answer() == "A school place is arranged before the move.");
  CHECK(tasks.tasks(0).outcomes_sought(0) == "Attends school every day within three months");
  // In pages, by bid id.
  v1::ListOutcomeTasksRequest first_page = list;
  first_page.mutable_page()->set_page_size(1);
  v1::ListOutcomeTasksResponse one;
  CHECK_OK(f.stub().ListOutcomeTasks(Evaluator().get(), first_page, &one));
  REQUIRE(one.tasks_size() == 1);
  REQUIRE_FALSE(one.page().next_page_token().empty());
  v1::ListOutcomeTasksRequest second_page = first_page;
  second_page.mutable_page()->set_page_token(one.page().next_page_token());
  v1::ListOutcomeTasksResponse two;
  CHECK_OK(f.stub().ListOutcomeTasks(Evaluator().get(), second_page, &two));
  REQUIRE(two.tasks_size() == 1);
  CHECK(two.tasks(0).bid_id() > one.tasks(0).bid_id());
  CHECK(two.page().next_page_token().empty());

  const grpc::Status stranger = Score(f, c, c.near_bid, 4, "someone-else");
  CHECK(stranger.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(stranger.error_message() == "evaluator: not assigned to this referral's outcomes");
  const grpc::Status too_high = Score(f, c, c.near_bid, 6);
  CHECK(too_high.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(too_high.error_message() == "score: must be 0 to 5, got 6");

  CHECK_OK(Score(f, c, c.near_bid, 5));
  CHECK(f.Read(c.referral_id).state() == v1::REFERRAL_STATE_CLOSED);
  CHECK_OK(f.stub().ListOutcomeTasks(Evaluator().get(), list, &tasks));
  CHECK(tasks.tasks_size() == 1);
  CHECK_OK(Score(f, c, c.far_bid, 1));
  const v1::Referral evaluated = f.Read(c.referral_id);
  CHECK(evaluated.state() == v1::REFERRAL_STATE_EVALUATED);
  CHECK(f.EventCount("referral.bid.outcome_scored") == 2);
  CHECK(f.EventCount("referral.referral.evaluated") == 1);

  // The evaluation keeps the request that produced the ranking, so it can be replayed.
  v1::GetEvaluationRequest get;
  get.set_referral_id(c.referral_id);
  v1::Evaluation evaluation;
  CHECK_OK(f.stub().GetEvaluation(Officer().get(), get, &evaluation));
  CHECK(evaluation.request().bids_size() == 2);
  CHECK(evaluation.response().ranking_status() == dps::scoring::v1::RANKING_STATUS_FINAL);
  // Nearer, and with the better answer, the dearer bid ranks first.
  CHECK(evaluation.response().bids(0).bid_id() == c.near_bid);
  CHECK(f.ReadBid(c.near_bid).evaluation().scores().evaluator_scores(0) == 5);
}

TEST_CASE("a ranking overtaken while the engine answers is not applied, and the newer one is") {
  ReferralFixture f(At(2027, 3, 1));
  const Competition c = Closed(f);
  // While the ranking asked for by the first score waits for the engine, the last score arrives.
  // The ranker holds no lock and no connection meanwhile, so the last score is taken at once
  // (with the referral locked by the ranker, it would wait here until the first call gave up);
  // its own ranking is final. The first ranking, computed from one score, is then not applied.
  grpc::Status last_score;
  f.DuringNextRanking([&] { last_score = Score(f, c, c.far_bid, 1); });
  CHECK_OK(Score(f, c, c.near_bid, 5));
  CHECK_OK(last_score);
  const v1::Referral evaluated = f.Read(c.referral_id);
  CHECK(evaluated.state() == v1::REFERRAL_STATE_EVALUATED);
  CHECK(f.EventCount("referral.referral.evaluated") == 1);
  v1::GetEvaluationRequest get;
  get.set_referral_id(c.referral_id);
  v1::Evaluation evaluation;
  CHECK_OK(f.stub().GetEvaluation(Officer().get(), get, &evaluation));
  CHECK(evaluation.response().ranking_status() == dps::scoring::v1::RANKING_STATUS_FINAL);
  CHECK(f.ReadBid(c.near_bid).evaluation().scores().evaluator_scores(0) == 5);
  CHECK(f.ReadBid(c.far_bid).evaluation().scores().evaluator_scores(0) == 1);
  // Nothing is left due for the timer.
  CHECK(f.timer().RunOnce() == 0);
  CHECK(f.EventCount("referral.referral.evaluated") == 1);
}

TEST_CASE("the officer awards the top bid, and each bidder learns its points and the winner's") {
  ReferralFixture f(At(2027, 3, 1));
  const Competition c = Closed(f);
  v1::Referral out;
  // Not before the ranking is final.
  const grpc::Status early = Award(f, c, c.near_bid, v1::AWARD_BASIS_TOP_RANKED, &out);
  CHECK(early.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(early.error_message() == "referral: cannot award a referral that is CLOSED");
  CHECK_OK(Score(f, c, c.near_bid, 5));
  CHECK_OK(Score(f, c, c.far_bid, 1));

  const grpc::Status second = Award(f, c, c.far_bid, v1::AWARD_BASIS_TOP_RANKED, &out);
  CHECK(second.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(second.error_message() ==
        "basis: TOP_RANKED names the rank-1 bid; this bid is ranked 2 (use OFFICER_CHOICE with a "
        "reason)");
  CHECK(Award(f, c, c.far_bid, v1::AWARD_BASIS_UNSPECIFIED, &out).error_message() ==
        "basis: required: TOP_RANKED, PARENTAL_CHOICE or OFFICER_CHOICE");

  CHECK_OK(Award(f, c, c.near_bid, v1::AWARD_BASIS_TOP_RANKED, &out));
  CHECK(out.state() == v1::REFERRAL_STATE_AWARDED);
  CHECK(out.award().approval() == v1::APPROVAL_STATE_NOT_REQUIRED);
  CHECK(out.award().provider_id() == kProvider);
  CHECK(out.award().evaluated_weekly_price().pence() == 395000);
  CHECK(f.EventCount("referral.referral.awarded") == 1);
  CHECK(f.ReadBid(c.near_bid).state() == v1::BID_STATE_AWARDED);
  CHECK(f.ReadBid(c.far_bid).state() == v1::BID_STATE_NOT_AWARDED);

  v1::GetBidFeedbackRequest feedback_request;
  feedback_request.set_bid_id(c.far_bid);
  v1::BidFeedback feedback;
  CHECK_OK(f.stub().GetBidFeedback(ProviderUser(kOther).get(), feedback_request, &feedback));
  CHECK(feedback.outcome() == v1::BID_OUTCOME_NOT_AWARDED);
  CHECK(feedback.own_rank() == 2);
  CHECK(feedback.compliant_bid_count() == 2);
  CHECK(feedback.own_points().price() == Approx(50));  // the cheaper bid earns every price point
  CHECK(feedback.winner_points().outcomes() == Approx(10));
  CHECK(feedback.winner_points().total() > feedback.own_points().total());
  CHECK(feedback.own_evaluated_weekly_price().pence() == 370000);

  // A provider reads only its own feedback.
  const grpc::Status stranger = f.stub().GetBidFeedback(
      ProviderUser(kOther).get(),
      [&] {
        v1::GetBidFeedbackRequest r;
        r.set_bid_id(c.near_bid);
        return r;
      }(),
      &feedback);
  CHECK(stranger.error_code() == grpc::StatusCode::NOT_FOUND);
  feedback_request.set_bid_id(c.near_bid);
  CHECK_OK(f.stub().GetBidFeedback(ProviderUser().get(), feedback_request, &feedback));
  CHECK(feedback.outcome() == v1::BID_OUTCOME_AWARDED);
}

TEST_CASE("another compliant bid is awarded only with the officer's reason") {
  ReferralFixture f(At(2027, 3, 1));
  const Competition c = Closed(f);
  CHECK_OK(Score(f, c, c.near_bid, 5));
  CHECK_OK(Score(f, c, c.far_bid, 1));
  v1::Referral out;
  CHECK(Award(f, c, c.far_bid, v1::AWARD_BASIS_OFFICER_CHOICE, &out).error_message() ==
        "reason: required for OFFICER_CHOICE");
  CHECK_OK(Award(f, c, c.far_bid, v1::AWARD_BASIS_OFFICER_CHOICE, &out,
                 "keeps the child near her brother"));
  CHECK(out.award().basis() == v1::AWARD_BASIS_OFFICER_CHOICE);
  CHECK(out.award().reason() == "keeps the child near her brother");
  CHECK(f.ReadBid(c.far_bid).state() == v1::BID_STATE_AWARDED);
}

// Kent joins the system by access agreement with a £3,900 a week approval threshold.
void KentJoins(ReferralFixture& f) {
  qualification::v1::AddParticipatingAuthorityRequest join;
  join.set_idempotency_key(ServiceFixture::Key());
  join.set_system_id(f.world().system_id);
  join.mutable_authority()->set_authority_id(kOutsider);
  join.mutable_authority()->mutable_award_approval_threshold_weekly()->set_pence(390000);
  join.set_access_agreement_ref("AA-2027-04");
  qualification::v1::PurchasingSystem joined;
  CHECK_OK(f.qualification().stub().AddParticipatingAuthority(qualification::testing::Lead().get(),
                                                              join, &joined));
}

TEST_CASE("an award above the authority's threshold waits for its commissioner") {
  ReferralFixture f(At(2027, 3, 1));
  KentJoins(f);
  const Competition c = Closed(f, kOutsider);
  CHECK_OK(Score(f, c, c.near_bid, 5));
  CHECK_OK(Score(f, c, c.far_bid, 1));
  v1::Referral out;
  // £3,950 a week is above Kent's £3,900.
  CHECK_OK(Award(f, c, c.near_bid, v1::AWARD_BASIS_TOP_RANKED, &out, "", Officer(kOutsider)));
  CHECK(out.state() == v1::REFERRAL_STATE_EVALUATED);
  CHECK(out.award().approval() == v1::APPROVAL_STATE_PENDING);
  CHECK(f.EventCount("referral.referral.awarded") == 0);

  v1::DecideAwardApprovalRequest decide;
  decide.set_idempotency_key(ServiceFixture::Key());
  decide.set_referral_id(c.referral_id);
  decide.set_approve(false);
  const auto kent_commissioner = [] {
    return As(ApiRole::ROLE_COMMISSIONER, kOutsider, "commissioner-1");
  };
  CHECK(f.stub().DecideAwardApproval(kent_commissioner().get(), decide, &out).error_message() ==
        "reason: required when refusing an award");
  const grpc::Status officer = f.stub().DecideAwardApproval(Officer(kOutsider).get(), decide, &out);
  CHECK(officer.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  decide.set_reason("over budget: try the other bid");
  CHECK_OK(f.stub().DecideAwardApproval(kent_commissioner().get(), decide, &out));
  CHECK(out.state() == v1::REFERRAL_STATE_EVALUATED);
  CHECK(out.award().approval() == v1::APPROVAL_STATE_REFUSED);

  // The cheaper bid, within the threshold, is awarded at once.
  CHECK_OK(Award(f, c, c.far_bid, v1::AWARD_BASIS_OFFICER_CHOICE, &out, "within budget",
                 Officer(kOutsider)));
  CHECK(out.state() == v1::REFERRAL_STATE_AWARDED);
  CHECK(out.award().approval() == v1::APPROVAL_STATE_NOT_REQUIRED);
  CHECK(f.EventCount("referral.referral.awarded") == 1);
}

TEST_CASE("a commissioner approves a pending award, and the referral is awarded") {
  ReferralFixture f(At(2027, 3, 1));
  KentJoins(f);
  const Competition c = Closed(f, kOutsider);
  CHECK_OK(Score(f, c, c.near_bid, 5));
  CHECK_OK(Score(f, c, c.far_bid, 1));
  v1::Referral out;
  CHECK_OK(Award(f, c, c.near_bid, v1::AWARD_BASIS_TOP_RANKED, &out, "", Officer(kOutsider)));
  v1::DecideAwardApprovalRequest decide;
  decide.set_idempotency_key(ServiceFixture::Key());
  decide.set_referral_id(c.referral_id);
  decide.set_approve(true);
  CHECK_OK(
      f.stub().DecideAwardApproval(As(ApiRole::ROLE_COMMISSIONER, kOutsider).get(), decide, &out));
  CHECK(out.state() == v1::REFERRAL_STATE_AWARDED);
  CHECK(out.award().approval() == v1::APPROVAL_STATE_APPROVED);
  CHECK(f.EventCount("referral.referral.awarded") == 1);
}

}  // namespace
}  // namespace dps::referral::testing
