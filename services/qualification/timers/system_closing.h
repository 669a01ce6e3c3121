// The closing timer: a LIVE purchasing system whose period of validity, with the extensions its
// lead authority exercised, has ended is CLOSED by the server (docs/rules.md section 3), with a
// history entry and a "qualification.system.closed" event, as when its lead closes it. A CLOSED
// system takes no new application, lot or referral.
//
// The schedule is the data, as for evidence expiry (evidence_expiry.h): the LIVE systems indexed
// by their last valid day (purchasing_systems.ends_on, migration 0008, kept with each save of the
// record, so an extension exercised moves it). A missed tick is caught up by the next one, and
// the process may restart between ticks; closing marks the record CLOSED in the transaction that
// announces it, so nothing closes twice. Several replicas may run it: rows are claimed with FOR
// UPDATE SKIP LOCKED.
#ifndef DPS_SERVICES_QUALIFICATION_TIMERS_SYSTEM_CLOSING_H_
#define DPS_SERVICES_QUALIFICATION_TIMERS_SYSTEM_CLOSING_H_

#include "absl/status/statusor.h"
#include "services/qualification/timers/ticks.h"

namespace dps::qualification {

class SystemClosingTimer final : public PeriodicTimer {
 public:
  // metrics: runs, systems closed, failures and the last clean tick (timer="system_closing").
  SystemClosingTimer(platform::PgPool& pool, const platform::Clock& clock,
                     platform::TimerMetrics metrics = {})
      : PeriodicTimer(pool, clock, metrics, "purchasing systems closed", "closing systems failed") {
  }

  // Closes every LIVE system whose last valid day is before the clock's UTC day; returns how
  // many closed.
  absl::StatusOr<int> RunOnce() override;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_TIMERS_SYSTEM_CLOSING_H_
