// The evidence-expiry timer: evidence whose last valid day has passed is marked EXPIRED and every
// membership resting on it is suspended, naming the criterion the evidence answered, so the
// provider knows what to resubmit.
//
// The timer's schedule is the data itself: the evidence table, indexed by expiry date, is the
// list of what falls due, so nothing is lost across a restart (a missed tick is caught up by the
// next one) and nothing fires twice (expiring marks the row EXPIRED in the same transaction as
// the suspensions and their events). Several processes may run it: rows are claimed with
// FOR UPDATE SKIP LOCKED. What expiring does is the use case's (app/evidence.h, ExpireDue); the
// timer runs it a batch at a time, each batch in its own transaction.
#ifndef DPS_SERVICES_QUALIFICATION_TIMERS_EVIDENCE_EXPIRY_H_
#define DPS_SERVICES_QUALIFICATION_TIMERS_EVIDENCE_EXPIRY_H_

#include "absl/status/statusor.h"
#include "services/qualification/timers/ticks.h"

namespace dps::qualification {

class EvidenceExpiryTimer final : public PeriodicTimer {
 public:
  // metrics: runs, evidence expired, failures and the last clean tick (timer="evidence_expiry").
  EvidenceExpiryTimer(platform::PgPool& pool, const platform::Clock& clock,
                      platform::TimerMetrics metrics = {})
      : PeriodicTimer(pool, clock, metrics, "evidence expired", "evidence expiry failed") {}

  // Expires everything due by the clock's current UTC day; returns how many pieces of evidence
  // expired.
  absl::StatusOr<int> RunOnce() override;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_TIMERS_EVIDENCE_EXPIRY_H_
