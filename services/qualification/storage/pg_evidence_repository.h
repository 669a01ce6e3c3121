// EvidenceRepository in PostgreSQL (migration 0003_records.sql), within the caller's
// transaction. A piece is kept as JSON in `doc`, today in the API's encoding (convert/convert.h),
// which the list of evidence (ListEvidencePage) reads back, beside the columns the timer and the
// list filter on (state, expires_on); `membership_evidence` holds which memberships rest on it. A
// choice of this file alone: the use cases see only domain types.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_PG_EVIDENCE_REPOSITORY_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_PG_EVIDENCE_REPOSITORY_H_

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "services/qualification/storage/evidence_repository.h"

namespace dps::qualification {

class PgEvidenceRepository final : public EvidenceRepository {
 public:
  explicit PgEvidenceRepository(pqxx::work& tx) : tx_(tx) {}

  absl::Status Insert(const Evidence& evidence) override;
  absl::StatusOr<Evidence> LoadForUpdate(const std::string& id) override;
  absl::Status Save(const Evidence& evidence) override;
  absl::StatusOr<std::vector<Evidence>> OthersInForce(const Evidence& evidence) override;
  absl::Status Supersede(const std::vector<std::string>& renewed,
                         const std::string& renewal_id) override;
  absl::StatusOr<std::vector<std::string>> ExpiredBy(absl::CivilDay today, int limit) override;

 private:
  pqxx::work& tx_;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_PG_EVIDENCE_REPOSITORY_H_
