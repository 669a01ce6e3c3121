#include "services/contracts/app/market_use_cases.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/contracts/domain/costs.h"

namespace dps::contracts {
namespace {

// IPAs read a page at a time (the repository's largest page).
constexpr int kIpaPage = 500;

bool TakesPart(const SystemFacts& system, const std::string& authority_id) {
  return authority_id == system.lead_authority_id ||
         std::find(system.authority_ids.begin(), system.authority_ids.end(), authority_id) !=
             system.authority_ids.end();
}

absl::Status RequireSystemId(const std::string& field, const std::string& system_id) {
  if (system_id.empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  return absl::OkStatus();
}

// What `ipa` spent on the days of `period` up to `today` (no period: from its start), and on how
// many days it ran then.
absl::StatusOr<Spend> SpendInPeriod(const Ipa& ipa, const std::optional<DateRange>& period,
                                    absl::CivilDay today) {
  const absl::CivilDay through = period ? std::min(period->end, today) : today;
  absl::StatusOr<Spend> to_end = SpendToDate(ipa, through);
  if (!to_end.ok() || !period) return to_end;
  if (period->start > through) return Spend{};
  absl::StatusOr<Spend> before = SpendToDate(ipa, period->start - 1);
  if (!before.ok()) return before.status();
  return Spend{to_end->days - before->days, to_end->pence - before->pence};
}

// The weekly increase of the core fee an IPA's approved uplifts brought.
int64_t ApprovedUpliftsWeekly(const std::vector<FeeUplift>& uplifts) {
  int64_t total = 0;
  for (const FeeUplift& u : uplifts) {
    if (u.state == UpliftState::kApproved || u.state == UpliftState::kPartlyApproved) {
      total += u.approved_core_fee_pence - u.current_core_fee_pence;
    }
  }
  return total;
}

}  // namespace

absl::StatusOr<MarketFilter> MarketScopeOf(MarketFilter requested, const Actor& actor,
                                           const SystemFacts& system) {
  switch (actor.role) {
    case Role::kService:
      return requested;
    case Role::kLeadAuthorityAdmin:
    case Role::kAuditor:
      if (actor.organisation_id != system.lead_authority_id) {
        return absl::PermissionDeniedError(
            absl::StrCat("scope.system_id: only the admins and auditors of the authority leading ",
                         system.id, " see its whole market"));
      }
      return requested;
    case Role::kCommissioner:
    case Role::kPlacingOfficer:
      if (!TakesPart(system, actor.organisation_id)) {
        return absl::PermissionDeniedError(
            absl::StrCat("scope.system_id: your authority does not take part in ", system.id));
      }
      for (const std::string& id : requested.authority_ids) {
        if (id != actor.organisation_id) {
          return absl::PermissionDeniedError(
              "scope.authority_ids: only your own authority's figures may be read");
        }
      }
      requested.authority_ids = {actor.organisation_id};
      return requested;
    case Role::kProviderUser:
    case Role::kEvaluator:
      break;
  }
  return absl::PermissionDeniedError(
      absl::StrCat("role ", RoleName(actor.role),
                   " may not read market intelligence: it aggregates providers' prices"));
}

absl::StatusOr<MarketFilter> MarketUseCases::Scope(const MarketQuery& query,
                                                   const Actor& actor) const {
  if (absl::Status s = RequireSystemId("scope.system_id", query.system_id); !s.ok()) return s;
  // Asked before any transaction opens: a remote call must not hold a connection.
  absl::StatusOr<SystemFacts> system = systems_.System(query.system_id);
  if (!system.ok()) return system.status();
  return MarketScopeOf(query.filter, actor, *system);
}

absl::StatusOr<MarketUseCases::Facts> MarketUseCases::Load(const MarketQuery& query,
                                                           const MarketFilter& filter,
                                                           IpaDetail detail) {
  Facts facts;
  std::vector<StoredPlacement> stored;
  if (absl::Status s = market_.Run([&](MarketRepository& market) -> absl::Status {
        absl::StatusOr<std::vector<ReferralFact>> referrals = market.Referrals(query.system_id);
        if (!referrals.ok()) return referrals.status();
        absl::StatusOr<std::vector<StoredPlacement>> placements =
            market.Placements(query.system_id);
        if (!placements.ok()) return placements.status();
        absl::StatusOr<std::vector<OffSystemFact>> off = market.OffSystem(query.system_id);
        if (!off.ok()) return off.status();
        if (detail == IpaDetail::kSpend) {
          absl::StatusOr<std::vector<BlockFact>> blocks = market.Blocks(query.system_id);
          if (!blocks.ok()) return blocks.status();
          facts.blocks = *std::move(blocks);
        }
        facts.referrals = *std::move(referrals);
        stored = *std::move(placements);
        facts.off_system = *std::move(off);
        return absl::OkStatus();
      });
      !s.ok()) {
    return s;
  }

  // The system's IPAs by source key (one authority's, when the scope is one authority), with
  // their approved uplifts when spend is asked for.
  std::map<std::string, Ipa> ipas;
  std::map<std::string, int64_t> uplifts;
  if (absl::Status s = ipas_.Run([&](IpaTransaction& tx) -> absl::Status {
        IpaFilter ipa_filter{.system_id = query.system_id};
        if (filter.authority_ids.size() == 1) {
          ipa_filter.placing_authority_id = filter.authority_ids[0];
        }
        IpaPageRequest page{.size = kIpaPage};
        do {
          absl::StatusOr<IpaPage> got = tx.ipas().List(ipa_filter, page);
          if (!got.ok()) return got.status();
          for (StoredIpa& s : got->ipas) {
            absl::StatusOr<std::string> key = SourceKey(s.ipa.source);
            if (!key.ok()) continue;  // no IPA is stored without a sound source
            if (detail == IpaDetail::kSpend) {
              absl::StatusOr<std::vector<FeeUplift>> approved = tx.uplifts().ListForIpa(s.ipa.id);
              if (!approved.ok()) return approved.status();
              uplifts[*key] = ApprovedUpliftsWeekly(*approved);
            }
            ipas.emplace(*key, std::move(s.ipa));
          }
          page.after_id = got->next_after_id;
        } while (!page.after_id.empty());
        return absl::OkStatus();
      });
      !s.ok()) {
    return s;
  }

  const absl::CivilDay today = absl::ToCivilDay(clock_.Now(), absl::UTCTimeZone());
  std::map<std::string, absl::CivilDay> started_by_referral;
  for (StoredPlacement& s : stored) {
    PlacementFact& p = s.fact;
    auto it = ipas.find(p.source_key);
    if (it != ipas.end()) {
      const Ipa& ipa = it->second;
      p.provision_type = ipa.provision_type;
      if (!s.referral_id.empty() && ipa.actual_start_date) {
        started_by_referral[s.referral_id] = *ipa.actual_start_date;
      }
      if (detail == IpaDetail::kSpend) {
        p.active = ipa.state == IpaState::kActive;
        if (p.active) {
          absl::StatusOr<WeeklyCost> weekly = WeeklyCostOn(ipa, today);
          if (weekly.ok()) p.committed_weekly_pence = weekly->total_pence;
        }
        absl::StatusOr<Spend> spend = SpendInPeriod(ipa, filter.period, today);
        if (!spend.ok()) return spend.status();
        p.spend_in_period_pence = spend->pence;
        p.days_in_period = spend->days;
        p.uplifts_approved_weekly_pence = uplifts[p.source_key];
      }
    }
    facts.placements.push_back(std::move(p));
  }
  // A block's void places are counted, as spend is, over the period's days up to today (no
  // period: from its first day): money paid, not a forecast.
  for (BlockFact& block : facts.blocks) {
    const absl::CivilDay last = filter.period ? std::min(filter.period->end, today) : today;
    block.void_place_days_in_period =
        BlockVoidPlaceDays(block, filter.period ? filter.period->start : block.first_day, last);
  }
  for (ReferralFact& r : facts.referrals) {
    if (auto it = started_by_referral.find(r.referral_id); it != started_by_referral.end()) {
      r.placement_started_on = it->second;
    }
  }
  return facts;
}

template <typename Aggregate>
auto MarketUseCases::Report(const MarketQuery& query, const Actor& actor, IpaDetail detail,
                            const Aggregate& aggregate)
    -> absl::StatusOr<decltype(aggregate(Facts{}, MarketFilter{}))> {
  absl::StatusOr<MarketFilter> filter = Scope(query, actor);
  if (!filter.ok()) return filter.status();
  absl::StatusOr<Facts> facts = Load(query, *filter, detail);
  if (!facts.ok()) return facts.status();
  return aggregate(*facts, *filter);
}

absl::StatusOr<std::vector<CostBenchmarkRow>> MarketUseCases::CostBenchmarks(
    const MarketQuery& query, const Actor& actor) {
  return Report(query, actor, IpaDetail::kStates, [&](const Facts& f, const MarketFilter& by) {
    return contracts::CostBenchmarks(f.placements, query.group_by, by);
  });
}

absl::StatusOr<std::vector<CompetitionRow>> MarketUseCases::CompetitionMetrics(
    const MarketQuery& query, const Actor& actor) {
  return Report(query, actor, IpaDetail::kStates, [&](const Facts& f, const MarketFilter& by) {
    return contracts::CompetitionMetrics(f.referrals, f.placements, query.group_by, by);
  });
}

absl::StatusOr<std::vector<UnmetDemandRow>> MarketUseCases::UnmetDemand(const MarketQuery& query,
                                                                        const Actor& actor) {
  return Report(query, actor, IpaDetail::kStates, [&](const Facts& f, const MarketFilter& by) {
    return contracts::UnmetDemand(f.referrals, query.group_by, by);
  });
}

absl::StatusOr<std::vector<PlacementQualityRow>> MarketUseCases::PlacementQuality(
    const MarketQuery& query, const Actor& actor) {
  return Report(query, actor, IpaDetail::kStates, [&](const Facts& f, const MarketFilter& by) {
    return contracts::PlacementQuality(f.placements, f.off_system, query.group_by, by);
  });
}

absl::StatusOr<std::vector<SpendRow>> MarketUseCases::SpendAndSavings(const MarketQuery& query,
                                                                      const Actor& actor) {
  return Report(query, actor, IpaDetail::kSpend, [&](const Facts& f, const MarketFilter& by) {
    return contracts::SpendAndSavings(f.placements, query.group_by, by, f.blocks);
  });
}

absl::StatusOr<std::vector<WeightProfileRow>> MarketUseCases::WeightProfiles(
    const MarketQuery& query, const Actor& actor) {
  return Report(query, actor, IpaDetail::kStates, [&](const Facts& f, const MarketFilter& by) {
    return contracts::WeightProfiles(f.referrals, query.group_by, by);
  });
}

absl::StatusOr<int> MarketUseCases::ReportOffSystemPlacements(const std::string& system_id,
                                                              const std::string& authority_id,
                                                              std::vector<OffSystemFact> counts,
                                                              const MarketCaller& caller) {
  const Actor& actor = caller.actor;
  if (actor.role != Role::kCommissioner) {
    return absl::PermissionDeniedError(
        absl::StrCat("role ", RoleName(actor.role),
                     " may not report off-system placements: only a commissioner may"));
  }
  if (!authority_id.empty() && authority_id != actor.organisation_id) {
    return absl::PermissionDeniedError(
        "authority_id: only your own authority's placements may be reported");
  }
  if (absl::Status s = RequireSystemId("system_id", system_id); !s.ok()) return s;
  for (OffSystemFact& count : counts) count.authority_id = actor.organisation_id;
  if (absl::Status s = ValidateOffSystemCounts(counts); !s.ok()) return s;
  absl::StatusOr<SystemFacts> system = systems_.System(system_id);
  if (!system.ok()) return system.status();
  if (!TakesPart(*system, actor.organisation_id)) {
    return absl::PermissionDeniedError(
        absl::StrCat("system_id: your authority does not take part in ", system_id));
  }
  if (absl::Status s = market_.Run([&](MarketRepository& market) -> absl::Status {
        if (absl::Status r = market.ReplaceOffSystem(system_id, counts); !r.ok()) return r;
        return caller.on_saved ? caller.on_saved(market) : absl::OkStatus();
      });
      !s.ok()) {
    return s;
  }
  return static_cast<int>(counts.size());
}

}  // namespace dps::contracts
