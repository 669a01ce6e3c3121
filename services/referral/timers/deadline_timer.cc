#include "services/referral/timers/deadline_timer.h"

#include <string>
#include <vector>

#include "services/referral/app/closing.h"
#include "services/referral/storage/records.h"
#include "services/referral/timers/due_items.h"

namespace dps::referral {
namespace {

constexpr char kTimerUser[] = "deadline-timer";
const platform::TimerLog kLog{.done = "referrals closed at their deadline and rankings settled",
                              .failed = "deadline timer could not list referrals"};

}  // namespace

absl::StatusOr<platform::TimerTick> DeadlineTimer::Tick(int& closed) {
  const absl::Time now = clock_.Now();
  std::vector<std::string> due;
  absl::Status listed = pool_.InTransaction([&](pqxx::work& tx) -> absl::Status {
    absl::StatusOr<std::vector<std::string>> ids = OpenReferralsDueBy(tx, now);
    if (!ids.ok()) return ids.status();
    due = *std::move(ids);
    return absl::OkStatus();
  });
  if (!listed.ok()) return listed;
  const platform::CallerIdentity timer{
      .user_id = kTimerUser, .role = dps::common::v1::ROLE_SERVICE, .organisation_id = "dps"};
  const platform::TimerTick closing = HandleEachDue(
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
      "referral could not close at its deadline", "referral_id");
  closed = closing.done;
  const Ranker::Tally rankings = ranker_.SettleAllDue();
  return platform::TimerTick{.done = closing.done + rankings.settled,
                             .failed = closing.failed + rankings.failed};
}

int DeadlineTimer::RunOnce() {
  int closed = 0;
  (void)platform::RunTimerTick(metrics_, kLog, [&] { return Tick(closed); });
  return closed;
}

void DeadlineTimer::Run(std::stop_token stop, absl::Duration interval) {
  platform::RunTimer(stop, interval, metrics_, kLog, [&] {
    int closed = 0;
    return Tick(closed);
  });
}

}  // namespace dps::referral
