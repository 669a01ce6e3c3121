// DirectAwardRepository in PostgreSQL (migration 0005_direct_awards.sql), within the caller's
// transaction. The table's columns are what the lists filter on; the record itself is kept as
// JSON in `doc`, today in the API's encoding of a direct award (convert/convert.h), a choice of
// this file alone: the use cases see only domain types.
#ifndef DPS_SERVICES_REFERRAL_STORAGE_PG_DIRECT_AWARD_REPOSITORY_H_
#define DPS_SERVICES_REFERRAL_STORAGE_PG_DIRECT_AWARD_REPOSITORY_H_

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "services/referral/storage/direct_award_repository.h"

namespace dps::referral {

class PgDirectAwardRepository final : public DirectAwardRepository {
 public:
  explicit PgDirectAwardRepository(pqxx::work& tx) : tx_(tx) {}

  absl::Status Insert(const DirectAward& award, const std::string& lead_authority_id) override;
  absl::StatusOr<StoredDirectAward> Load(const std::string& id, bool for_update) override;
  absl::Status Save(const DirectAward& award) override;
  absl::StatusOr<std::vector<DirectAward>> List(const DirectAwardFilter& filter,
                                                const std::string& after_id, int limit) override;

 private:
  pqxx::work& tx_;
};

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_STORAGE_PG_DIRECT_AWARD_REPOSITORY_H_
