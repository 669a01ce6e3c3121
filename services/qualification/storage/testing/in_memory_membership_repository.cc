#include "services/qualification/storage/testing/in_memory_membership_repository.h"

#include "absl/strings/str_cat.h"

namespace dps::qualification {

absl::Status InMemoryMembershipRepository::Insert(const Membership& membership) {
  bool taken = memberships_.count(membership.id) > 0;
  for (const auto& [id, other] : memberships_) {
    taken = taken || (other.establishment_id == membership.establishment_id &&
                      other.lot_code == membership.lot_code);
  }
  if (taken) {
    return absl::AlreadyExistsError(absl::StrCat(
        "membership ", membership.id, ": already exists, or establishment ",
        membership.establishment_id, " is already a member of lot ", membership.lot_code));
  }
  memberships_.emplace(membership.id, membership);
  return absl::OkStatus();
}

absl::StatusOr<Membership> InMemoryMembershipRepository::Load(const std::string& id) {
  return LoadForUpdate(id);
}

absl::StatusOr<Membership> InMemoryMembershipRepository::LoadForUpdate(const std::string& id) {
  auto it = memberships_.find(id);
  if (it == memberships_.end()) {
    return absl::NotFoundError(absl::StrCat("membership ", id, ": not found"));
  }
  return it->second;
}

absl::StatusOr<std::optional<Membership>> InMemoryMembershipRepository::OfEstablishmentInLot(
    const std::string& establishment_id, const std::string& lot_id) {
  for (const auto& [id, membership] : memberships_) {
    if (membership.establishment_id == establishment_id && membership.lot_code == lot_id) {
      return std::optional<Membership>(membership);
    }
  }
  return std::optional<Membership>();
}

absl::StatusOr<std::vector<Membership>> InMemoryMembershipRepository::OfEstablishmentInSystem(
    const std::string& system_id, const std::string& establishment_id) {
  std::vector<Membership> found;
  for (const auto& [id, membership] : memberships_) {
    if (membership.system_id == system_id && membership.establishment_id == establishment_id) {
      found.push_back(membership);
    }
  }
  return found;
}

absl::Status InMemoryMembershipRepository::Save(Membership& membership) {
  auto it = memberships_.find(membership.id);
  if (it == memberships_.end()) {
    return absl::NotFoundError(absl::StrCat("membership ", membership.id, ": not found"));
  }
  membership.version += 1;
  it->second = membership;
  return absl::OkStatus();
}

absl::Status InMemoryMembershipRepository::RestOn(const std::string& membership_id,
                                                  const std::string& criterion_id,
                                                  const std::vector<std::string>& evidence_ids) {
  std::set<std::string>& resting = links_[{membership_id, criterion_id}];
  resting.clear();
  for (const std::string& evidence_id : evidence_ids) {
    // A membership rests on a piece once, for the criterion it was first linked for (the
    // table's key is the piece and the membership).
    bool linked = false;
    for (const auto& [key, evidence] : links_) {
      linked = linked || (key.first == membership_id && evidence.count(evidence_id) > 0);
    }
    if (!linked) resting.insert(evidence_id);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<EvidenceLink>> InMemoryMembershipRepository::RestingOn(
    const std::string& evidence_id) {
  std::vector<EvidenceLink> resting;
  for (const auto& [key, evidence] : links_) {
    if (evidence.count(evidence_id) > 0) resting.push_back({key.first, key.second});
  }
  return resting;
}

}  // namespace dps::qualification
