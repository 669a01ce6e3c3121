// BlockContractRepository in PostgreSQL (migration 0006_block_contracts.sql), within the caller's
// transaction. The columns are what lists filter on; the block and its call-offs are kept as JSON
// in `doc`, today in the API's encoding (convert/convert.h), a choice of this file alone: the use
// cases see only domain types.
#ifndef DPS_SERVICES_REFERRAL_STORAGE_PG_BLOCK_CONTRACT_REPOSITORY_H_
#define DPS_SERVICES_REFERRAL_STORAGE_PG_BLOCK_CONTRACT_REPOSITORY_H_

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "services/referral/storage/block_contract_repository.h"

namespace dps::referral {

class PgBlockContractRepository final : public BlockContractRepository {
 public:
  explicit PgBlockContractRepository(pqxx::work& tx) : tx_(tx) {}

  absl::Status Insert(const BlockContract& block, const std::string& lead_authority_id) override;
  absl::StatusOr<StoredBlockContract> Load(const std::string& id, bool for_update) override;
  absl::StatusOr<int64_t> Save(const BlockContract& block, int64_t expected_version) override;
  absl::StatusOr<std::vector<StoredBlockContract>> List(const BlockContractFilter& filter,
                                                        const std::string& after_id,
                                                        int limit) override;
  absl::StatusOr<std::vector<std::string>> PastTheirPeriod(absl::CivilDay today) override;
  absl::StatusOr<bool> ClaimActive(const std::string& id) override;

 private:
  pqxx::work& tx_;
};

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_STORAGE_PG_BLOCK_CONTRACT_REPOSITORY_H_
