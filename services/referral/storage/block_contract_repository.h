// Where block contracts are kept, with their call-offs, in the domain's own terms
// (domain/block_contract.h): the use cases (app/block_contracts.h) read and write them through
// BlockContractRepository and never see SQL or the API's messages. The PostgreSQL implementation
// is pg_block_contract_repository.h (migration 0006); storage/testing has one in memory for the
// use cases' pure tests. A block's call-offs are read and changed with it, under its lock.
//
// Errors: NotFound "block contract <id>: not found"; AlreadyExists when an insert repeats an id;
// Aborted when a save names a version other than the stored one; database failures as
// platform/pg/pool.h describes.
#ifndef DPS_SERVICES_REFERRAL_STORAGE_BLOCK_CONTRACT_REPOSITORY_H_
#define DPS_SERVICES_REFERRAL_STORAGE_BLOCK_CONTRACT_REPOSITORY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "services/referral/domain/block_contract.h"

namespace dps::referral {

// A block as stored: the lead authority of its system (copied when it was made, for its admins'
// and auditors' reads) and the version a save must name (1 after Insert, +1 per Save).
struct StoredBlockContract {
  BlockContract block;
  std::string lead_authority_id;
  int64_t version = 0;
};

// Which blocks a list reads; empty fields match everything.
struct BlockContractFilter {
  std::string system_id;
  std::string placing_authority_id;
  std::string lead_authority_id;
  std::string establishment_id;
};

class BlockContractRepository {
 public:
  virtual ~BlockContractRepository() = default;

  // A new block (version 1) in the system `lead_authority_id` leads.
  virtual absl::Status Insert(const BlockContract& block, const std::string& lead_authority_id) = 0;
  // The block, and its row locked until the transaction ends when `for_update`.
  virtual absl::StatusOr<StoredBlockContract> Load(const std::string& id, bool for_update) = 0;
  // Writes the block over the stored one when that is at `expected_version`; the new version.
  virtual absl::StatusOr<int64_t> Save(const BlockContract& block, int64_t expected_version) = 0;
  // Up to `limit` blocks the filter matches with ids after `after_id`, by id.
  virtual absl::StatusOr<std::vector<StoredBlockContract>> List(const BlockContractFilter& filter,
                                                                const std::string& after_id,
                                                                int limit) = 0;
  // The ACTIVE blocks whose period ended before `today`, by id: the block timer's schedule.
  virtual absl::StatusOr<std::vector<std::string>> PastTheirPeriod(absl::CivilDay today) = 0;
  // Locks block `id` when it is still ACTIVE and no other process holds it (SKIP LOCKED); false
  // otherwise, so two timers never end one block twice.
  virtual absl::StatusOr<bool> ClaimActive(const std::string& id) = 0;
};

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_STORAGE_BLOCK_CONTRACT_REPOSITORY_H_
