// Settling a referral's ranking, with no lock or pooled connection held while another service
// answers. A close, a changed evaluator panel or a new outcome score asks for a ranking in its own
// transaction (storage/rankings_due.h); the ranker then
//   1. reads the request's generation, the referral, its standing bids and outcome scores in a
//      short transaction, and gives the connection back;
//   2. asks the qualification register what each bidder's establishment was at close (position,
//      ceiling fee, qualification score, still eligible?) and the scoring engine for the ranking,
//      with no transaction open;
//   3. in a new transaction locks the referral and the request and applies the answer only if the
//      request still has the generation read in 1 (otherwise a newer request, or another process,
//      got there: nothing is applied, and the newer request stays due).
// Applying marks each bid COMPLIANT or EXCLUDED with its result, keeps the request and result
// (GetEvaluation), moves the referral on once the ranking is final, and announces the close's
// "referral.referral.closed" with the figures, then the ranking's own event. A peer down or slow
// leaves the request due for the next attempt; a refusal no attempt can change
// (RankingMayYetSucceed in the domain) settles it unranked, the refusal recorded as the referral's
// ranking_refused_reason and announced on the closed event. A referral that has left CLOSED
// before its ranking was settled (withdrawn, say) is settled with nothing ranked.
//
// The handler that asked tries at once, after its transaction commits; the deadline timer settles
// whatever is left (a peer down, a process stopped between the two), so a ranking survives
// restarts and is applied once with any number of replicas.
#ifndef DPS_SERVICES_REFERRAL_APP_RANKING_H_
#define DPS_SERVICES_REFERRAL_APP_RANKING_H_

#include <string>

#include "absl/status/statusor.h"
#include "platform/clock/clock.h"
#include "platform/pg/pool.h"
#include "services/referral/clients/qualification_client.h"
#include "services/referral/clients/scoring_client.h"

namespace dps::referral {

class Ranker {
 public:
  Ranker(platform::PgPool& pool, const platform::Clock& clock,
         const QualificationClient& qualification, const ScoringClient& scoring)
      : pool_(pool), clock_(clock), qualification_(qualification), scoring_(scoring) {}

  // Settles `referral_id`'s ranking if one is due. true: this call settled it; false: none was
  // due, or it changed or was settled elsewhere meanwhile; an error: a peer could not answer now,
  // and it stays due.
  absl::StatusOr<bool> Settle(const std::string& request_id, const std::string& referral_id) const;

  // Settle for every ranking due, each on its own, oldest first; a failure is logged and does not
  // hold up the others.
  struct Tally {
    int settled = 0;
    int failed = 0;
  };
  Tally SettleAllDue() const;

 private:
  platform::PgPool& pool_;
  const platform::Clock& clock_;
  const QualificationClient& qualification_;
  const ScoringClient& scoring_;
};

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_APP_RANKING_H_
