// The response-deadline timer: an OPEN referral whose deadline has come is closed
// (app/closing.h) by the server, whether or not anyone asks; then every ranking due is settled
// (app/ranking.h): those of the referrals just closed, and any a handler could not settle at once
// (the qualification or scoring service down or slow).
//
// The schedule is the data itself: open referrals indexed by deadline and the rankings due, so
// nothing is lost across a restart (a missed tick is caught up by the next one) and nothing is
// done twice (the close moves the row out of OPEN in the same transaction; a ranking is applied
// only at the generation it was computed for, and its row dropped with it). Each referral closes
// in its own transaction, asking no other service, and each ranking is settled on its own, so one
// that cannot be done now is logged and tried again at the next tick without holding up the
// others. Several processes may run it: rows are claimed with FOR UPDATE SKIP LOCKED.
#ifndef DPS_SERVICES_REFERRAL_TIMERS_DEADLINE_TIMER_H_
#define DPS_SERVICES_REFERRAL_TIMERS_DEADLINE_TIMER_H_

#include <stop_token>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/clock/clock.h"
#include "platform/metrics/timer_metrics.h"
#include "platform/pg/pool.h"
#include "platform/timer/timer_loop.h"
#include "services/referral/app/ranking.h"

namespace dps::referral {

class DeadlineTimer {
 public:
  // What one tick did: the referrals closed, and the rankings settled after them.
  struct Tally {
    platform::TimerTick closing;
    Ranker::Tally rankings;
  };

  // metrics: runs, referrals closed and rankings settled, failures and the last clean tick
  // (timer="referral_deadline").
  DeadlineTimer(platform::PgPool& pool, const platform::Clock& clock, const Ranker& ranker,
                platform::TimerMetrics metrics = {})
      : pool_(pool), clock_(clock), ranker_(ranker), metrics_(metrics) {}

  // Closes every referral due by the clock's now, then settles every ranking due; returns how
  // many referrals closed. Failures are logged and counted out.
  int RunOnce();

  // RunOnce every `interval` until stopped (platform/timer/timer_loop.h).
  void Run(std::stop_token stop, absl::Duration interval);

 private:
  absl::StatusOr<Tally> Tick();

  platform::PgPool& pool_;
  const platform::Clock& clock_;
  const Ranker& ranker_;
  platform::TimerMetrics metrics_;
};

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_TIMERS_DEADLINE_TIMER_H_
