#include "services/referral/storage/testing/in_memory_direct_award_repository.h"

#include "absl/strings/str_cat.h"

namespace dps::referral {
namespace {

bool Matches(const DirectAwardFilter& filter, const StoredDirectAward& stored) {
  const DirectAward& award = stored.award;
  if (!filter.system_id.empty() && award.spec.system_id != filter.system_id) return false;
  if (!filter.placing_authority_id.empty() &&
      award.placing_authority_id != filter.placing_authority_id) {
    return false;
  }
  if (!filter.lead_authority_id.empty() && stored.lead_authority_id != filter.lead_authority_id) {
    return false;
  }
  if (filter.made_after && !(award.made_at > *filter.made_after)) return false;
  if (filter.made_before && !(award.made_at < *filter.made_before)) return false;
  if (filter.review_due_by && !ReviewDue(award, *filter.review_due_by)) return false;
  return true;
}

}  // namespace

absl::Status InMemoryDirectAwardRepository::Insert(const DirectAward& award,
                                                   const std::string& lead_authority_id) {
  if (!awards_.emplace(award.id, StoredDirectAward{award, lead_authority_id}).second) {
    return absl::AlreadyExistsError(absl::StrCat("direct award ", award.id, ": already exists"));
  }
  return absl::OkStatus();
}

absl::StatusOr<StoredDirectAward> InMemoryDirectAwardRepository::Load(const std::string& id,
                                                                      bool /*for_update*/) {
  auto it = awards_.find(id);
  if (it == awards_.end()) {
    return absl::NotFoundError(absl::StrCat("direct award ", id, ": not found"));
  }
  return it->second;
}

absl::Status InMemoryDirectAwardRepository::Save(const DirectAward& award) {
  auto it = awards_.find(award.id);
  if (it == awards_.end()) {
    return absl::NotFoundError(absl::StrCat("direct award ", award.id, ": not found"));
  }
  it->second.award = award;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<DirectAward>> InMemoryDirectAwardRepository::List(
    const DirectAwardFilter& filter, const std::string& after_id, int limit) {
  std::vector<DirectAward> out;
  for (auto it = awards_.upper_bound(after_id);
       it != awards_.end() && static_cast<int>(out.size()) < limit; ++it) {
    if (Matches(filter, it->second)) out.push_back(it->second.award);
  }
  return out;
}

}  // namespace dps::referral
