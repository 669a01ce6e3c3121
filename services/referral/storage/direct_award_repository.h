// Where direct awards are kept, in the domain's own terms (domain/direct_award.h): the use cases
// (app/direct_awards.h) read and write them through DirectAwardRepository and never see SQL or the
// API's messages. The PostgreSQL implementation is pg_direct_award_repository.h (migration
// 0005); storage/testing has one in memory for the use cases' pure tests.
//
// Errors: NotFound "direct award <id>: not found"; AlreadyExists when an insert repeats an id;
// database failures as platform/pg/pool.h describes.
#ifndef DPS_SERVICES_REFERRAL_STORAGE_DIRECT_AWARD_REPOSITORY_H_
#define DPS_SERVICES_REFERRAL_STORAGE_DIRECT_AWARD_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/referral/domain/direct_award.h"

namespace dps::referral {

// A direct award as stored, with the lead authority of its system (copied when it was made, so
// the system's admins and auditors read it without asking the qualification service).
struct StoredDirectAward {
  DirectAward award;
  std::string lead_authority_id;
};

// Which direct awards a list reads; empty fields match everything.
struct DirectAwardFilter {
  std::string system_id;
  std::string placing_authority_id;
  std::string lead_authority_id;
  std::optional<absl::Time> made_after;
  std::optional<absl::Time> made_before;
  std::optional<absl::CivilDay> review_due_by;  // MADE and review_on on or before this day
};

class DirectAwardRepository {
 public:
  virtual ~DirectAwardRepository() = default;

  // A new award, MADE, in the system `lead_authority_id` leads.
  virtual absl::Status Insert(const DirectAward& award, const std::string& lead_authority_id) = 0;
  // The award, and its row locked until the transaction ends when `for_update`.
  virtual absl::StatusOr<StoredDirectAward> Load(const std::string& id, bool for_update) = 0;
  // Writes a loaded award back: its state and its review.
  virtual absl::Status Save(const DirectAward& award) = 0;
  // Up to `limit` awards the filter matches with ids after `after_id`, by id.
  virtual absl::StatusOr<std::vector<DirectAward>> List(const DirectAwardFilter& filter,
                                                        const std::string& after_id, int limit) = 0;
};

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_STORAGE_DIRECT_AWARD_REPOSITORY_H_
