#include "services/qualification/storage/testing/in_memory_evidence_repository.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace dps::qualification {

absl::Status InMemoryEvidenceRepository::Insert(const Evidence& evidence) {
  if (!evidence_.emplace(evidence.id, evidence).second) {
    return absl::AlreadyExistsError(absl::StrCat("evidence ", evidence.id, ": already exists"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Evidence> InMemoryEvidenceRepository::LoadForUpdate(const std::string& id) {
  auto it = evidence_.find(id);
  if (it == evidence_.end()) {
    return absl::NotFoundError(absl::StrCat("evidence ", id, ": not found"));
  }
  return it->second;
}

absl::Status InMemoryEvidenceRepository::Save(const Evidence& evidence) {
  auto it = evidence_.find(evidence.id);
  if (it == evidence_.end()) {
    return absl::NotFoundError(absl::StrCat("evidence ", evidence.id, ": not found"));
  }
  it->second = evidence;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Evidence>> InMemoryEvidenceRepository::OthersInForce(
    const Evidence& evidence) {
  std::vector<Evidence> others;
  for (const auto& [id, other] : evidence_) {
    if (id != evidence.id && other.in_force() && other.provider_id == evidence.provider_id &&
        other.establishment_id == evidence.establishment_id &&
        other.criterion_id == evidence.criterion_id) {
      others.push_back(other);
    }
  }
  return others;
}

absl::Status InMemoryEvidenceRepository::Supersede(const std::vector<std::string>& renewed,
                                                   const std::string& renewal_id) {
  for (const std::string& id : renewed) {
    auto it = evidence_.find(id);
    if (it != evidence_.end()) it->second.state = EvidenceState::kSuperseded;
    auto resting = links.find(id);
    if (resting == links.end()) continue;
    links[renewal_id].insert(resting->second.begin(), resting->second.end());
    links.erase(id);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> InMemoryEvidenceRepository::ExpiredBy(absl::CivilDay today,
                                                                               int limit) {
  std::vector<const Evidence*> due;
  for (const auto& [id, evidence] : evidence_) {
    if (evidence.in_force() && evidence.expires_on && *evidence.expires_on < today) {
      due.push_back(&evidence);
    }
  }
  std::sort(due.begin(), due.end(), [](const Evidence* a, const Evidence* b) {
    return std::pair(*a->expires_on, a->id) < std::pair(*b->expires_on, b->id);
  });
  std::vector<std::string> ids;
  for (const Evidence* evidence : due) {
    if (static_cast<int>(ids.size()) == limit) break;
    ids.push_back(evidence->id);
  }
  return ids;
}

}  // namespace dps::qualification
