#include "services/scoring/api/scoring_service.h"

#include "platform/grpc/status.h"
#include "services/scoring/api/proto_convert.h"
#include "services/scoring/domain/score.h"

namespace dps::scoring {

namespace {

// A 100-bid request and its response take about 200 KB of arena. The first block covers a small
// competition and blocks double up to 256 KB, so even a 10,000-bid call (about 20 MB) puts its
// messages in about 80 blocks rather than hundreds of thousands of mallocs.
constexpr size_t kArenaStartBlock = 64 * 1024;
constexpr size_t kArenaMaxBlock = 256 * 1024;

}  // namespace

grpc::Status EvaluateCall(const v1::EvaluateRequest& request, const Limits& limits,
                          v1::EvaluateResponse* response) {
  absl::StatusOr<Competition> competition = FromProto(request);
  if (!competition.ok()) return platform::ToGrpcStatus(competition.status());
  absl::StatusOr<Evaluation> evaluation = scoring::Evaluate(*competition, limits);
  if (!evaluation.ok()) return platform::ToGrpcStatus(evaluation.status());
  ToProto(*competition, *evaluation, response);
  return grpc::Status::OK;
}

ScoringService::ScoringService(Limits limits)
    : limits_(limits), allocator_(kArenaStartBlock, kArenaMaxBlock) {
  SetMessageAllocatorFor_Evaluate(&allocator_);
}

grpc::ServerUnaryReactor* ScoringService::Evaluate(grpc::CallbackServerContext* context,
                                                   const v1::EvaluateRequest* request,
                                                   v1::EvaluateResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(EvaluateCall(*request, limits_, response));
  return reactor;
}

}  // namespace dps::scoring
