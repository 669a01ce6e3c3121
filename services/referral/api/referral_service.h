// The ReferralService gRPC API over the referral domain (services/referral/domain) and its
// records (services/referral/storage).
//
// Each handler is a thin translation: who is calling, whether their role and organisation may,
// then one transaction that loads the records, runs the domain rule, writes the records and their
// outbox events, and (for changes) records the idempotency key with the response. What a change
// needs to know of its purchasing system, lot and establishments it asks the qualification
// service (app/placement.h) before its transaction opens, and re-checks under its locks that what
// it asked about has not moved: no remote call is made while a row lock is held.
//
// Every RPC of dps.referral.v1.ReferralService is served here; the handlers are grouped by area
// in the *_handlers.cc files beside this one. Closing and ranking are use cases shared with the
// deadline timer (app/closing.h, app/ranking.h): a change that closes a referral or alters what
// its ranking depends on asks for a ranking in its transaction, and the handler settles it after
// the commit, with no transaction open while the qualification and scoring services answer.
#ifndef DPS_SERVICES_REFERRAL_API_REFERRAL_SERVICE_H_
#define DPS_SERVICES_REFERRAL_API_REFERRAL_SERVICE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "dps/qualification/v1/qualification.grpc.pb.h"
#include "dps/referral/v1/referral.grpc.pb.h"
#include "platform/clock/clock.h"
#include "platform/grpc/calls.h"
#include "platform/pg/pool.h"
#include "services/referral/app/closing.h"
#include "services/referral/app/ranking.h"
#include "services/referral/clients/qualification_client.h"
#include "services/referral/domain/referral.h"

namespace dps::referral {

namespace v1 = ::dps::referral::v1;
namespace qv1 = ::dps::qualification::v1;

class ReferralService final : public v1::ReferralService::Service {
 public:
  // `qualification` answers what the service asks of systems, lots and eligibility; `ranker`
  // settles the rankings the handlers ask for.
  ReferralService(platform::PgPool& pool, const platform::Clock& clock,
                  const platform::auth::Authenticator& authenticator,
                  const QualificationClient& qualification, const Ranker& ranker)
      : calls_(pool, clock, authenticator), qualification_(qualification), ranker_(ranker) {}

  grpc::Status CreateReferral(grpc::ServerContext*, const v1::CreateReferralRequest*,
                              v1::Referral*) override;
  grpc::Status UpdateReferral(grpc::ServerContext*, const v1::UpdateReferralRequest*,
                              v1::Referral*) override;
  grpc::Status GetReferral(grpc::ServerContext*, const v1::GetReferralRequest*,
                           v1::Referral*) override;
  grpc::Status ListReferrals(grpc::ServerContext*, const v1::ListReferralsRequest*,
                             v1::ListReferralsResponse*) override;
  grpc::Status WithdrawReferral(grpc::ServerContext*, const v1::WithdrawReferralRequest*,
                                v1::Referral*) override;

  // Rounds of invitations (rounds_handlers.cc) and invitations (invitation_handlers.cc).
  grpc::Status PublishReferral(grpc::ServerContext*, const v1::PublishReferralRequest*,
                               v1::PublishReferralResponse*) override;
  grpc::Status ExtendResponseDeadline(grpc::ServerContext*,
                                      const v1::ExtendResponseDeadlineRequest*,
                                      v1::Referral*) override;
  grpc::Status WidenRadius(grpc::ServerContext*, const v1::WidenRadiusRequest*,
                           v1::PublishReferralResponse*) override;
  grpc::Status DeclareNoSuitableOffer(grpc::ServerContext*,
                                      const v1::DeclareNoSuitableOfferRequest*,
                                      v1::Referral*) override;
  grpc::Status ReopenReferral(grpc::ServerContext*, const v1::ReopenReferralRequest*,
                              v1::PublishReferralResponse*) override;
  grpc::Status ListInvitations(grpc::ServerContext*, const v1::ListInvitationsRequest*,
                               v1::ListInvitationsResponse*) override;
  grpc::Status ListInbox(grpc::ServerContext*, const v1::ListInboxRequest*,
                         v1::ListInboxResponse*) override;
  grpc::Status DeclineInvitation(grpc::ServerContext*, const v1::DeclineInvitationRequest*,
                                 v1::Invitation*) override;
  grpc::Status ExplainInvitation(grpc::ServerContext*, const v1::ExplainInvitationRequest*,
                                 v1::ExplainInvitationResponse*) override;
  grpc::Status ListMissedReferrals(grpc::ServerContext*, const v1::ListMissedReferralsRequest*,
                                   v1::ListMissedReferralsResponse*) override;

  // Sealed bids (bid_handlers.cc).
  grpc::Status SubmitBid(grpc::ServerContext*, const v1::SubmitBidRequest*, v1::Bid*) override;
  grpc::Status AmendBid(grpc::ServerContext*, const v1::AmendBidRequest*, v1::Bid*) override;
  grpc::Status WithdrawBid(grpc::ServerContext*, const v1::WithdrawBidRequest*, v1::Bid*) override;
  grpc::Status GetBid(grpc::ServerContext*, const v1::GetBidRequest*, v1::Bid*) override;
  grpc::Status ListBids(grpc::ServerContext*, const v1::ListBidsRequest*,
                        v1::ListBidsResponse*) override;

  // Direct awards (direct_award_handlers.cc).
  grpc::Status MakeDirectAward(grpc::ServerContext*, const v1::MakeDirectAwardRequest*,
                               v1::DirectAward*) override;
  grpc::Status GetDirectAward(grpc::ServerContext*, const v1::GetDirectAwardRequest*,
                              v1::DirectAward*) override;
  grpc::Status ListDirectAwards(grpc::ServerContext*, const v1::ListDirectAwardsRequest*,
                                v1::ListDirectAwardsResponse*) override;
  grpc::Status ReviewDirectAward(grpc::ServerContext*, const v1::ReviewDirectAwardRequest*,
                                 v1::DirectAward*) override;

  // Block contracts and call-offs (block_contract_handlers.cc).
  grpc::Status CreateBlockContract(grpc::ServerContext*, const v1::CreateBlockContractRequest*,
                                   v1::BlockContract*) override;
  grpc::Status GetBlockContract(grpc::ServerContext*, const v1::GetBlockContractRequest*,
                                v1::BlockContract*) override;
  grpc::Status ListBlockContracts(grpc::ServerContext*, const v1::ListBlockContractsRequest*,
                                  v1::ListBlockContractsResponse*) override;
  grpc::Status CallOffBlockContract(grpc::ServerContext*, const v1::CallOffBlockContractRequest*,
                                    v1::BlockCallOff*) override;
  grpc::Status EndBlockCallOff(grpc::ServerContext*, const v1::EndBlockCallOffRequest*,
                               v1::BlockCallOff*) override;
  grpc::Status EndBlockContract(grpc::ServerContext*, const v1::EndBlockContractRequest*,
                                v1::BlockContract*) override;
  grpc::Status GetBlockVoids(grpc::ServerContext*, const v1::GetBlockVoidsRequest*,
                             v1::BlockVoidReport*) override;

  // Outcome evaluation and the evaluation itself (evaluation_handlers.cc).
  grpc::Status AssignOutcomeEvaluators(grpc::ServerContext*,
                                       const v1::AssignOutcomeEvaluatorsRequest*,
                                       v1::Referral*) override;
  grpc::Status ListOutcomeTasks(grpc::ServerContext*, const v1::ListOutcomeTasksRequest*,
                                v1::ListOutcomeTasksResponse*) override;
  grpc::Status ScoreOutcomeAnswer(grpc::ServerContext*, const v1::ScoreOutcomeAnswerRequest*,
                                  v1::OutcomeTask*) override;
  grpc::Status GetEvaluation(grpc::ServerContext*, const v1::GetEvaluationRequest*,
                             v1::Evaluation*) override;

  // Parental choice, award, approval and feedback (award_handlers.cc).
  grpc::Status RecordParentalChoice(grpc::ServerContext*, const v1::RecordParentalChoiceRequest*,
                                    v1::Referral*) override;
  grpc::Status AwardReferral(grpc::ServerContext*, const v1::AwardReferralRequest*,
                             v1::Referral*) override;
  grpc::Status DecideAwardApproval(grpc::ServerContext*, const v1::DecideAwardApprovalRequest*,
                                   v1::Referral*) override;
  grpc::Status GetBidFeedback(grpc::ServerContext*, const v1::GetBidFeedbackRequest*,
                              v1::BidFeedback*) override;

 private:
  // A ranking a change asked for (app/ranking.h), settled once the change has committed.
  struct RankingAsked {
    std::string referral_id;  // empty: none asked
    std::string request_id;
    void Ask(const platform::Call& call, const std::string& id) {
      referral_id = id;
      request_id = call.request_id;
    }
  };

  // Closes the referral in the same transaction when nobody is left to answer (after a decline
  // or a bid), asking for its ranking.
  absl::Status CloseIfAllAnswered(platform::Call& call, v1::Referral& referral,
                                  RankingAsked& ranking);

  // `change`, after settling the ranking it asked for if it succeeded. The ranking is tried now,
  // so the caller reads it as soon as the peers answer; if they cannot, the change stands all the
  // same (it has committed) and the deadline timer settles the ranking later.
  grpc::Status SettleAfter(grpc::Status change, const RankingAsked& ranking) const;

  platform::CallRunner calls_;
  const QualificationClient& qualification_;
  const Ranker& ranker_;
};

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_API_REFERRAL_SERVICE_H_
