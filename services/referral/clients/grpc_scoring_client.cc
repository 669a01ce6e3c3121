#include "services/referral/clients/grpc_scoring_client.h"

#include "absl/strings/str_cat.h"
#include "platform/grpc/client.h"
#include "platform/grpc/status.h"

namespace dps::referral {
namespace {

// A ranking is one request with every bid of a referral: a few hundred at most.
constexpr absl::Duration kTimeout = absl::Seconds(10);

}  // namespace

absl::StatusOr<dps::scoring::v1::EvaluateResponse> GrpcScoringClient::Evaluate(
    const std::string& request_id, const dps::scoring::v1::EvaluateRequest& request) const {
  grpc::ClientContext context;
  platform::PrepareServiceCall(request_id, kTimeout, tokens_, &context);
  dps::scoring::v1::EvaluateResponse response;
  const grpc::Status status = stub_->Evaluate(&context, request, &response);
  if (!status.ok()) {
    const absl::Status cause = platform::FromGrpcStatus(status);
    return absl::Status(cause.code(), absl::StrCat("scoring service: ", cause.message()));
  }
  return response;
}

}  // namespace dps::referral
