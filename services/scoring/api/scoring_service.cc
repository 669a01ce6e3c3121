#include "services/scoring/api/scoring_service.h"

#include "platform/grpc/caller.h"
#include "platform/grpc/status.h"
#include "services/scoring/api/proto_convert.h"
#include "services/scoring/domain/score.h"

namespace dps::scoring {

grpc::Status EvaluateCall(const v1::EvaluateRequest& request, const Limits& limits,
                          v1::EvaluateResponse* response) {
  absl::StatusOr<Competition> competition = FromProto(request);
  if (!competition.ok()) return platform::ToGrpcStatus(competition.status());
  absl::StatusOr<Evaluation> evaluation = scoring::Evaluate(*competition, limits);
  if (!evaluation.ok()) return platform::ToGrpcStatus(evaluation.status());
  ToProto(*competition, *evaluation, response);
  return grpc::Status::OK;
}

ScoringService::ScoringService(const platform::auth::Authenticator& authenticator, Limits limits)
    : authenticator_(authenticator), limits_(limits) {
  SetMessageAllocatorFor_Evaluate(&allocator_);
}

grpc::ServerUnaryReactor* ScoringService::Evaluate(grpc::CallbackServerContext* context,
                                                   const v1::EvaluateRequest* request,
                                                   v1::EvaluateResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (absl::StatusOr<platform::CallerIdentity> caller =
          platform::CallerOf(*context, authenticator_);
      !caller.ok()) {
    reactor->Finish(platform::ToGrpcStatus(caller.status()));
    return reactor;
  }
  reactor->Finish(EvaluateCall(*request, limits_, response));
  return reactor;
}

}  // namespace dps::scoring
