// The gRPC face of the scoring engine: dps.scoring.v1.ScoringService.
//
// Each call translates the request (FromProto), runs the pure engine (Evaluate), writes the
// response (ToProto) and maps an absl::Status to the gRPC status with the same code. It keeps no
// state, so one instance serves any number of concurrent calls. The server start-up (main.cc)
// registers it beside the standard health service.
#ifndef DPS_SERVICES_SCORING_API_SCORING_SERVICE_H_
#define DPS_SERVICES_SCORING_API_SCORING_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include "dps/scoring/v1/scoring.grpc.pb.h"
#include "services/scoring/domain/competition.h"

namespace dps::scoring {

class ScoringService final : public v1::ScoringService::Service {
 public:
  // `limits` bounds every request (e.g. at most 10,000 bids by default).
  explicit ScoringService(Limits limits = {}) : limits_(limits) {}

  grpc::Status Evaluate(grpc::ServerContext* context, const v1::EvaluateRequest* request,
                        v1::EvaluateResponse* response) override;

 private:
  const Limits limits_;
};

}  // namespace dps::scoring

#endif  // DPS_SERVICES_SCORING_API_SCORING_SERVICE_H_
