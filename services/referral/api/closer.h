// Closing a referral and ranking its bids, shared by the deadline timer and by the handlers that
// take the last answer.
//
// Close: OPEN -> CLOSED (bids unsealed), every unanswered invitation NO_RESPONSE, then Rank, then
// "referral.referral.closed". Rank asks the qualification register what each bidder's
// establishment was at close (position, ceiling fee, qualification score, still eligible?), asks
// the scoring engine for the ranking, keeps the request and result (GetEvaluation), marks each bid
// COMPLIANT or EXCLUDED with its result, and moves the referral on once the ranking is final.
// Everything is written in the caller's transaction, so a close either happens whole or not at
// all, and a failed call to another service leaves the referral OPEN for the next attempt, unless
// the failure is a refusal no attempt can change (RankingMayYetSucceed in the domain): then the
// referral closes unranked with the refusal as its ranking_refused_reason, announced on the closed
// event, and nothing retries it.
#ifndef DPS_SERVICES_REFERRAL_API_CLOSER_H_
#define DPS_SERVICES_REFERRAL_API_CLOSER_H_

#include <grpcpp/channel.h>

#include <memory>

#include "absl/status/status.h"
#include "dps/events/v1/events.pb.h"
#include "dps/referral/v1/referral.pb.h"
#include "dps/scoring/v1/scoring.grpc.pb.h"
#include "platform/grpc/calls.h"
#include "services/referral/api/qualification_client.h"

namespace dps::referral {

namespace v1 = ::dps::referral::v1;

// The stream every referral event goes to.
inline constexpr char kReferralStream[] = "dps.referral";

class Closer {
 public:
  Closer(const QualificationClient& qualification, std::shared_ptr<grpc::Channel> scoring,
         const platform::auth::ServiceTokens& tokens)
      : qualification_(qualification),
        scoring_(dps::scoring::v1::ScoringService::NewStub(scoring)),
        tokens_(tokens) {}

  // `referral` is locked by the caller's transaction and OPEN.
  absl::Status Close(platform::Call& call, v1::Referral& referral,
                     dps::events::v1::CloseCause cause) const;

  // Ranks a CLOSED referral's standing bids; returns how many are compliant.
  absl::StatusOr<int> Rank(platform::Call& call, v1::Referral& referral) const;

 private:
  const QualificationClient& qualification_;
  std::unique_ptr<dps::scoring::v1::ScoringService::Stub> scoring_;
  const platform::auth::ServiceTokens& tokens_;
};

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_API_CLOSER_H_
