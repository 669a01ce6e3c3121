// What the referral service asks the scoring engine: the ranking of a referral's bids. An
// interface over the API's messages, so the ranking use case (app/ranking.h) links no gRPC and can
// be tested with a fake engine; grpc_scoring_client.h is the real one.
#ifndef DPS_SERVICES_REFERRAL_CLIENTS_SCORING_CLIENT_H_
#define DPS_SERVICES_REFERRAL_CLIENTS_SCORING_CLIENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "dps/scoring/v1/scoring.pb.h"

namespace dps::referral {

class ScoringClient {
 public:
  virtual ~ScoringClient() = default;
  virtual absl::StatusOr<dps::scoring::v1::EvaluateResponse> Evaluate(
      const std::string& request_id, const dps::scoring::v1::EvaluateRequest& request) const = 0;
};

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_CLIENTS_SCORING_CLIENT_H_
