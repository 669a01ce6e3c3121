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

// A tick's referrals closed and rankings settled together, as the timer's metrics and log count
// them.
absl::StatusOr<platform::TimerTick> Total(const absl::StatusOr<DeadlineTimer::Tally>& tally) {
  if (!tally.ok()) return tally.status();
  return platform::TimerTick{.done = tally->closing.done + tally->rankings.settled,
                             .failed = tally->closing.failed + tally->rankings.failed};
}

}  // namespace

absl::StatusOr<DeadlineTimer::Tally> DeadlineTimer::Tick() {
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
  return Tally{.closing = closing, .rankings = ranker_.SettleAllDue()};
}

int DeadlineTimer::RunOnce() {
  int closed = 0;
  (void)platform::RunTimerTick(metrics_, kLog, [&] {
    absl::StatusOr<Tally> tally = Tick();
    if (tally.ok()) closed = tally->closing.done;
    return Total(tally);
  });
  return closed;
}

void DeadlineTimer::Run(std::stop_token stop, absl::Duration interval) {
  platform::RunTimer(stop, interval, metrics_, kLog, [&] { return Total(Tick()); });
}

}  // namespace dps::referral
