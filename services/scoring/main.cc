// dps-scoring: serves the stateless scoring engine over gRPC. It has no database and no
// Redis: callers send everything a competition needs (see services/scoring/README.md).
#include "absl/strings/numbers.h"
#include "platform/service/runtime.h"
#include "services/scoring/api/scoring_service.h"

int main(int argc, char** argv) {
  auto runtime = dps::platform::ServiceRuntime::Start(
      argc, argv,
      {.name = "scoring",
       .default_grpc_port = 7103,
       .default_metrics_port = 9103,
       .extra_settings = {{"max-bids", "DPS_SCORING_MAX_BIDS", "10000",
                           dps::platform::SettingKind::kPositive, false,
                           "most bids one competition may carry"}}});
  dps::scoring::Limits limits;
  limits.max_bids = runtime->config().Int("max-bids");
  dps::scoring::ScoringService service(runtime->authenticator(), limits);
  return runtime->Serve({&service});
}
