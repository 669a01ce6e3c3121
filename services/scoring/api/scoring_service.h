// The gRPC face of the scoring engine: dps.scoring.v1.ScoringService.
//
// Each call translates the request (FromProto), runs the pure engine (Evaluate), writes the
// response (ToProto) and maps an absl::Status to the gRPC status with the same code. It keeps no
// state, so one instance serves any number of concurrent calls. The server start-up (main.cc)
// registers it beside the standard health service.
//
// It uses gRPC's callback API so that each call's request and response live on a protobuf arena
// (ArenaMessageAllocator): a 100-bid call is thousands of small messages and strings, and
// allocating and freeing them one by one cost more than everything else in the call together.
#ifndef DPS_SERVICES_SCORING_API_SCORING_SERVICE_H_
#define DPS_SERVICES_SCORING_API_SCORING_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include "dps/scoring/v1/scoring.grpc.pb.h"
#include "platform/auth/authenticator.h"
#include "services/scoring/api/arena_message_allocator.h"
#include "services/scoring/domain/competition.h"

namespace dps::scoring {

// The whole of one Evaluate call apart from transport: `response` is filled only when the status
// is OK. The service runs it inline; tests and tools may call it directly.
grpc::Status EvaluateCall(const v1::EvaluateRequest& request, const Limits& limits,
                          v1::EvaluateResponse* response);

class ScoringService final : public v1::ScoringService::CallbackService {
 public:
  // Every caller must prove who it is (any role may score: the engine holds no data);
  // `limits` bounds every request (e.g. at most 10,000 bids by default).
  explicit ScoringService(const platform::auth::Authenticator& authenticator, Limits limits = {});

  // Scores on the calling gRPC thread and finishes at once: the work is CPU only and short.
  grpc::ServerUnaryReactor* Evaluate(grpc::CallbackServerContext* context,
                                     const v1::EvaluateRequest* request,
                                     v1::EvaluateResponse* response) override;

 private:
  const platform::auth::Authenticator& authenticator_;
  const Limits limits_;
  // A 100-bid request and its response take about 90 KB of arena, inside the default 128 KB first
  // block; blocks beyond it double up to 256 KB, so even a 10,000-bid call (about 10 MB) puts its
  // messages in about 40 blocks rather than hundreds of thousands of mallocs.
  ArenaMessageAllocator<v1::EvaluateRequest, v1::EvaluateResponse> allocator_;
};

}  // namespace dps::scoring

#endif  // DPS_SERVICES_SCORING_API_SCORING_SERVICE_H_
