// Conversions between market intelligence's domain (domain/market.h) and the API's messages
// (proto/dps/contracts/v1/market_intelligence.proto), tested alone. Bad input is InvalidArgument
// naming the field ("group_by[1]: unknown value 9", "scope.period.end: required").
#ifndef DPS_SERVICES_CONTRACTS_API_MARKET_CONVERT_H_
#define DPS_SERVICES_CONTRACTS_API_MARKET_CONVERT_H_

#include <vector>

#include "absl/status/statusor.h"
#include "dps/contracts/v1/market_intelligence.pb.h"
#include "services/contracts/app/market_use_cases.h"

namespace dps::contracts {

namespace mv1 = ::dps::contracts::v1;

// A report's scope and grouping: each dimension must be one the API defines (unspecified is
// refused), the period whole (both days, start on or before end). The system id is the use
// case's to require.
absl::StatusOr<MarketQuery> MarketQueryFromProto(
    const mv1::MiScope& scope, const google::protobuf::RepeatedField<int>& group_by);

// A commissioner's counts, each with its lot and a whole period; the authority is the use case's
// to set.
absl::StatusOr<std::vector<OffSystemFact>> OffSystemCountsFromProto(
    const mv1::ReportOffSystemPlacementsRequest& request);

// Each row as its message; money left unset where the row withholds it.
void MarketRowToProto(const CostBenchmarkRow& row, mv1::CostBenchmark* out);
void MarketRowToProto(const CompetitionRow& row, mv1::CompetitionMetrics* out);
void MarketRowToProto(const UnmetDemandRow& row, mv1::UnmetDemand* out);
void MarketRowToProto(const PlacementQualityRow& row, mv1::PlacementQuality* out);
void MarketRowToProto(const SpendRow& row, mv1::SpendAndSavings* out);
void MarketRowToProto(const WeightProfileRow& row, mv1::WeightProfile* out);

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_API_MARKET_CONVERT_H_
