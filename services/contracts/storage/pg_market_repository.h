// MarketRepository on PostgreSQL (the tables of migrations/0005_market.sql and
// 0006_market_blocks.sql, the SQL of market_sql.h). PgMarketRepository works in the transaction it
// is given: the market consumer's, whose ledger of processed events shares it; PgMarketUnitOfWork
// opens one per Run for the use cases.
#ifndef DPS_SERVICES_CONTRACTS_STORAGE_PG_MARKET_REPOSITORY_H_
#define DPS_SERVICES_CONTRACTS_STORAGE_PG_MARKET_REPOSITORY_H_

#include <pqxx/pqxx>

#include "platform/pg/pool.h"
#include "services/contracts/storage/market_repository.h"

namespace dps::contracts {

class PgMarketRepository final : public MarketRepository {
 public:
  explicit PgMarketRepository(pqxx::work& tx) : tx_(tx) {}

  absl::Status RecordReferral(const std::string& system_id, const ReferralFact& referral) override;
  absl::Status RecordOutcome(const std::string& referral_id, ReferralOutcome outcome, absl::Time at,
                             int final_invited, double final_radius_miles) override;
  absl::Status RecordInvitation(const std::string& referral_id,
                                const std::string& invitation_id) override;
  absl::Status RecordBid(const std::string& referral_id, const std::string& bid_id, bool withdrawn,
                         absl::Time at) override;
  absl::Status RecordClosed(const std::string& referral_id, absl::Time at) override;
  absl::Status RecordDecline(const std::string& referral_id, const std::string& invitation_id,
                             const std::string& reason) override;
  absl::Status RecordReopened(const std::string& referral_id, int round) override;
  absl::Status RecordPlacement(const StoredPlacement& placement) override;
  absl::Status RecordRating(const RatingRecord& rating) override;
  absl::Status RecordBlock(const std::string& system_id, const BlockFact& block) override;
  absl::Status RecordBlockEnded(const std::string& block_contract_id,
                                absl::CivilDay last_day) override;
  absl::Status RecordBlockCallOff(const std::string& block_contract_id,
                                  const BlockCallOffFact& call_off) override;
  absl::Status RecordBlockCallOffEnded(const std::string& block_contract_id,
                                       const std::string& call_off_id,
                                       absl::CivilDay ended_on) override;

  absl::StatusOr<std::vector<ReferralFact>> Referrals(const std::string& system_id) override;
  absl::StatusOr<std::vector<StoredPlacement>> Placements(const std::string& system_id) override;
  absl::StatusOr<std::vector<OffSystemFact>> OffSystem(const std::string& system_id) override;
  absl::StatusOr<std::vector<BlockFact>> Blocks(const std::string& system_id) override;
  absl::Status ReplaceOffSystem(const std::string& system_id,
                                const std::vector<OffSystemFact>& counts) override;
  absl::Status RecordResponse(const RequestRecord& record) override;

 private:
  pqxx::work& tx_;
};

class PgMarketUnitOfWork final : public MarketUnitOfWork {
 public:
  explicit PgMarketUnitOfWork(platform::PgPool& pool) : pool_(pool) {}
  absl::Status Run(const Work& work) override;

 private:
  platform::PgPool& pool_;
};

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_STORAGE_PG_MARKET_REPOSITORY_H_
