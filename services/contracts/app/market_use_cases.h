// The market intelligence use cases (proto/dps/contracts/v1/market_intelligence.proto): each
// report holds the caller to their scope, reads the system's facts (the market consumer's
// records, storage/market_repository.h, and the system's IPAs for what only an IPA knows: its
// provision type, state, actual start, weekly cost, spend and approved uplifts) and hands them to
// the pure aggregation (domain/market.h).
//
// Who sees what (MarketScopeOf):
//   - commissioners and placing officers of an authority taking part in the system: their own
//     authority's figures (the scope's authorities forced to theirs; naming another is
//     PermissionDenied);
//   - the lead authority's admins and auditors: the whole system (another system's lead is
//     PermissionDenied);
//   - DPS services: as asked;
//   - provider users and evaluators: PermissionDenied, since benchmarks aggregate other
//     providers' prices.
// The system's lead and participants come from the SystemDirectory, asked before any transaction
// opens; NotFound for a system nobody has.
//
// ReportOffSystemPlacements: a commissioner's counts for their own authority replace earlier
// counts of the same lot and period, in one transaction with the API's answer (MarketCaller).
#ifndef DPS_SERVICES_CONTRACTS_APP_MARKET_USE_CASES_H_
#define DPS_SERVICES_CONTRACTS_APP_MARKET_USE_CASES_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "platform/clock/clock.h"
#include "services/contracts/app/system_directory.h"
#include "services/contracts/domain/ipa.h"
#include "services/contracts/domain/market.h"
#include "services/contracts/storage/ipa_repository.h"
#include "services/contracts/storage/market_repository.h"

namespace dps::contracts {

// One report's question: the system, which of its facts, grouped how.
struct MarketQuery {
  std::string system_id;
  MarketFilter filter;
  MarketDimensions group_by;
};

// The filter `actor` may have of `system`'s market, by the rules above.
absl::StatusOr<MarketFilter> MarketScopeOf(MarketFilter requested, const Actor& actor,
                                           const SystemFacts& system);

// Who reports, and the API's hook run in the saving transaction after the counts are written
// (it keeps the answer under the idempotency key there).
struct MarketCaller {
  Actor actor;
  std::function<absl::Status(MarketRepository&)> on_saved;
};

class MarketUseCases {
 public:
  MarketUseCases(MarketUnitOfWork& market, IpaUnitOfWork& ipas, const SystemDirectory& systems,
                 const platform::Clock& clock)
      : market_(market), ipas_(ipas), systems_(systems), clock_(clock) {}

  absl::StatusOr<std::vector<CostBenchmarkRow>> CostBenchmarks(const MarketQuery& query,
                                                               const Actor& actor);
  absl::StatusOr<std::vector<CompetitionRow>> CompetitionMetrics(const MarketQuery& query,
                                                                 const Actor& actor);
  absl::StatusOr<std::vector<UnmetDemandRow>> UnmetDemand(const MarketQuery& query,
                                                          const Actor& actor);
  absl::StatusOr<std::vector<PlacementQualityRow>> PlacementQuality(const MarketQuery& query,
                                                                    const Actor& actor);
  // Committed weekly cost is today's (UTC); spend and savings are counted over the filter's
  // period up to today (no period: from each placement's start to today).
  absl::StatusOr<std::vector<SpendRow>> SpendAndSavings(const MarketQuery& query,
                                                        const Actor& actor);
  absl::StatusOr<std::vector<WeightProfileRow>> WeightProfiles(const MarketQuery& query,
                                                               const Actor& actor);

  // Each count is made the commissioner's own authority's (`authority_id`, when given, must be
  // it). Returns how many were recorded.
  absl::StatusOr<int> ReportOffSystemPlacements(const std::string& system_id,
                                                const std::string& authority_id,
                                                std::vector<OffSystemFact> counts,
                                                const MarketCaller& caller);

 private:
  struct Facts {
    std::vector<ReferralFact> referrals;
    std::vector<PlacementFact> placements;
    std::vector<OffSystemFact> off_system;
    std::vector<BlockFact> blocks;  // with their void place-days in the period (kSpend)
  };
  // What the IPAs add to the facts: their provision types and starts, and their spend and
  // approved uplifts too (kSpend).
  enum class IpaDetail { kStates, kSpend };
  // The caller's filter of the query's system.
  absl::StatusOr<MarketFilter> Scope(const MarketQuery& query, const Actor& actor) const;
  absl::StatusOr<Facts> Load(const MarketQuery& query, const MarketFilter& filter,
                             IpaDetail detail);
  // The caller's scope, the facts, then `aggregate(facts, filter)`.
  template <typename Aggregate>
  auto Report(const MarketQuery& query, const Actor& actor, IpaDetail detail,
              const Aggregate& aggregate)
      -> absl::StatusOr<decltype(aggregate(Facts{}, MarketFilter{}))>;

  MarketUnitOfWork& market_;
  IpaUnitOfWork& ipas_;
  const SystemDirectory& systems_;
  const platform::Clock& clock_;
};

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_APP_MARKET_USE_CASES_H_
