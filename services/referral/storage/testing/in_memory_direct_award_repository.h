// DirectAwardRepository in memory, for the use cases' pure tests (app/direct_awards_test.cc): the
// same answers as the PostgreSQL one (storage/pg_direct_award_repository.h) for the same calls,
// without a database. Locks mean nothing here: one test is one caller.
#ifndef DPS_SERVICES_REFERRAL_STORAGE_TESTING_IN_MEMORY_DIRECT_AWARD_REPOSITORY_H_
#define DPS_SERVICES_REFERRAL_STORAGE_TESTING_IN_MEMORY_DIRECT_AWARD_REPOSITORY_H_

#include <map>
#include <string>
#include <vector>

#include "services/referral/storage/direct_award_repository.h"

namespace dps::referral {

class InMemoryDirectAwardRepository final : public DirectAwardRepository {
 public:
  absl::Status Insert(const DirectAward& award, const std::string& lead_authority_id) override;
  absl::StatusOr<StoredDirectAward> Load(const std::string& id, bool for_update) override;
  absl::Status Save(const DirectAward& award) override;
  absl::StatusOr<std::vector<DirectAward>> List(const DirectAwardFilter& filter,
                                                const std::string& after_id, int limit) override;

  int size() const { return static_cast<int>(awards_.size()); }

 private:
  std::map<std::string, StoredDirectAward> awards_;  // by id, as the table's primary key
};

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_STORAGE_TESTING_IN_MEMORY_DIRECT_AWARD_REPOSITORY_H_
