#include "services/qualification/storage/testing/in_memory_audit_repository.h"

#include "absl/strings/str_cat.h"

namespace dps::qualification {

absl::Status InMemoryAuditRepository::Insert(const Audit& audit) {
  if (audit.state == AuditState::kScheduled) {
    for (const auto& [id, stored] : audits_) {
      if (stored.audit.system_id == audit.system_id &&
          stored.audit.establishment_id == audit.establishment_id &&
          stored.audit.state == AuditState::kScheduled) {
        return absl::AlreadyExistsError(absl::StrCat("establishment ", audit.establishment_id,
                                                     " already has audit ", id, " scheduled"));
      }
    }
  }
  if (!audits_.emplace(audit.id, StoredAudit{audit, 1}).second) {
    return absl::AlreadyExistsError(absl::StrCat("audit ", audit.id, ": already exists"));
  }
  return absl::OkStatus();
}

absl::StatusOr<StoredAudit> InMemoryAuditRepository::Load(const std::string& id,
                                                          bool /*for_update*/) {
  auto it = audits_.find(id);
  if (it == audits_.end()) return absl::NotFoundError(absl::StrCat("audit ", id, ": not found"));
  return it->second;
}

absl::StatusOr<int64_t> InMemoryAuditRepository::Save(const Audit& audit,
                                                      int64_t expected_version) {
  auto it = audits_.find(audit.id);
  if (it == audits_.end() || it->second.version != expected_version) {
    return absl::AbortedError(
        absl::StrCat("audit ", audit.id, ": changed since version ", expected_version));
  }
  it->second.audit = audit;
  return ++it->second.version;
}

}  // namespace dps::qualification
