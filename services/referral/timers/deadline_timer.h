// The response-deadline timer: an OPEN referral whose deadline has come is closed and ranked
// (api/closer.h) by the server, whether or not anyone asks.
//
// The schedule is the data itself: open referrals indexed by deadline, so nothing is lost across a
// restart (a missed tick is caught up by the next one) and nothing closes twice (the close moves
// the row out of OPEN in the same transaction). Each referral closes in its own transaction, so
// one that cannot close now (the scoring service down, say) is logged, stays OPEN and is tried
// again at the next tick without holding up the others. One that could never be ranked (the
// engine refuses its request) closes unranked, saying why, and so leaves the timer's schedule.
// Several processes may run it: rows are claimed with FOR UPDATE SKIP LOCKED.
#ifndef DPS_SERVICES_REFERRAL_TIMERS_DEADLINE_TIMER_H_
#define DPS_SERVICES_REFERRAL_TIMERS_DEADLINE_TIMER_H_

#include <stop_token>

#include "absl/time/time.h"
#include "platform/clock/clock.h"
#include "platform/metrics/timer_metrics.h"
#include "platform/pg/pool.h"
#include "services/referral/api/closer.h"

namespace dps::referral {

class DeadlineTimer {
 public:
  // metrics: runs, referrals closed, failures and the last clean tick (timer="referral_deadline").
  DeadlineTimer(platform::PgPool& pool, const platform::Clock& clock, const Closer& closer,
                platform::TimerMetrics metrics = {})
      : pool_(pool), clock_(clock), closer_(closer), metrics_(metrics) {}

  // Closes every referral due by the clock's now; returns how many closed. Failures to close one
  // are logged and counted out.
  int RunOnce();

  // RunOnce every `interval` until stopped.
  void Run(std::stop_token stop, absl::Duration interval);

 private:
  platform::PgPool& pool_;
  const platform::Clock& clock_;
  const Closer& closer_;
  platform::TimerMetrics metrics_;
};

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_TIMERS_DEADLINE_TIMER_H_
