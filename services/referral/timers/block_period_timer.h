// The block timer: an ACTIVE block contract whose period has run out is ENDED by the server on
// the period's last day, whether or not anyone asks, and referral.block.ended says so (not early;
// no one ended it, so ended_by stays unset). Its places are reserved no longer; call-offs running
// past it stay as they are (the children stay placed, only no longer in the block).
//
// As the deadline timer: the schedule is the data itself (ACTIVE blocks by their period's end),
// so a missed tick is caught up by the next and nothing ends twice; each block ends in its own
// transaction, claimed with FOR UPDATE SKIP LOCKED, so several processes may run it.
#ifndef DPS_SERVICES_REFERRAL_TIMERS_BLOCK_PERIOD_TIMER_H_
#define DPS_SERVICES_REFERRAL_TIMERS_BLOCK_PERIOD_TIMER_H_

#include <stop_token>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/clock/clock.h"
#include "platform/metrics/timer_metrics.h"
#include "platform/pg/pool.h"
#include "platform/timer/timer_loop.h"

namespace dps::referral {

class BlockPeriodTimer {
 public:
  // metrics: runs, blocks ended, failures and the last clean tick (timer="referral_block_period").
  BlockPeriodTimer(platform::PgPool& pool, const platform::Clock& clock,
                   platform::TimerMetrics metrics = {})
      : pool_(pool), clock_(clock), metrics_(metrics) {}

  // Ends every block whose period is over by the clock's today (UTC); returns how many ended.
  int RunOnce();

  // RunOnce every `interval` until stopped (platform/timer/timer_loop.h).
  void Run(std::stop_token stop, absl::Duration interval);

 private:
  absl::StatusOr<platform::TimerTick> Tick();

  platform::PgPool& pool_;
  const platform::Clock& clock_;
  platform::TimerMetrics metrics_;
};

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_TIMERS_BLOCK_PERIOD_TIMER_H_
