// What the referral service's timers share: the items fallen due (referrals past their deadline,
// blocks past their period) each handled in a transaction of its own, so one that fails is logged
// and tried again at the next tick without holding up the others. The timers run in the
// platform's one timer loop (platform/timer/timer_loop.h), which counts and logs each tick.
#ifndef DPS_SERVICES_REFERRAL_TIMERS_DUE_ITEMS_H_
#define DPS_SERVICES_REFERRAL_TIMERS_DUE_ITEMS_H_

#include <functional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "platform/pg/pool.h"
#include "platform/timer/timer_loop.h"

namespace dps::referral {

// Runs `handle` on each of `due` in its own transaction; `handle` says whether it did something
// (another process may have done it since the list was read). A failure is logged as `failure`
// with the item's id under `id_field`. Returns how many were done and how many failed.
platform::TimerTick HandleEachDue(
    platform::PgPool& pool, const std::vector<std::string>& due,
    const std::function<absl::StatusOr<bool>(pqxx::work&, const std::string&)>& handle,
    absl::string_view failure, absl::string_view id_field);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_TIMERS_DUE_ITEMS_H_
