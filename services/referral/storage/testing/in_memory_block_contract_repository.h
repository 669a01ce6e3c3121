// BlockContractRepository in memory, for the use cases' pure tests (app/block_contracts_test.cc):
// the same answers as the PostgreSQL one (storage/pg_block_contract_repository.h) for the same
// calls, without a database. Locks mean nothing here: one test is one caller, so ClaimActive is
// whether the block is ACTIVE.
#ifndef DPS_SERVICES_REFERRAL_STORAGE_TESTING_IN_MEMORY_BLOCK_CONTRACT_REPOSITORY_H_
#define DPS_SERVICES_REFERRAL_STORAGE_TESTING_IN_MEMORY_BLOCK_CONTRACT_REPOSITORY_H_

#include <map>
#include <string>
#include <vector>

#include "services/referral/storage/block_contract_repository.h"

namespace dps::referral {

class InMemoryBlockContractRepository final : public BlockContractRepository {
 public:
  absl::Status Insert(const BlockContract& block, const std::string& lead_authority_id) override;
  absl::StatusOr<StoredBlockContract> Load(const std::string& id, bool for_update) override;
  absl::StatusOr<int64_t> Save(const BlockContract& block, int64_t expected_version) override;
  absl::StatusOr<std::vector<StoredBlockContract>> List(const BlockContractFilter& filter,
                                                        const std::string& after_id,
                                                        int limit) override;
  absl::StatusOr<std::vector<std::string>> PastTheirPeriod(absl::CivilDay today) override;
  absl::StatusOr<bool> ClaimActive(const std::string& id) override;

 private:
  std::map<std::string, StoredBlockContract> blocks_;  // by id, as the table's primary key
};

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_STORAGE_TESTING_IN_MEMORY_BLOCK_CONTRACT_REPOSITORY_H_
