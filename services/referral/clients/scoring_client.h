// What the referral service asks the scoring engine: the ranking of a referral's bids. Behind an
// interface so the ranking use case (app/ranking.h) can be tested with a fake engine; the gRPC
// client goes as the referral service itself with a deadline, and a failure comes back with its
// code, said to be the scoring service's.
#ifndef DPS_SERVICES_REFERRAL_CLIENTS_SCORING_CLIENT_H_
#define DPS_SERVICES_REFERRAL_CLIENTS_SCORING_CLIENT_H_

#include <grpcpp/channel.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "dps/scoring/v1/scoring.grpc.pb.h"
#include "platform/auth/authenticator.h"

namespace dps::referral {

class ScoringClient {
 public:
  virtual ~ScoringClient() = default;
  virtual absl::StatusOr<dps::scoring::v1::EvaluateResponse> Evaluate(
      const std::string& request_id, const dps::scoring::v1::EvaluateRequest& request) const = 0;
};

class GrpcScoringClient final : public ScoringClient {
 public:
  GrpcScoringClient(std::shared_ptr<grpc::Channel> channel,
                    const platform::auth::ServiceTokens& tokens)
      : stub_(dps::scoring::v1::ScoringService::NewStub(channel)), tokens_(tokens) {}

  absl::StatusOr<dps::scoring::v1::EvaluateResponse> Evaluate(
      const std::string& request_id,
      const dps::scoring::v1::EvaluateRequest& request) const override;

 private:
  std::unique_ptr<dps::scoring::v1::ScoringService::Stub> stub_;
  const platform::auth::ServiceTokens& tokens_;
};

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_CLIENTS_SCORING_CLIENT_H_
