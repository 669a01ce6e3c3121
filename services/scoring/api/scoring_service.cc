#include "services/scoring/api/scoring_service.h"

#include "platform/grpc/status.h"
#include "services/scoring/api/proto_convert.h"
#include "services/scoring/domain/score.h"

namespace dps::scoring {

grpc::Status ScoringService::Evaluate(grpc::ServerContext* /*context*/,
                                      const v1::EvaluateRequest* request,
                                      v1::EvaluateResponse* response) {
  absl::StatusOr<Competition> competition = FromProto(*request);
  if (!competition.ok()) return platform::ToGrpcStatus(competition.status());
  absl::StatusOr<Evaluation> evaluation = scoring::Evaluate(*competition, limits_);
  if (!evaluation.ok()) return platform::ToGrpcStatus(evaluation.status());
  ToProto(*competition, *evaluation, response);
  return grpc::Status::OK;
}

}  // namespace dps::scoring
