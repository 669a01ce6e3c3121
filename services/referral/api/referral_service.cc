#include "services/referral/api/referral_service.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "platform/log/log.h"
#include "services/referral/app/closing.h"
#include "services/referral/convert/convert.h"
#include "services/referral/domain/bid.h"
#include "services/referral/domain/participation.h"
#include "services/referral/storage/records.h"

namespace dps::referral {

using platform::Call;

absl::Status ReferralService::CloseIfAllAnswered(Call& call, v1::Referral& referral,
                                                 RankingAsked& ranking) {
  absl::StatusOr<bool> closed = dps::referral::CloseIfAllAnswered(call, referral);
  if (!closed.ok()) return closed.status();
  if (*closed) ranking.Ask(call, referral.id());
  return absl::OkStatus();
}

grpc::Status ReferralService::SettleAfter(grpc::Status change, const RankingAsked& ranking) const {
  if (!change.ok() || ranking.referral_id.empty()) return change;
  absl::StatusOr<bool> settled = ranker_.Settle(ranking.request_id, ranking.referral_id);
  if (!settled.ok()) {
    platform::Log(platform::LogLevel::kWarning,
                  "a referral's bids could not be ranked now; the deadline timer will try again",
                  {{"referral_id", ranking.referral_id},
                   {"request_id", ranking.request_id},
                   {"error", settled.status().ToString()}});
  }
  return change;
}

}  // namespace dps::referral
