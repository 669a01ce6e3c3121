// The MarketIntelligenceService gRPC API (proto/dps/contracts/v1/market_intelligence.proto) over
// the market use cases (app/market_use_cases.h). Each handler converts the request
// (market_convert.h), calls one use case and maps the status; who sees what is the use cases'.
//
// Served: all seven RPCs. ReportOffSystemPlacements keeps its answer under the request's
// idempotency key (platform/pg/idempotency.h) in the transaction that writes the counts, so a
// retry after a lost reply gets the first answer and replaces nothing twice.
#ifndef DPS_SERVICES_CONTRACTS_API_MARKET_SERVICE_H_
#define DPS_SERVICES_CONTRACTS_API_MARKET_SERVICE_H_

#include <functional>

#include "dps/contracts/v1/market_intelligence.grpc.pb.h"
#include "platform/auth/authenticator.h"
#include "platform/pg/pool.h"
#include "services/contracts/app/market_use_cases.h"

namespace dps::contracts {

namespace mv1 = ::dps::contracts::v1;

class MarketIntelligenceService final : public mv1::MarketIntelligenceService::Service {
 public:
  // `pool` holds the idempotency ledger; `cases` does the work.
  MarketIntelligenceService(platform::PgPool& pool,
                            const platform::auth::Authenticator& authenticator,
                            MarketUseCases& cases)
      : pool_(pool), authenticator_(authenticator), cases_(cases) {}

  grpc::Status GetCostBenchmarks(grpc::ServerContext*, const mv1::GetCostBenchmarksRequest*,
                                 mv1::GetCostBenchmarksResponse*) override;
  grpc::Status GetCompetitionMetrics(grpc::ServerContext*, const mv1::GetCompetitionMetricsRequest*,
                                     mv1::GetCompetitionMetricsResponse*) override;
  grpc::Status GetUnmetDemand(grpc::ServerContext*, const mv1::GetUnmetDemandRequest*,
                              mv1::GetUnmetDemandResponse*) override;
  grpc::Status GetPlacementQuality(grpc::ServerContext*, const mv1::GetPlacementQualityRequest*,
                                   mv1::GetPlacementQualityResponse*) override;
  grpc::Status GetSpendAndSavings(grpc::ServerContext*, const mv1::GetSpendAndSavingsRequest*,
                                  mv1::GetSpendAndSavingsResponse*) override;
  grpc::Status GetWeightProfiles(grpc::ServerContext*, const mv1::GetWeightProfilesRequest*,
                                 mv1::GetWeightProfilesResponse*) override;
  grpc::Status ReportOffSystemPlacements(grpc::ServerContext*,
                                         const mv1::ReportOffSystemPlacementsRequest*,
                                         mv1::ReportOffSystemPlacementsResponse*) override;

 private:
  // The verified caller as the domain's actor, the request's limits and times checked, then
  // `work`; its status mapped for the caller.
  grpc::Status Serve(grpc::ServerContext* context, const google::protobuf::Message& request,
                     const std::function<absl::Status(const Actor&)>& work) const;
  // A report: the query converted, `rows` asked for it, each row added by `add`.
  template <typename Request, typename Response, typename Rows>
  grpc::Status Report(grpc::ServerContext* context, const Request& request, Response* response,
                      const Rows& rows) const;

  platform::PgPool& pool_;
  const platform::auth::Authenticator& authenticator_;
  MarketUseCases& cases_;
};

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_API_MARKET_SERVICE_H_
