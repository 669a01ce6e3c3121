#include "services/contracts/domain/market.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/contracts/domain/fields.h"

namespace dps::contracts {
namespace {

// What grouping and filtering look at in a fact.
struct Subject {
  const std::string& lot_id;
  const std::string& authority_id;
  const std::string& region;
  const std::vector<std::string>& need_codes;
  ProvisionType provision_type;
  absl::CivilDay day;  // the award's or the publication's, UTC
};

const std::vector<std::string> kNoNeeds;
const std::string kNone;

absl::CivilDay UtcDay(absl::Time t) { return absl::ToCivilDay(t, absl::UTCTimeZone()); }

Subject SubjectOf(const PlacementFact& p) {
  return {p.lot_id, p.authority_id, p.region, p.need_codes, p.provision_type, UtcDay(p.awarded_at)};
}

// A referral's provision type is not announced: its rows group under none.
Subject SubjectOf(const ReferralFact& r) {
  return {r.lot_id,
          r.authority_id,
          r.region,
          r.need_codes,
          ProvisionType::kUnspecified,
          UtcDay(r.published_at)};
}

// A block knows its lot and authority only; its days are its own, so it falls in the quarter of
// its first day.
Subject SubjectOf(const BlockFact& b) {
  return {b.lot_id, b.authority_id, kNone, kNoNeeds, ProvisionType::kUnspecified, b.first_day};
}

Subject SubjectOf(const OffSystemFact& o) {
  return {o.lot_id, o.authority_id, kNone, kNoNeeds, ProvisionType::kUnspecified, o.period.start};
}

bool Listed(const std::vector<std::string>& list, const std::string& value) {
  return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

bool Has(const MarketDimensions& dims, MarketDimension d) {
  return std::find(dims.begin(), dims.end(), d) != dims.end();
}

enum class PeriodRule { kByDay, kIgnore };

// The groups a fact counts in: none when the filter leaves it out, one per listed need when
// grouped by need, else one.
std::vector<MarketKey> KeysOf(const Subject& s, const MarketDimensions& dims,
                              const MarketFilter& filter, PeriodRule period_rule) {
  if (!Listed(filter.lot_ids, s.lot_id) || !Listed(filter.authority_ids, s.authority_id) ||
      !Listed(filter.regions, s.region)) {
    return {};
  }
  if (period_rule == PeriodRule::kByDay && filter.period &&
      (s.day < filter.period->start || s.day > filter.period->end)) {
    return {};
  }
  std::set<std::string> needs;
  for (const std::string& need : s.need_codes) {
    if (Listed(filter.need_codes, need)) needs.insert(need);
  }
  if (!filter.need_codes.empty() && needs.empty()) return {};

  MarketKey base;
  if (Has(dims, MarketDimension::kLot)) base.lot_id = s.lot_id;
  if (Has(dims, MarketDimension::kRegion)) base.region = s.region;
  if (Has(dims, MarketDimension::kAuthority)) base.authority_id = s.authority_id;
  if (Has(dims, MarketDimension::kProvisionType)) base.provision_type = s.provision_type;
  if (Has(dims, MarketDimension::kQuarter)) base.quarter_start = QuarterStart(s.day);
  if (!Has(dims, MarketDimension::kNeed)) return {base};
  std::vector<MarketKey> keys;
  for (const std::string& need : needs) {
    keys.push_back(base);
    keys.back().need_code = need;
  }
  return keys;
}

template <typename Fact>
using Groups = std::map<MarketKey, std::vector<const Fact*>>;

template <typename Fact>
Groups<Fact> GroupFacts(const std::vector<Fact>& facts, const MarketDimensions& dims,
                        const MarketFilter& filter, PeriodRule period_rule = PeriodRule::kByDay) {
  Groups<Fact> groups;
  for (const Fact& fact : facts) {
    for (const MarketKey& key : KeysOf(SubjectOf(fact), dims, filter, period_rule)) {
      groups[key].push_back(&fact);
    }
  }
  return groups;
}

double Ratio(double part, double whole) { return whole == 0 ? 0 : part / whole; }

void AddDeclines(const std::map<std::string, int>& from, std::map<std::string, int>& to) {
  for (const auto& [reason, count] : from) to[reason] += count;
}

double MedianOf(std::vector<int64_t> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? static_cast<double>(values[n / 2])
                    : (static_cast<double>(values[n / 2 - 1]) + values[n / 2]) / 2;
}

}  // namespace

bool MarketKey::operator<(const MarketKey& other) const {
  return std::tie(lot_id, region, need_code, authority_id, provision_type, quarter_start) <
         std::tie(other.lot_id, other.region, other.need_code, other.authority_id,
                  other.provision_type, other.quarter_start);
}

bool MarketWeights::operator<(const MarketWeights& o) const {
  return std::tie(price, outcomes, needs, features, location, core_competency) <
         std::tie(o.price, o.outcomes, o.needs, o.features, o.location, o.core_competency);
}

std::string PostcodeArea(absl::string_view district) {
  std::string area;
  for (char c : district) {
    if (!absl::ascii_isalpha(static_cast<unsigned char>(c))) break;
    area.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
  }
  return area;
}

absl::CivilDay QuarterStart(absl::CivilDay day) {
  return absl::CivilDay(day.year(), (day.month() - 1) / 3 * 3 + 1, 1);
}

int64_t DivideHalfUp(int64_t num, int64_t den) {
  // floor((2 num + den) / (2 den)), with the floor right for negative numerators too.
  const int64_t n = 2 * num + den;
  const int64_t d = 2 * den;
  return n >= 0 ? n / d : -((-n + d - 1) / d);
}

absl::Status ValidateOffSystemCounts(const std::vector<OffSystemFact>& counts) {
  auto invalid = [](const std::string& field, absl::string_view rule) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
  };
  std::set<std::tuple<std::string, std::string, absl::CivilDay, absl::CivilDay>> seen;
  for (size_t i = 0; i < counts.size(); ++i) {
    const OffSystemFact& c = counts[i];
    const std::string at = absl::StrCat("counts[", i, "]");
    if (absl::Status s = ValidateId(absl::StrCat(at, ".lot_id"), c.lot_id); !s.ok()) return s;
    if (absl::Status s = ValidateId("authority_id", c.authority_id); !s.ok()) return s;
    if (c.period.end < c.period.start) {
      return invalid(absl::StrCat(at, ".period.end"), "must not be before its start");
    }
    if (c.placements < 0) return invalid(absl::StrCat(at, ".placements"), "must not be negative");
    if (c.total_weekly_pence && (*c.total_weekly_pence < 0 || *c.total_weekly_pence > kMaxPence)) {
      return invalid(absl::StrCat(at, ".total_weekly.pence"),
                     absl::StrCat("must be 0 to ", kMaxPence));
    }
    if (!seen.insert({c.authority_id, c.lot_id, c.period.start, c.period.end}).second) {
      return invalid(at, "repeats the lot and period of an earlier count");
    }
  }
  return absl::OkStatus();
}

int64_t QuartilePence(const std::vector<int64_t>& sorted, int quarters) {
  // h = (n - 1) quarters / 4, kept in quarters so the interpolation stays exact.
  const int64_t h4 = static_cast<int64_t>(sorted.size() - 1) * quarters;
  const size_t low = static_cast<size_t>(h4 / 4);
  const int64_t fraction4 = h4 % 4;
  if (fraction4 == 0) return sorted[low];
  return DivideHalfUp(4 * sorted[low] + fraction4 * (sorted[low + 1] - sorted[low]), 4);
}

std::vector<CostBenchmarkRow> CostBenchmarks(const std::vector<PlacementFact>& placements,
                                             const MarketDimensions& group_by,
                                             const MarketFilter& filter) {
  std::vector<CostBenchmarkRow> rows;
  for (const auto& [key, group] : GroupFacts(placements, group_by, filter)) {
    CostBenchmarkRow& row = rows.emplace_back();
    row.key = key;
    row.placements = static_cast<int>(group.size());
    row.suppressed = row.placements < kMinPlacementsForMoney;
    if (row.suppressed) continue;
    std::vector<int64_t> prices;
    int64_t ceilings = 0;
    int with_ceiling = 0;
    for (const PlacementFact* p : group) {
      prices.push_back(p->weekly_price_pence);
      if (p->ceiling_weekly_pence) {
        ceilings += *p->ceiling_weekly_pence;
        ++with_ceiling;
      }
    }
    std::sort(prices.begin(), prices.end());
    int64_t total = 0;
    for (int64_t price : prices) total += price;
    row.lower_quartile_weekly_pence = QuartilePence(prices, 1);
    row.median_weekly_pence = QuartilePence(prices, 2);
    row.upper_quartile_weekly_pence = QuartilePence(prices, 3);
    row.mean_weekly_pence = DivideHalfUp(total, row.placements);
    if (with_ceiling > 0) row.mean_ceiling_weekly_pence = DivideHalfUp(ceilings, with_ceiling);
  }
  return rows;
}

std::vector<CompetitionRow> CompetitionMetrics(const std::vector<ReferralFact>& referrals,
                                               const std::vector<PlacementFact>& placements,
                                               const MarketDimensions& group_by,
                                               const MarketFilter& filter) {
  std::map<MarketKey, CompetitionRow> rows;
  std::map<MarketKey, std::vector<int64_t>> days_to_placement;
  for (const auto& [key, group] : GroupFacts(referrals, group_by, filter)) {
    CompetitionRow& row = rows[key];
    int ended = 0;
    for (const ReferralFact* r : group) {
      ++row.referrals_published;
      row.invitations += r->invitations;
      row.bids += r->bids;
      row.reopened += r->reopened;
      AddDeclines(r->declines, row.declines);
      switch (r->outcome) {
        case ReferralOutcome::kAwarded:
          ++row.awarded;
          ++ended;
          break;
        case ReferralOutcome::kNoSuitableOffer:
          ++row.no_suitable_offer;
          ++ended;
          break;
        case ReferralOutcome::kWithdrawn:
          ++ended;
          break;
        case ReferralOutcome::kOpen:
          break;
      }
      if (r->placement_started_on) {
        days_to_placement[key].push_back(*r->placement_started_on - UtcDay(r->published_at));
      }
    }
    row.bids_per_referral = Ratio(row.bids, row.referrals_published);
    row.no_offer_rate = Ratio(row.no_suitable_offer, ended);
  }
  for (const auto& [key, group] : GroupFacts(placements, group_by, filter)) {
    for (const PlacementFact* p : group) {
      if (p->kind == PlacementKind::kDirectAward) ++rows[key].direct_awards;
      if (p->kind == PlacementKind::kBlockCallOff) ++rows[key].block_call_offs;
    }
  }
  std::vector<CompetitionRow> out;
  for (auto& [key, row] : rows) {
    // Competed awards count through their referral: a key with only those has nothing to say.
    if (row.referrals_published == 0 && row.direct_awards == 0 && row.block_call_offs == 0) {
      continue;
    }
    row.key = key;
    row.median_days_referral_to_placement = MedianOf(days_to_placement[key]);
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<UnmetDemandRow> UnmetDemand(const std::vector<ReferralFact>& referrals,
                                        const MarketDimensions& group_by,
                                        const MarketFilter& filter) {
  std::vector<UnmetDemandRow> rows;
  for (const auto& [key, group] : GroupFacts(referrals, group_by, filter)) {
    UnmetDemandRow& row = rows.emplace_back();
    row.key = key;
    double radius = 0;
    for (const ReferralFact* r : group) {
      ++row.referrals;
      AddDeclines(r->declines, row.declines);
      if (r->outcome != ReferralOutcome::kNoSuitableOffer) continue;
      ++row.no_suitable_offer;
      if (r->final_invited == 0) ++row.with_no_invitee;
      radius += r->final_radius_miles;
    }
    row.mean_final_radius_miles = Ratio(radius, row.no_suitable_offer);
  }
  return rows;
}

std::vector<PlacementQualityRow> PlacementQuality(const std::vector<PlacementFact>& placements,
                                                  const std::vector<OffSystemFact>& off_system,
                                                  const MarketDimensions& group_by,
                                                  const MarketFilter& filter) {
  std::map<MarketKey, PlacementQualityRow> rows;
  for (const auto& [key, group] : GroupFacts(placements, group_by, filter)) {
    PlacementQualityRow& row = rows[key];
    for (const PlacementFact* p : group) {
      ++row.placements_on_system;
      if (p->good_or_outstanding) ++row.placements_good_or_outstanding;
    }
  }
  for (const auto& [key, group] : GroupFacts(off_system, group_by, filter, PeriodRule::kIgnore)) {
    for (const OffSystemFact* o : group) {
      const bool overlaps = !filter.period || (o->period.start <= filter.period->end &&
                                               o->period.end >= filter.period->start);
      if (overlaps) rows[key].placements_off_system += o->placements;
    }
  }
  std::vector<PlacementQualityRow> out;
  for (auto& [key, row] : rows) {
    if (row.placements_on_system == 0 && row.placements_off_system == 0) continue;
    row.key = key;
    row.share_on_system =
        Ratio(row.placements_on_system, row.placements_on_system + row.placements_off_system);
    row.share_good_or_outstanding =
        Ratio(row.placements_good_or_outstanding, row.placements_on_system);
    out.push_back(std::move(row));
  }
  return out;
}

int64_t BlockVoidPlaceDays(const BlockFact& block, absl::CivilDay first, absl::CivilDay last) {
  const absl::CivilDay from = std::max(first, block.first_day);
  const absl::CivilDay to = std::min(last, block.last_day);
  if (to < from) return 0;
  int64_t filled = 0;
  for (const BlockCallOffFact& call_off : block.call_offs) {
    const absl::CivilDay start = std::max(from, call_off.start_date);
    const absl::CivilDay end = std::min(to, call_off.last_day());
    if (end >= start) filled += ((end - start) + 1) * call_off.places;
  }
  // Call-offs never take more places than the block has; the floor keeps a report sane should
  // the records ever say otherwise.
  return std::max<int64_t>(0, ((to - from) + 1) * block.places - filled);
}

std::vector<SpendRow> SpendAndSavings(const std::vector<PlacementFact>& placements,
                                      const MarketDimensions& group_by, const MarketFilter& filter,
                                      const std::vector<BlockFact>& blocks) {
  const Groups<BlockFact> block_groups = GroupFacts(blocks, group_by, filter, PeriodRule::kIgnore);
  Groups<PlacementFact> groups = GroupFacts(placements, group_by, filter, PeriodRule::kIgnore);
  // A group of blocks without placements still makes a row (withheld, having none).
  for (const auto& [key, unused] : block_groups) groups[key];
  std::vector<SpendRow> rows;
  for (const auto& [key, group] : groups) {
    SpendRow& row = rows.emplace_back();
    row.key = key;
    int64_t committed = 0, spend = 0, savings_weekly = 0, savings_sevenths = 0, uplifts = 0;
    for (const PlacementFact* p : group) {
      ++row.placements;
      if (p->active) {
        ++row.active_placements;
        committed += p->committed_weekly_pence;
      }
      spend += p->spend_in_period_pence;
      uplifts += p->uplifts_approved_weekly_pence;
      if (p->kind == PlacementKind::kCompeted && p->ceiling_weekly_pence) {
        const int64_t saving = *p->ceiling_weekly_pence - p->weekly_price_pence;
        savings_weekly += saving;
        savings_sevenths += saving * p->days_in_period;
      }
    }
    row.suppressed = row.placements < kMinPlacementsForMoney;
    if (row.suppressed) continue;
    row.committed_weekly_pence = committed;
    row.spend_in_period_pence = spend;
    row.savings_against_ceiling_weekly_pence = savings_weekly;
    row.savings_against_ceiling_in_period_pence = DivideHalfUp(savings_sevenths, 7);
    row.uplifts_approved_weekly_pence = uplifts;
    // Summed exactly as place-days x weekly fee per place (sevenths of a penny), rounded once.
    // The consumer bounds places and fees (consumers/market_events.cc), so this fits int64.
    int64_t void_sevenths = 0;
    if (auto it = block_groups.find(key); it != block_groups.end()) {
      for (const BlockFact* block : it->second) {
        void_sevenths += block->void_place_days_in_period * block->weekly_fee_per_place_pence;
      }
    }
    row.block_void_cost_in_period_pence = DivideHalfUp(void_sevenths, 7);
  }
  return rows;
}

std::vector<WeightProfileRow> WeightProfiles(const std::vector<ReferralFact>& referrals,
                                             const MarketDimensions& group_by,
                                             const MarketFilter& filter) {
  std::vector<WeightProfileRow> rows;
  for (const auto& [key, group] : GroupFacts(referrals, group_by, filter)) {
    WeightProfileRow& row = rows.emplace_back();
    row.key = key;
    row.referrals = static_cast<int>(group.size());
    MarketWeights sum;
    std::map<MarketWeights, int> profiles;
    for (const ReferralFact* r : group) {
      sum.price += r->weights.price;
      sum.outcomes += r->weights.outcomes;
      sum.needs += r->weights.needs;
      sum.features += r->weights.features;
      sum.location += r->weights.location;
      sum.core_competency += r->weights.core_competency;
      ++profiles[r->weights];
    }
    row.mean_price = Ratio(sum.price, row.referrals);
    row.mean_outcomes = Ratio(sum.outcomes, row.referrals);
    row.mean_needs = Ratio(sum.needs, row.referrals);
    row.mean_features = Ratio(sum.features, row.referrals);
    row.mean_location = Ratio(sum.location, row.referrals);
    row.mean_core_competency = Ratio(sum.core_competency, row.referrals);
    // The map is ordered, so the first profile with the highest count is the smallest of them.
    int best = 0;
    for (const auto& [profile, count] : profiles) {
      if (count > best) {
        best = count;
        row.most_common = profile;
      }
    }
  }
  return rows;
}

}  // namespace dps::contracts
