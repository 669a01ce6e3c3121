#include "services/contracts/storage/pg_market_repository.h"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "absl/time/civil_time.h"
#include "services/contracts/storage/market_sql.h"
#include "services/contracts/storage/pg_guard.h"
#include "services/contracts/storage/pg_ipa_repository.h"
#include "services/contracts/storage/record_json.h"

namespace dps::contracts {
namespace {

using nlohmann::json;
using storage::Guarded;

absl::string_view OutcomeName(ReferralOutcome outcome) {
  switch (outcome) {
    case ReferralOutcome::kOpen:
      return "OPEN";
    case ReferralOutcome::kAwarded:
      return "AWARDED";
    case ReferralOutcome::kNoSuitableOffer:
      return "NO_SUITABLE_OFFER";
    case ReferralOutcome::kWithdrawn:
      return "WITHDRAWN";
  }
  return "";
}

absl::string_view KindName(PlacementKind kind) {
  switch (kind) {
    case PlacementKind::kCompeted:
      return "COMPETED";
    case PlacementKind::kDirectAward:
      return "DIRECT_AWARD";
    case PlacementKind::kBlockCallOff:
      return "BLOCK_CALL_OFF";
  }
  return "";
}

std::vector<std::string> Strings(const pqxx::field& field) {
  return json::parse(field.c_str()).get<std::vector<std::string>>();
}

// Runs one statement; its exceptions become a status.
template <typename... Args>
absl::Status Exec(pqxx::work& tx, const char* statement, Args&&... args) {
  return Guarded("", [&]() -> absl::Status {
    tx.exec_params0(statement, std::forward<Args>(args)...);
    return absl::OkStatus();
  });
}

}  // namespace

absl::Status PgMarketRepository::RecordReferral(const std::string& system_id,
                                                const ReferralFact& r) {
  const MarketWeights& w = r.weights;
  const json weights = {w.price, w.outcomes, w.needs, w.features, w.location, w.core_competency};
  return Exec(tx_, sql::kInsertMarketReferral, r.referral_id, system_id, r.lot_id, r.authority_id,
              r.region, json(r.need_codes).dump(), weights.dump(),
              absl::ToUnixMicros(r.published_at));
}

absl::Status PgMarketRepository::RecordOutcome(const std::string& referral_id,
                                               ReferralOutcome outcome, absl::Time at,
                                               int final_invited, double final_radius_miles) {
  return Exec(tx_, sql::kUpsertMarketOutcome, referral_id, std::string(OutcomeName(outcome)),
              absl::ToUnixMicros(at), final_invited, final_radius_miles);
}

absl::Status PgMarketRepository::RecordInvitation(const std::string& referral_id,
                                                  const std::string& invitation_id) {
  return Exec(tx_, sql::kInsertMarketInvitation, invitation_id, referral_id);
}

absl::Status PgMarketRepository::RecordBid(const std::string& referral_id,
                                           const std::string& bid_id, bool withdrawn,
                                           absl::Time at) {
  const std::optional<int64_t> submitted =
      withdrawn ? std::nullopt : std::optional<int64_t>(absl::ToUnixMicros(at));
  return Exec(tx_, sql::kUpsertMarketBid, bid_id, referral_id, withdrawn, submitted);
}

absl::Status PgMarketRepository::RecordClosed(const std::string& referral_id, absl::Time at) {
  return Exec(tx_, sql::kInsertMarketClose, referral_id, absl::ToUnixMicros(at));
}

absl::Status PgMarketRepository::RecordDecline(const std::string& referral_id,
                                               const std::string& invitation_id,
                                               const std::string& reason) {
  return Exec(tx_, sql::kInsertMarketDecline, invitation_id, referral_id, reason);
}

absl::Status PgMarketRepository::RecordReopened(const std::string& referral_id, int round) {
  return Exec(tx_, sql::kInsertMarketReopen, referral_id, round);
}

absl::Status PgMarketRepository::RecordPlacement(const StoredPlacement& placement) {
  const PlacementFact& p = placement.fact;
  return Exec(tx_, sql::kInsertMarketPlacement, p.source_key, placement.system_id,
              std::string(KindName(p.kind)), placement.referral_id, p.lot_id, p.authority_id,
              placement.establishment_id, p.region, json(p.need_codes).dump(),
              absl::ToUnixMicros(p.awarded_at), p.weekly_price_pence, p.ceiling_weekly_pence);
}

absl::Status PgMarketRepository::RecordRating(const RatingRecord& rating) {
  return Exec(tx_, sql::kInsertMarketRating, rating.rating_id, rating.establishment_id,
              rating.rating, storage::record::Day(rating.inspected_on),
              absl::ToUnixMicros(rating.recorded_at));
}

absl::Status PgMarketRepository::RecordBlock(const std::string& system_id, const BlockFact& b) {
  return Exec(tx_, sql::kUpsertMarketBlock, b.block_contract_id, system_id, b.lot_id,
              b.authority_id, b.places, b.weekly_fee_per_place_pence,
              storage::record::Day(b.first_day), storage::record::Day(b.last_day));
}

absl::Status PgMarketRepository::RecordBlockEnded(const std::string& block_contract_id,
                                                  absl::CivilDay last_day) {
  return Exec(tx_, sql::kUpsertMarketBlockEnded, block_contract_id, storage::record::Day(last_day));
}

absl::Status PgMarketRepository::RecordBlockCallOff(const std::string& block_contract_id,
                                                    const BlockCallOffFact& c) {
  return Exec(tx_, sql::kUpsertMarketBlockCallOff, c.call_off_id, block_contract_id, c.places,
              storage::record::Day(c.start_date), storage::record::Day(c.planned_end_date));
}

absl::Status PgMarketRepository::RecordBlockCallOffEnded(const std::string& block_contract_id,
                                                         const std::string& call_off_id,
                                                         absl::CivilDay ended_on) {
  return Exec(tx_, sql::kUpsertMarketBlockCallOffEnded, call_off_id, block_contract_id,
              storage::record::Day(ended_on));
}

absl::StatusOr<std::vector<BlockFact>> PgMarketRepository::Blocks(const std::string& system_id) {
  return Guarded("", [&]() -> absl::StatusOr<std::vector<BlockFact>> {
    const pqxx::result blocks = tx_.exec_params(sql::kSelectMarketBlocks, system_id);
    const pqxx::result call_offs = tx_.exec_params(sql::kSelectMarketBlockCallOffs, system_id);
    std::vector<BlockFact> out;
    absl::Status read = storage::record::Reading("market block", [&] {
      auto day = [](const pqxx::field& f) {
        return storage::record::ReadDay(json(f.as<std::string>()));
      };
      std::map<std::string, std::vector<BlockCallOffFact>> by_block;
      for (const pqxx::row& row : call_offs) {
        BlockCallOffFact& c = by_block[row[0].as<std::string>()].emplace_back();
        c.call_off_id = row[1].as<std::string>();
        c.places = row[2].as<int>();
        c.start_date = day(row[3]);
        c.planned_end_date = day(row[4]);
        if (!row[5].is_null()) c.ended_on = day(row[5]);
      }
      for (const pqxx::row& row : blocks) {
        BlockFact& b = out.emplace_back();
        b.block_contract_id = row[0].as<std::string>();
        b.lot_id = row[1].as<std::string>();
        b.authority_id = row[2].as<std::string>();
        b.places = row[3].as<int>();
        b.weekly_fee_per_place_pence = row[4].as<int64_t>();
        b.first_day = day(row[5]);
        b.last_day = day(row[6]);
        b.call_offs = std::move(by_block[b.block_contract_id]);
      }
    });
    if (!read.ok()) return read;
    return out;
  });
}

absl::StatusOr<std::vector<ReferralFact>> PgMarketRepository::Referrals(
    const std::string& system_id) {
  return Guarded("", [&]() -> absl::StatusOr<std::vector<ReferralFact>> {
    const pqxx::result rows = tx_.exec_params(sql::kSelectMarketReferrals, system_id);
    const pqxx::result declines = tx_.exec_params(sql::kSelectMarketDeclines, system_id);
    std::vector<ReferralFact> out;
    absl::Status read = storage::record::Reading("market referral", [&] {
      std::map<std::string, std::map<std::string, int>> declined;
      for (const pqxx::row& row : declines) {
        declined[row[0].as<std::string>()][row[1].as<std::string>()] = row[2].as<int>();
      }
      for (const pqxx::row& row : rows) {
        ReferralFact& r = out.emplace_back();
        r.referral_id = row[0].as<std::string>();
        r.lot_id = row[1].as<std::string>();
        r.authority_id = row[2].as<std::string>();
        r.region = row[3].as<std::string>();
        r.need_codes = Strings(row[4]);
        const std::vector<int> w = json::parse(row[5].c_str()).get<std::vector<int>>();
        r.weights = {w.at(0), w.at(1), w.at(2), w.at(3), w.at(4), w.at(5)};
        r.published_at = absl::FromUnixMicros(row[6].as<int64_t>());
        r.invitations = row[7].as<int>();
        r.bids = row[8].as<int>();
        r.reopened = row[9].as<int>();
        r.outcome =
            storage::record::Parse(json(row[10].as<std::string>()),
                                   {ReferralOutcome::kOpen, ReferralOutcome::kAwarded,
                                    ReferralOutcome::kNoSuitableOffer, ReferralOutcome::kWithdrawn},
                                   &OutcomeName);
        r.final_invited = row[11].as<int>();
        r.final_radius_miles = row[12].as<double>();
        if (auto it = declined.find(r.referral_id); it != declined.end()) r.declines = it->second;
      }
    });
    if (!read.ok()) return read;
    return out;
  });
}

absl::StatusOr<std::vector<StoredPlacement>> PgMarketRepository::Placements(
    const std::string& system_id) {
  return Guarded("", [&]() -> absl::StatusOr<std::vector<StoredPlacement>> {
    const pqxx::result rows = tx_.exec_params(sql::kSelectMarketPlacements, system_id);
    std::vector<StoredPlacement> out;
    absl::Status read = storage::record::Reading("market placement", [&] {
      for (const pqxx::row& row : rows) {
        StoredPlacement& s = out.emplace_back();
        s.system_id = system_id;
        PlacementFact& p = s.fact;
        p.source_key = row[0].as<std::string>();
        p.kind = storage::record::Parse(
            json(row[1].as<std::string>()),
            {PlacementKind::kCompeted, PlacementKind::kDirectAward, PlacementKind::kBlockCallOff},
            &KindName);
        s.referral_id = row[2].as<std::string>();
        p.lot_id = row[3].as<std::string>();
        p.authority_id = row[4].as<std::string>();
        s.establishment_id = row[5].as<std::string>();
        p.region = row[6].as<std::string>();
        p.need_codes = Strings(row[7]);
        p.awarded_at = absl::FromUnixMicros(row[8].as<int64_t>());
        p.weekly_price_pence = row[9].as<int64_t>();
        if (!row[10].is_null()) p.ceiling_weekly_pence = row[10].as<int64_t>();
        p.good_or_outstanding = row[11].as<bool>();
      }
    });
    if (!read.ok()) return read;
    return out;
  });
}

absl::StatusOr<std::vector<OffSystemFact>> PgMarketRepository::OffSystem(
    const std::string& system_id) {
  return Guarded("", [&]() -> absl::StatusOr<std::vector<OffSystemFact>> {
    const pqxx::result rows = tx_.exec_params(sql::kSelectMarketOffSystem, system_id);
    std::vector<OffSystemFact> out;
    absl::Status read = storage::record::Reading("off-system count", [&] {
      for (const pqxx::row& row : rows) {
        OffSystemFact& o = out.emplace_back();
        o.authority_id = row[0].as<std::string>();
        o.lot_id = row[1].as<std::string>();
        o.period = {storage::record::ReadDay(json(row[2].as<std::string>())),
                    storage::record::ReadDay(json(row[3].as<std::string>()))};
        o.placements = row[4].as<int>();
        if (!row[5].is_null()) o.total_weekly_pence = row[5].as<int64_t>();
      }
    });
    if (!read.ok()) return read;
    return out;
  });
}

absl::Status PgMarketRepository::ReplaceOffSystem(const std::string& system_id,
                                                  const std::vector<OffSystemFact>& counts) {
  for (const OffSystemFact& o : counts) {
    if (absl::Status s =
            Exec(tx_, sql::kUpsertMarketOffSystem, system_id, o.authority_id, o.lot_id,
                 storage::record::Day(o.period.start), storage::record::Day(o.period.end),
                 o.placements, o.total_weekly_pence);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status PgMarketRepository::RecordResponse(const RequestRecord& record) {
  // The IPAs' transaction keeps answers in the same ledger, in the same words.
  return PgIpaTransaction(tx_).RecordResponse(record);
}

absl::Status PgMarketUnitOfWork::Run(const Work& work) {
  return pool_.InTransaction([&](pqxx::work& tx) {
    PgMarketRepository repository(tx);
    return work(repository);
  });
}

}  // namespace dps::contracts
