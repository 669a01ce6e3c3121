// Market intelligence (docs/rules.md section 8, proto/dps/contracts/v1/market_intelligence.proto):
// the figures councils benchmark the market by, computed from facts the contracts service
// records off the referral and qualification streams and from its own IPAs.
//
// Pure: the facts come in as values, the figures go out as rows, one per group. A fact belongs
// to the groups its dimensions give it; grouped by need, a referral or placement counts once in
// each of its needs' groups (so the groups of a need grouping add up to more than the whole).
//
// The rules, in one place:
//   - A scope's lists (lots, authorities, needs, regions) each keep the facts that match one of
//     their entries; an empty list keeps all. Grouped by need with a need list, only the listed
//     needs make rows. A fact without needs (a direct award, a block call-off) matches no need
//     list and makes no need row.
//   - The period keeps placements by their award's UTC day and referrals by their publication's
//     (the "referral date" of the demand metrics); the quarter dimension is the calendar quarter
//     of that day. Spend and savings are the exception: every placement counts, and the period
//     bounds the days whose spend and savings are added up.
//   - Money is integer pence. A mean is rounded once, half up. Quartiles and the median use
//     linear interpolation between the closest ranks (Hyndman and Fan's type 7, as Excel's
//     QUARTILE.INC and numpy's default): for n sorted prices the p-quantile sits at rank
//     h = (n - 1) p counted from 0, x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]),
//     rounded half up to the penny. So the median of an even count is the mean of the middle two.
//   - A group of fewer than kMinPlacementsForMoney placements has its money withheld
//     (`suppressed`): with four or fewer a single provider's price could be read off.
//   - Rates and shares are 0 when their denominator is.
// Nothing here knows a child: facts carry ids of referrals, lots and authorities, need codes and
// postcode areas, never a name, date of birth, full postcode or case reference.
#ifndef DPS_SERVICES_CONTRACTS_DOMAIN_MARKET_H_
#define DPS_SERVICES_CONTRACTS_DOMAIN_MARKET_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/contracts/domain/kpi.h"
#include "services/contracts/domain/terms.h"

namespace dps::contracts {

// Fewer placements than this in a group and its money figures are withheld.
inline constexpr int kMinPlacementsForMoney = 5;

enum class MarketDimension { kLot, kRegion, kNeed, kAuthority, kProvisionType, kQuarter };

// Which facts a report covers (the API's MiScope without its system, which storage selects by).
struct MarketFilter {
  std::vector<std::string> lot_ids;
  std::vector<std::string> authority_ids;
  std::vector<std::string> need_codes;
  std::vector<std::string> regions;  // postcode areas, "RH"
  std::optional<DateRange> period;
};

// The group a row belongs to; fields of dimensions not grouped by are left empty.
struct MarketKey {
  std::string lot_id;
  std::string region;
  std::string need_code;
  std::string authority_id;
  ProvisionType provision_type = ProvisionType::kUnspecified;
  std::optional<absl::CivilDay> quarter_start;

  bool operator==(const MarketKey&) const = default;
  bool operator<(const MarketKey& other) const;
};

// The postcode area of a postcode district: its leading letters, upper-cased ("rh12" -> "RH",
// "E1" -> "E"); empty when it starts with none.
std::string PostcodeArea(absl::string_view district);

// The first day of the calendar quarter `day` falls in.
absl::CivilDay QuarterStart(absl::CivilDay day);

// A referral's quality weights, in percentage points.
struct MarketWeights {
  int price = 0;
  int outcomes = 0;
  int needs = 0;
  int features = 0;
  int location = 0;
  int core_competency = 0;

  bool operator==(const MarketWeights&) const = default;
  bool operator<(const MarketWeights& other) const;
};

// Where a referral stands, as its latest event says.
enum class ReferralOutcome { kOpen, kAwarded, kNoSuitableOffer, kWithdrawn };

// One referral as market intelligence sees it.
struct ReferralFact {
  std::string referral_id;
  std::string lot_id;
  std::string authority_id;  // the placing authority
  std::string region;        // postcode area of the child's district
  std::vector<std::string> need_codes;
  MarketWeights weights;
  absl::Time published_at;
  int invitations = 0;                  // every round's
  int bids = 0;                         // submitted and not withdrawn
  int reopened = 0;                     // rounds reopened at a wider radius
  std::map<std::string, int> declines;  // by DeclineReason name
  ReferralOutcome outcome = ReferralOutcome::kOpen;
  // Of the latest round that found no suitable offer: how many were invited, and how far.
  int final_invited = 0;
  double final_radius_miles = 0;
  // The awarded placement's actual start (its IPA's), once it has started.
  std::optional<absl::CivilDay> placement_started_on;
};

enum class PlacementKind { kCompeted, kDirectAward, kBlockCallOff };

// One placement (an award, direct award or block call-off) as market intelligence sees it.
struct PlacementFact {
  std::string source_key;  // its IPA's SourceKey
  PlacementKind kind = PlacementKind::kCompeted;
  std::string lot_id;
  std::string authority_id;
  std::string region;
  std::vector<std::string> need_codes;  // a competed award's referral's; none otherwise
  ProvisionType provision_type = ProvisionType::kUnspecified;  // its IPA's
  absl::Time awarded_at;
  // The evaluated weekly price of a competed award; the weekly fee awarded otherwise.
  int64_t weekly_price_pence = 0;
  std::optional<int64_t> ceiling_weekly_pence;  // the establishment's ceiling, competed awards
  bool good_or_outstanding = false;             // the establishment's rating in force at award
  // From its IPA on the report's day (all zero and false without one).
  bool active = false;
  int64_t committed_weekly_pence = 0;         // its weekly cost today, when ACTIVE
  int64_t spend_in_period_pence = 0;          // accrued on the period's days
  int64_t days_in_period = 0;                 // days it ran inside the period
  int64_t uplifts_approved_weekly_pence = 0;  // approved core fee increases, weekly
};

// A call-off into a block contract: its places are filled from its start date to the day it
// ended, or its planned end date until it ends (as the referral service counts them).
struct BlockCallOffFact {
  std::string call_off_id;
  int places = 0;
  absl::CivilDay start_date;
  absl::CivilDay planned_end_date;
  std::optional<absl::CivilDay> ended_on;

  absl::CivilDay last_day() const { return ended_on.value_or(planned_end_date); }
};

// A block contract: places reserved with an establishment at a weekly fee per place, paid
// whether filled or void, from its first day to its last (the period's end, or the day it ended
// early), and the call-offs into it.
struct BlockFact {
  std::string block_contract_id;
  std::string lot_id;
  std::string authority_id;  // the placing authority that reserved the places
  int places = 0;
  int64_t weekly_fee_per_place_pence = 0;
  absl::CivilDay first_day;
  absl::CivilDay last_day;
  std::vector<BlockCallOffFact> call_offs;
  // Worked out for a report (BlockVoidPlaceDays): the void place-days in its period.
  int64_t void_place_days_in_period = 0;
};

// The place-days of `block` left void from `first` to `last` (both included, UTC days), counted
// within the block's own days: places reserved less places its call-offs filled, never below 0.
// Zero when the two share no day.
int64_t BlockVoidPlaceDays(const BlockFact& block, absl::CivilDay first, absl::CivilDay last);

// Placements a commissioner made outside the system, as reported.
struct OffSystemFact {
  std::string lot_id;
  std::string authority_id;
  DateRange period;
  int placements = 0;
  std::optional<int64_t> total_weekly_pence;
};

struct CostBenchmarkRow {
  MarketKey key;
  int placements = 0;
  bool suppressed = false;  // the money below is then absent
  std::optional<int64_t> median_weekly_pence;
  std::optional<int64_t> lower_quartile_weekly_pence;
  std::optional<int64_t> upper_quartile_weekly_pence;
  std::optional<int64_t> mean_weekly_pence;
  std::optional<int64_t> mean_ceiling_weekly_pence;  // absent too when no placement had one
};

struct CompetitionRow {
  MarketKey key;
  int referrals_published = 0;
  int invitations = 0;
  int bids = 0;
  double bids_per_referral = 0;
  std::map<std::string, int> declines;
  int awarded = 0;
  int no_suitable_offer = 0;
  double no_offer_rate = 0;  // of the referrals awarded, without offer or withdrawn
  int reopened = 0;
  double median_days_referral_to_placement = 0;  // publication day to the IPA's actual start
  int direct_awards = 0;
  int block_call_offs = 0;
};

struct UnmetDemandRow {
  MarketKey key;
  int referrals = 0;
  int no_suitable_offer = 0;
  int with_no_invitee = 0;
  std::map<std::string, int> declines;
  double mean_final_radius_miles = 0;  // over the referrals without a suitable offer
};

struct PlacementQualityRow {
  MarketKey key;
  int placements_on_system = 0;
  int placements_off_system = 0;
  double share_on_system = 0;
  int placements_good_or_outstanding = 0;
  double share_good_or_outstanding = 0;
};

struct SpendRow {
  MarketKey key;
  int placements = 0;  // every placement of the group, whatever its state
  int active_placements = 0;
  bool suppressed = false;
  std::optional<int64_t> committed_weekly_pence;
  std::optional<int64_t> spend_in_period_pence;
  std::optional<int64_t> savings_against_ceiling_weekly_pence;
  std::optional<int64_t> savings_against_ceiling_in_period_pence;
  std::optional<int64_t> uplifts_approved_weekly_pence;
  // What the group's block contracts paid for places nobody filled on the period's days: void
  // place-days x weekly fee per place / 7, summed exactly and rounded once, half up.
  std::optional<int64_t> block_void_cost_in_period_pence;
};

struct WeightProfileRow {
  MarketKey key;
  int referrals = 0;
  double mean_price = 0;
  double mean_outcomes = 0;
  double mean_needs = 0;
  double mean_features = 0;
  double mean_location = 0;
  double mean_core_competency = 0;
  MarketWeights most_common;  // ties: the smallest profile, field by field in the order above
};

using MarketDimensions = std::vector<MarketDimension>;

// Each report's rows, ordered by key; a group without facts has no row.
std::vector<CostBenchmarkRow> CostBenchmarks(const std::vector<PlacementFact>& placements,
                                             const MarketDimensions& group_by,
                                             const MarketFilter& filter);
// Referrals by their publication; direct awards and block call-offs by their award.
std::vector<CompetitionRow> CompetitionMetrics(const std::vector<ReferralFact>& referrals,
                                               const std::vector<PlacementFact>& placements,
                                               const MarketDimensions& group_by,
                                               const MarketFilter& filter);
std::vector<UnmetDemandRow> UnmetDemand(const std::vector<ReferralFact>& referrals,
                                        const MarketDimensions& group_by,
                                        const MarketFilter& filter);
// Off-system counts know only their lot, authority and period: they match no need or region
// list, group under an empty need and region, in the quarter their period starts, and count when
// their period shares a day with the filter's.
std::vector<PlacementQualityRow> PlacementQuality(const std::vector<PlacementFact>& placements,
                                                  const std::vector<OffSystemFact>& off_system,
                                                  const MarketDimensions& group_by,
                                                  const MarketFilter& filter);
// Savings are a competed award's ceiling less its evaluated price (negative where an indicative
// ceiling was exceeded); in the period, each day it ran there saves a seventh of that, and the
// group's sum of sevenths is rounded once, half up.
// Block contracts (`blocks`, with void_place_days_in_period worked out) add their void cost to
// the groups of their lot and authority; they have no region, need or provision type (so a
// region or need list leaves them out) and fall in the quarter of their first day. A group of
// blocks alone has no placements, so its money is withheld as any small group's.
std::vector<SpendRow> SpendAndSavings(const std::vector<PlacementFact>& placements,
                                      const MarketDimensions& group_by, const MarketFilter& filter,
                                      const std::vector<BlockFact>& blocks = {});
std::vector<WeightProfileRow> WeightProfiles(const std::vector<ReferralFact>& referrals,
                                             const MarketDimensions& group_by,
                                             const MarketFilter& filter);

// Off-system counts as a commissioner reports them: each names its lot and authority, its
// period starts on or before it ends, its placements are 0 or more and its total weekly cost, when
// given, 0 to kMaxPence; no two share a lot and period. InvalidArgument naming the field
// ("counts[2].period.end: must not be before its start").
absl::Status ValidateOffSystemCounts(const std::vector<OffSystemFact>& counts);

// The p-quantile (p = quarters / 4) of sorted, non-empty `values`, by the method above.
int64_t QuartilePence(const std::vector<int64_t>& sorted, int quarters);
// num / den rounded half up (towards +infinity at exactly a half); den > 0.
int64_t DivideHalfUp(int64_t num, int64_t den);

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_DOMAIN_MARKET_H_
