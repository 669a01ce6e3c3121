// The figures of a 100-bid Evaluate call in the benchmark's columnar layout
// (columnar_floor.proto), to time the cheapest protobuf form of the same call.
#ifndef DPS_SERVICES_SCORING_BENCH_COLUMNAR_H_
#define DPS_SERVICES_SCORING_BENCH_COLUMNAR_H_

#include "bench/columnar_floor.pb.h"  // generated, in the build tree
#include "dps/scoring/v1/scoring.pb.h"

namespace dps::scoring::bench {

ColumnarBids ToColumns(const v1::EvaluateRequest& request);
ColumnarScoredBids ToColumns(const v1::EvaluateResponse& response);

}  // namespace dps::scoring::bench

#endif  // DPS_SERVICES_SCORING_BENCH_COLUMNAR_H_
