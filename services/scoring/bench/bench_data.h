// The inputs every scoring benchmark uses: a realistic competition of n bids, as the engine's
// value and as the request a client sends.
#ifndef DPS_SERVICES_SCORING_BENCH_BENCH_DATA_H_
#define DPS_SERVICES_SCORING_BENCH_BENCH_DATA_H_

#include <google/protobuf/arena.h>

#include "dps/scoring/v1/scoring.pb.h"
#include "services/scoring/domain/competition.h"

namespace dps::scoring::bench {

// Default weights, 6 needs, 2 must-haves, 4 desirable features; every bid compliant or nearly
// so, with a UUID for its id (as the referral service assigns), one additional service and two
// evaluators' scores. The same n gives the same competition.
Competition BenchCompetition(int bid_count);

// BenchCompetition(n) as an EvaluateRequest.
v1::EvaluateRequest BenchRequest(int bid_count);

// The client side's arena for parsing a response, with blocks sized as the server's.
google::protobuf::ArenaOptions ClientArenaOptions();

}  // namespace dps::scoring::bench

#endif  // DPS_SERVICES_SCORING_BENCH_BENCH_DATA_H_
