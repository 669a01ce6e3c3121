#include "services/referral/storage/rankings_due.h"

namespace dps::referral {
namespace {

constexpr char kRequestRanking[] =
    "INSERT INTO rankings_due (referral_id, generation, requested_at, closed_event) "
    "VALUES ($1, nextval('ranking_generations'), to_timestamp($2::bigint / 1e6), "
    "CASE WHEN $4::boolean THEN $3::bytea END) "
    "ON CONFLICT (referral_id) DO UPDATE SET generation = nextval('ranking_generations'), "
    "requested_at = EXCLUDED.requested_at, "
    "closed_event = COALESCE(EXCLUDED.closed_event, rankings_due.closed_event)";
constexpr char kLoadRankingDue[] =
    "SELECT generation, closed_event FROM rankings_due WHERE referral_id = $1";
constexpr char kLoadRankingDueForUpdate[] =
    "SELECT generation, closed_event FROM rankings_due WHERE referral_id = $1 FOR UPDATE";
constexpr char kDropRankingDue[] = "DELETE FROM rankings_due WHERE referral_id = $1";
constexpr char kRankingsDue[] =
    "SELECT referral_id FROM rankings_due ORDER BY requested_at, referral_id LIMIT $1";

}  // namespace

absl::Status RequestRanking(pqxx::work& tx, const std::string& referral_id, absl::Time now,
                            const std::optional<dps::events::v1::ReferralClosed>& closed_event) {
  const std::string event = closed_event.has_value() ? closed_event->SerializeAsString() : "";
  tx.exec_params0(kRequestRanking, referral_id, absl::ToUnixMicros(now),
                  pqxx::binarystring(event.data(), event.size()), closed_event.has_value());
  return absl::OkStatus();
}

absl::StatusOr<std::optional<RankingDue>> LoadRankingDue(pqxx::work& tx,
                                                         const std::string& referral_id,
                                                         bool for_update) {
  const pqxx::result rows =
      tx.exec_params(for_update ? kLoadRankingDueForUpdate : kLoadRankingDue, referral_id);
  if (rows.empty()) return std::optional<RankingDue>();
  RankingDue due{.generation = rows[0][0].as<int64_t>()};
  if (!rows[0][1].is_null()) {
    const pqxx::binarystring bytes(rows[0][1]);
    if (!due.closed_event.emplace().ParseFromString(bytes.str())) {
      return absl::DataLossError("rankings_due: the closed event of referral " + referral_id +
                                 " does not parse");
    }
  }
  return std::optional<RankingDue>(std::move(due));
}

absl::Status DropRankingDue(pqxx::work& tx, const std::string& referral_id) {
  tx.exec_params0(kDropRankingDue, referral_id);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> RankingsDue(pqxx::work& tx, int limit) {
  std::vector<std::string> ids;
  for (const pqxx::row& row : tx.exec_params(kRankingsDue, limit)) {
    ids.push_back(row[0].as<std::string>());
  }
  return ids;
}

}  // namespace dps::referral
