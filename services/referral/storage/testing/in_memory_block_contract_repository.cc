#include "services/referral/storage/testing/in_memory_block_contract_repository.h"

#include "absl/strings/str_cat.h"

namespace dps::referral {
namespace {

absl::Status NotFound(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("block contract ", id, ": not found"));
}

bool Matches(const BlockContractFilter& filter, const StoredBlockContract& stored) {
  const BlockContract& block = stored.block;
  return (filter.system_id.empty() || block.spec.system_id == filter.system_id) &&
         (filter.placing_authority_id.empty() ||
          block.placing_authority_id == filter.placing_authority_id) &&
         (filter.lead_authority_id.empty() ||
          stored.lead_authority_id == filter.lead_authority_id) &&
         (filter.establishment_id.empty() ||
          block.spec.establishment_id == filter.establishment_id);
}

}  // namespace

absl::Status InMemoryBlockContractRepository::Insert(const BlockContract& block,
                                                     const std::string& lead_authority_id) {
  if (!blocks_.emplace(block.id, StoredBlockContract{block, lead_authority_id, 1}).second) {
    return absl::AlreadyExistsError(absl::StrCat("block contract ", block.id, ": already exists"));
  }
  return absl::OkStatus();
}

absl::StatusOr<StoredBlockContract> InMemoryBlockContractRepository::Load(const std::string& id,
                                                                          bool /*for_update*/) {
  auto it = blocks_.find(id);
  if (it == blocks_.end()) return NotFound(id);
  return it->second;
}

absl::StatusOr<int64_t> InMemoryBlockContractRepository::Save(const BlockContract& block,
                                                              int64_t expected_version) {
  auto it = blocks_.find(block.id);
  if (it == blocks_.end() || it->second.version != expected_version) {
    return absl::AbortedError(
        absl::StrCat("block contract ", block.id, ": changed since version ", expected_version));
  }
  it->second.block = block;
  return ++it->second.version;
}

absl::StatusOr<std::vector<StoredBlockContract>> InMemoryBlockContractRepository::List(
    const BlockContractFilter& filter, const std::string& after_id, int limit) {
  std::vector<StoredBlockContract> out;
  for (auto it = blocks_.upper_bound(after_id);
       it != blocks_.end() && static_cast<int>(out.size()) < limit; ++it) {
    if (Matches(filter, it->second)) out.push_back(it->second);
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> InMemoryBlockContractRepository::PastTheirPeriod(
    absl::CivilDay today) {
  std::vector<std::string> ids;
  for (const auto& [id, stored] : blocks_) {
    if (stored.block.state == BlockContractState::kActive &&
        *stored.block.spec.period.end < today) {
      ids.push_back(id);
    }
  }
  return ids;
}

absl::StatusOr<bool> InMemoryBlockContractRepository::ClaimActive(const std::string& id) {
  auto it = blocks_.find(id);
  return it != blocks_.end() && it->second.block.state == BlockContractState::kActive;
}

}  // namespace dps::referral
