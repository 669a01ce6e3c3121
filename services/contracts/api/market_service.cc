#include "services/contracts/api/market_service.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "platform/grpc/caller.h"
#include "platform/grpc/calls.h"
#include "platform/proto/proto_time.h"
#include "platform/grpc/request_checks.h"
#include "platform/grpc/server.h"
#include "platform/pg/idempotency.h"
#include "services/contracts/api/convert.h"
#include "services/contracts/api/market_convert.h"

namespace dps::contracts {

grpc::Status MarketIntelligenceService::Serve(
    grpc::ServerContext* context, const google::protobuf::Message& request,
    const std::function<absl::Status(const Actor&)>& work) const {
  const std::string request_id = platform::RequestIdOf(*context);
  absl::StatusOr<platform::CallerIdentity> caller = platform::CallerOf(*context, authenticator_);
  if (!caller.ok()) return platform::ToCallerStatus(caller.status(), request_id);
  // Roles are the use cases' to decide (MarketScopeOf); an unknown one is refused here.
  absl::StatusOr<Actor> actor = contracts::ActorOf(*caller);
  if (!actor.ok()) return platform::ToCallerStatus(actor.status(), request_id);
  absl::Status checked = platform::CheckRequest(request);
  if (checked.ok()) checked = platform::CheckTimestamps(request);
  if (!checked.ok()) return platform::ToCallerStatus(checked, request_id);
  return platform::ToCallerStatus(work(*actor), request_id);
}

template <typename Request, typename Response, typename Rows>
grpc::Status MarketIntelligenceService::Report(grpc::ServerContext* context, const Request& request,
                                               Response* response, const Rows& rows) const {
  return Serve(context, request, [&](const Actor& actor) -> absl::Status {
    absl::StatusOr<MarketQuery> query = MarketQueryFromProto(request.scope(), request.group_by());
    if (!query.ok()) return query.status();
    auto found = rows(*query, actor);
    if (!found.ok()) return found.status();
    for (const auto& row : *found) MarketRowToProto(row, response->add_rows());
    return absl::OkStatus();
  });
}

grpc::Status MarketIntelligenceService::GetCostBenchmarks(
    grpc::ServerContext* context, const mv1::GetCostBenchmarksRequest* request,
    mv1::GetCostBenchmarksResponse* response) {
  return Report(context, *request, response,
                [&](const MarketQuery& q, const Actor& a) { return cases_.CostBenchmarks(q, a); });
}

grpc::Status MarketIntelligenceService::GetCompetitionMetrics(
    grpc::ServerContext* context, const mv1::GetCompetitionMetricsRequest* request,
    mv1::GetCompetitionMetricsResponse* response) {
  return Report(context, *request, response, [&](const MarketQuery& q, const Actor& a) {
    return cases_.CompetitionMetrics(q, a);
  });
}

grpc::Status MarketIntelligenceService::GetUnmetDemand(grpc::ServerContext* context,
                                                       const mv1::GetUnmetDemandRequest* request,
                                                       mv1::GetUnmetDemandResponse* response) {
  return Report(context, *request, response,
                [&](const MarketQuery& q, const Actor& a) { return cases_.UnmetDemand(q, a); });
}

grpc::Status MarketIntelligenceService::GetPlacementQuality(
    grpc::ServerContext* context, const mv1::GetPlacementQualityRequest* request,
    mv1::GetPlacementQualityResponse* response) {
  return Report(context, *request, response, [&](const MarketQuery& q, const Actor& a) {
    return cases_.PlacementQuality(q, a);
  });
}

grpc::Status MarketIntelligenceService::GetSpendAndSavings(
    grpc::ServerContext* context, const mv1::GetSpendAndSavingsRequest* request,
    mv1::GetSpendAndSavingsResponse* response) {
  return Report(context, *request, response,
                [&](const MarketQuery& q, const Actor& a) { return cases_.SpendAndSavings(q, a); });
}

grpc::Status MarketIntelligenceService::GetWeightProfiles(
    grpc::ServerContext* context, const mv1::GetWeightProfilesRequest* request,
    mv1::GetWeightProfilesResponse* response) {
  return Report(context, *request, response,
                [&](const MarketQuery& q, const Actor& a) { return cases_.WeightProfiles(q, a); });
}

grpc::Status MarketIntelligenceService::ReportOffSystemPlacements(
    grpc::ServerContext* context, const mv1::ReportOffSystemPlacementsRequest* request,
    mv1::ReportOffSystemPlacementsResponse* response) {
  return Serve(context, *request, [&](const Actor& actor) -> absl::Status {
    // A retry of the same report by the same organisation gets the first answer.
    const platform::IdempotencyKey key{
        .scope = absl::StrCat(actor.organisation_id, "/ReportOffSystemPlacements"),
        .key = request->idempotency_key()};
    const std::string digest = platform::RequestDigest(*request);
    auto answered_before = [&]() -> absl::StatusOr<bool> {
      absl::StatusOr<bool> found = false;
      absl::Status s = pool_.InTransaction([&](pqxx::work& tx) {
        found = platform::FindResponse(tx, key, digest, *response);
        return found.status();
      });
      if (!s.ok()) return s;
      return found;
    };
    absl::StatusOr<bool> before = answered_before();
    if (!before.ok() || *before) return before.status();

    absl::StatusOr<std::vector<OffSystemFact>> counts = OffSystemCountsFromProto(*request);
    if (!counts.ok()) return counts.status();
    // The answer is known before the write (every count is recorded or none), so it is kept
    // with the counts in their transaction.
    response->set_recorded(static_cast<int>(counts->size()));
    MarketCaller caller{.actor = actor, .on_saved = [&](MarketRepository& market) {
                          return market.RecordResponse({.scope = key.scope,
                                                        .key = key.key,
                                                        .request_digest = digest,
                                                        .response = response->SerializeAsString()});
                        }};
    absl::StatusOr<int> recorded = cases_.ReportOffSystemPlacements(
        request->system_id(), request->authority_id(), *std::move(counts), caller);
    if (recorded.ok()) return absl::OkStatus();
    // A repeat of this request may have recorded first (and won the race for the key): its
    // answer is ours.
    absl::StatusOr<bool> after = answered_before();
    if (after.ok() && *after) return absl::OkStatus();
    return recorded.status();
  });
}

}  // namespace dps::contracts
