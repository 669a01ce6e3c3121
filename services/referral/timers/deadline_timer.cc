#include "services/referral/timers/deadline_timer.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "platform/log/log.h"
#include "platform/service/runtime.h"
#include "services/referral/app/closing.h"
#include "services/referral/storage/records.h"
#include "services/referral/timers/due_items.h"

namespace dps::referral {
namespace {

constexpr char kTimerUser[] = "deadline-timer";

}  // namespace

int DeadlineTimer::RunOnce() {
  metrics_.Ran();
  const absl::Time now = clock_.Now();
  std::vector<std::string> due;
  absl::Status listed = pool_.InTransaction([&](pqxx::work& tx) -> absl::Status {
    absl::StatusOr<std::vector<std::string>> ids = OpenReferralsDueBy(tx, now);
    if (!ids.ok()) return ids.status();
    due = *std::move(ids);
    return absl::OkStatus();
  });
  if (!listed.ok()) {
    platform::Log(platform::LogLevel::kError, "deadline timer could not list referrals",
                  {{"error", listed.ToString()}});
    metrics_.Failed();
    return 0;
  }
  const platform::CallerIdentity timer{
      .user_id = kTimerUser, .role = dps::common::v1::ROLE_SERVICE, .organisation_id = "dps"};
  const int closed = HandleEachDue(
      pool_, due,
      [&](pqxx::work& tx, const std::string& id) -> absl::StatusOr<bool> {
        // Another process, or a last answer, may have closed it since the list was read.
        absl::StatusOr<bool> claimed = ClaimOpenReferral(tx, id);
        if (!claimed.ok() || !*claimed) return claimed;
        v1::Referral referral;
        if (absl::Status s = LoadReferral(tx, id, true, referral); !s.ok()) return s;
        platform::Call call{.tx = tx, .caller = timer, .request_id = "", .now = now};
        if (absl::Status s = CloseReferral(call, referral, dps::events::v1::CLOSE_CAUSE_DEADLINE);
            !s.ok()) {
          return s;
        }
        return true;
      },
      metrics_, "referral could not close at its deadline", "referral_id");
  const Ranker::Tally rankings = ranker_.SettleAllDue();
  metrics_.Processed(rankings.settled);
  if (rankings.failed > 0) metrics_.Failed(rankings.failed);
  return closed;
}

void DeadlineTimer::Run(std::stop_token stop, absl::Duration interval) {
  while (!stop.stop_requested()) {
    const int closed = RunOnce();
    if (closed > 0) {
      platform::Log(platform::LogLevel::kInfo, "referrals closed at their deadline",
                    {{"count", absl::StrCat(closed)}});
    }
    platform::RunEvery(stop, interval);
  }
}

}  // namespace dps::referral
