// The scoring engine over gRPC: the call goes as the referral service itself with a deadline, and
// a failure comes back with its code, said to be the scoring service's.
#ifndef DPS_SERVICES_REFERRAL_CLIENTS_GRPC_SCORING_CLIENT_H_
#define DPS_SERVICES_REFERRAL_CLIENTS_GRPC_SCORING_CLIENT_H_

#include <grpcpp/channel.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "dps/scoring/v1/scoring.grpc.pb.h"
#include "platform/auth/authenticator.h"
#include "services/referral/clients/scoring_client.h"

namespace dps::referral {

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

#endif  // DPS_SERVICES_REFERRAL_CLIENTS_GRPC_SCORING_CLIENT_H_
