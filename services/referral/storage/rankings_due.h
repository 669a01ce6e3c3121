// Rankings waiting to be settled (migration 0007, app/ranking.h): a row per referral whose bids
// are to be ranked, or ranked again, with the generation that says which request the ranker is
// answering. Every function takes the caller's transaction.
#ifndef DPS_SERVICES_REFERRAL_STORAGE_RANKINGS_DUE_H_
#define DPS_SERVICES_REFERRAL_STORAGE_RANKINGS_DUE_H_

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dps/events/v1/events.pb.h"

namespace dps::referral {

struct RankingDue {
  int64_t generation = 0;
  // The close's event, to be announced with the ranking's figures; absent for a re-ranking.
  std::optional<dps::events::v1::ReferralClosed> closed_event;
};

// Asks for `referral_id`'s ranking: a new generation, so a ranker holding an older one applies
// nothing. A close's event is kept until the ranking is settled; a re-ranking asked before then
// keeps it too.
absl::Status RequestRanking(pqxx::work& tx, const std::string& referral_id, absl::Time now,
                            const std::optional<dps::events::v1::ReferralClosed>& closed_event);

// The ranking due for `referral_id`, if any; locked until the transaction ends when `for_update`.
absl::StatusOr<std::optional<RankingDue>> LoadRankingDue(pqxx::work& tx,
                                                         const std::string& referral_id,
                                                         bool for_update);

// The ranking is settled: its row goes.
absl::Status DropRankingDue(pqxx::work& tx, const std::string& referral_id);

// Referrals with a ranking due, oldest request first, at most `limit`.
absl::StatusOr<std::vector<std::string>> RankingsDue(pqxx::work& tx, int limit);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_STORAGE_RANKINGS_DUE_H_
