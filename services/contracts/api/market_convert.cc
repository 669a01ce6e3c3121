#include "services/contracts/api/market_convert.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "platform/proto/proto_time.h"
#include "services/contracts/api/convert.h"

namespace dps::contracts {
namespace {

namespace common = ::dps::common::v1;

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

// A period the client names: nullopt when it names none; the end not before the start.
absl::StatusOr<std::optional<DateRange>> PeriodFromProto(const common::DateRange& range,
                                                         absl::string_view field) {
  absl::StatusOr<std::optional<DateRange>> period = DateRangeFromProto(range, field);
  if (!period.ok() || !period->has_value()) return period;
  if ((*period)->end < (*period)->start) {
    return Invalid(absl::StrCat(field, ".end"), "must not be before its start");
  }
  return period;
}

absl::StatusOr<MarketDimension> DimensionFromProto(int value, absl::string_view field) {
  switch (value) {
    case mv1::DIMENSION_LOT:
      return MarketDimension::kLot;
    case mv1::DIMENSION_REGION:
      return MarketDimension::kRegion;
    case mv1::DIMENSION_NEED:
      return MarketDimension::kNeed;
    case mv1::DIMENSION_AUTHORITY:
      return MarketDimension::kAuthority;
    case mv1::DIMENSION_PROVISION_TYPE:
      return MarketDimension::kProvisionType;
    case mv1::DIMENSION_QUARTER:
      return MarketDimension::kQuarter;
    case mv1::DIMENSION_UNSPECIFIED:
      return Invalid(field, "required");
    default:
      return Invalid(field, absl::StrCat("unknown value ", value));
  }
}

// The API's provision type of the domain's: the one value ProvisionTypeFromProto reads as it,
// so the two directions cannot disagree.
common::ProvisionType ProvisionTypeToProto(ProvisionType type) {
  for (int v = common::ProvisionType_MIN; v <= common::ProvisionType_MAX; ++v) {
    absl::StatusOr<ProvisionType> domain = ProvisionTypeFromProto(v);
    if (common::ProvisionType_IsValid(v) && domain.ok() && *domain == type) {
      return static_cast<common::ProvisionType>(v);
    }
  }
  return common::PROVISION_TYPE_UNSPECIFIED;
}

void KeyToProto(const MarketKey& key, mv1::GroupKey* out) {
  out->set_lot_id(key.lot_id);
  out->set_region(key.region);
  out->set_need_code(key.need_code);
  out->set_authority_id(key.authority_id);
  out->set_provision_type(ProvisionTypeToProto(key.provision_type));
  if (key.quarter_start) *out->mutable_quarter_start() = platform::ToDate(*key.quarter_start);
}

template <typename Message>
void SetMoney(const std::optional<int64_t>& pence, Message* out,
              common::Money* (Message::*mutable_money)()) {
  if (pence) (out->*mutable_money)()->set_pence(*pence);
}

template <typename Message>
void AddDeclines(const std::map<std::string, int>& declines, Message* out) {
  for (const auto& [reason, count] : declines) {
    mv1::DeclineCount* d = out->add_declines();
    d->set_reason(reason);
    d->set_count(count);
  }
}

}  // namespace

absl::StatusOr<MarketQuery> MarketQueryFromProto(
    const mv1::MiScope& scope, const google::protobuf::RepeatedField<int>& group_by) {
  MarketQuery query;
  query.system_id = scope.system_id();
  MarketFilter& f = query.filter;
  f.lot_ids.assign(scope.lot_ids().begin(), scope.lot_ids().end());
  f.authority_ids.assign(scope.authority_ids().begin(), scope.authority_ids().end());
  f.need_codes.assign(scope.need_codes().begin(), scope.need_codes().end());
  f.regions.assign(scope.regions().begin(), scope.regions().end());
  absl::StatusOr<std::optional<DateRange>> period = PeriodFromProto(scope.period(), "scope.period");
  if (!period.ok()) return period.status();
  f.period = *period;
  for (int i = 0; i < group_by.size(); ++i) {
    absl::StatusOr<MarketDimension> d =
        DimensionFromProto(group_by[i], absl::StrCat("group_by[", i, "]"));
    if (!d.ok()) return d.status();
    query.group_by.push_back(*d);
  }
  return query;
}

absl::StatusOr<std::vector<OffSystemFact>> OffSystemCountsFromProto(
    const mv1::ReportOffSystemPlacementsRequest& request) {
  std::vector<OffSystemFact> counts;
  for (int i = 0; i < request.counts_size(); ++i) {
    const mv1::OffSystemPlacementCount& c = request.counts(i);
    const std::string at = absl::StrCat("counts[", i, "]");
    absl::StatusOr<std::optional<DateRange>> period =
        PeriodFromProto(c.period(), absl::StrCat(at, ".period"));
    if (!period.ok()) return period.status();
    if (!period->has_value()) return Invalid(absl::StrCat(at, ".period"), "required");
    OffSystemFact& fact = counts.emplace_back();
    fact.lot_id = c.lot_id();
    fact.period = **period;
    fact.placements = c.placements();
    if (c.has_total_weekly()) fact.total_weekly_pence = c.total_weekly().pence();
  }
  return counts;
}

void MarketRowToProto(const CostBenchmarkRow& row, mv1::CostBenchmark* out) {
  KeyToProto(row.key, out->mutable_key());
  out->set_placements(row.placements);
  out->set_suppressed(row.suppressed);
  SetMoney(row.median_weekly_pence, out, &mv1::CostBenchmark::mutable_median_weekly);
  SetMoney(row.lower_quartile_weekly_pence, out,
           &mv1::CostBenchmark::mutable_lower_quartile_weekly);
  SetMoney(row.upper_quartile_weekly_pence, out,
           &mv1::CostBenchmark::mutable_upper_quartile_weekly);
  SetMoney(row.mean_weekly_pence, out, &mv1::CostBenchmark::mutable_mean_weekly);
  SetMoney(row.mean_ceiling_weekly_pence, out, &mv1::CostBenchmark::mutable_mean_ceiling_weekly);
}

void MarketRowToProto(const CompetitionRow& row, mv1::CompetitionMetrics* out) {
  KeyToProto(row.key, out->mutable_key());
  out->set_referrals_published(row.referrals_published);
  out->set_invitations(row.invitations);
  out->set_bids(row.bids);
  out->set_bids_per_referral(row.bids_per_referral);
  AddDeclines(row.declines, out);
  out->set_awarded(row.awarded);
  out->set_no_suitable_offer(row.no_suitable_offer);
  out->set_no_offer_rate(row.no_offer_rate);
  out->set_reopened(row.reopened);
  out->set_median_days_referral_to_placement(row.median_days_referral_to_placement);
  out->set_direct_awards(row.direct_awards);
  out->set_block_call_offs(row.block_call_offs);
}

void MarketRowToProto(const UnmetDemandRow& row, mv1::UnmetDemand* out) {
  KeyToProto(row.key, out->mutable_key());
  out->set_referrals(row.referrals);
  out->set_no_suitable_offer(row.no_suitable_offer);
  out->set_with_no_invitee(row.with_no_invitee);
  AddDeclines(row.declines, out);
  out->set_mean_final_radius_miles(row.mean_final_radius_miles);
}

void MarketRowToProto(const PlacementQualityRow& row, mv1::PlacementQuality* out) {
  KeyToProto(row.key, out->mutable_key());
  out->set_placements_on_system(row.placements_on_system);
  out->set_placements_off_system(row.placements_off_system);
  out->set_share_on_system(row.share_on_system);
  out->set_placements_good_or_outstanding(row.placements_good_or_outstanding);
  out->set_share_good_or_outstanding(row.share_good_or_outstanding);
}

void MarketRowToProto(const SpendRow& row, mv1::SpendAndSavings* out) {
  using mv1::SpendAndSavings;
  KeyToProto(row.key, out->mutable_key());
  out->set_active_placements(row.active_placements);
  SetMoney(row.committed_weekly_pence, out, &SpendAndSavings::mutable_committed_weekly);
  SetMoney(row.spend_in_period_pence, out, &SpendAndSavings::mutable_spend_in_period);
  SetMoney(row.savings_against_ceiling_weekly_pence, out,
           &SpendAndSavings::mutable_savings_against_ceiling_weekly);
  SetMoney(row.savings_against_ceiling_in_period_pence, out,
           &SpendAndSavings::mutable_savings_against_ceiling_in_period);
  SetMoney(row.uplifts_approved_weekly_pence, out,
           &SpendAndSavings::mutable_uplifts_approved_weekly);
  SetMoney(row.block_void_cost_in_period_pence, out,
           &SpendAndSavings::mutable_block_void_cost_in_period);
}

void MarketRowToProto(const WeightProfileRow& row, mv1::WeightProfile* out) {
  KeyToProto(row.key, out->mutable_key());
  out->set_referrals(row.referrals);
  out->set_mean_price(row.mean_price);
  out->set_mean_outcomes(row.mean_outcomes);
  out->set_mean_needs(row.mean_needs);
  out->set_mean_features(row.mean_features);
  out->set_mean_location(row.mean_location);
  out->set_mean_core_competency(row.mean_core_competency);
  common::Weights* w = out->mutable_most_common();
  w->set_price(row.most_common.price);
  w->set_outcomes(row.most_common.outcomes);
  w->set_needs(row.most_common.needs);
  w->set_features(row.most_common.features);
  w->set_location(row.most_common.location);
  w->set_core_competency(row.most_common.core_competency);
}

}  // namespace dps::contracts
