// MembershipRepository in PostgreSQL (migrations 0001, 0003 and 0009), within the caller's
// transaction. A membership is kept as JSON in `doc`, today in the API's encoding
// (convert/convert.h), which GetMembership and the lists read back, beside the columns the
// eligibility query and the lists filter on (state, lot, establishment, system, ceiling fee) and
// the one the record has no field for (last_audited_at). Its score history is rows of
// `membership_scores`, the evidence it rests on rows of `membership_evidence`. A choice of this
// file alone: the use cases see only domain types.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_PG_MEMBERSHIP_REPOSITORY_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_PG_MEMBERSHIP_REPOSITORY_H_

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "services/qualification/storage/membership_repository.h"

namespace dps::qualification {

class PgMembershipRepository final : public MembershipRepository {
 public:
  explicit PgMembershipRepository(pqxx::work& tx) : tx_(tx) {}

  absl::Status Insert(const Membership& membership) override;
  absl::StatusOr<Membership> Load(const std::string& id) override;
  absl::StatusOr<Membership> LoadForUpdate(const std::string& id) override;
  absl::StatusOr<std::optional<Membership>> OfEstablishmentInLot(
      const std::string& establishment_id, const std::string& lot_id) override;
  absl::StatusOr<std::vector<Membership>> OfEstablishmentInSystem(
      const std::string& system_id, const std::string& establishment_id) override;
  absl::Status Save(Membership& membership) override;
  absl::Status RestOn(const std::string& membership_id, const std::string& criterion_id,
                      const std::vector<std::string>& evidence_ids) override;
  absl::StatusOr<std::vector<EvidenceLink>> RestingOn(const std::string& evidence_id) override;

 private:
  // The memberships the rows (doc, last_audited_at) hold, each with its score history.
  absl::StatusOr<std::vector<Membership>> FromRows(const pqxx::result& rows);
  // The entries of `membership`'s score history newer than the stored ones, stored.
  absl::Status AddNewScores(const Membership& membership);

  pqxx::work& tx_;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_PG_MEMBERSHIP_REPOSITORY_H_
