#include "services/qualification/timers/system_closing.h"

#include "absl/strings/str_cat.h"
#include "services/qualification/app/system_state.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/working_days.h"
#include "services/qualification/storage/records.h"
#include "services/qualification/timers/ticks.h"

namespace dps::qualification {
namespace {

constexpr int kBatch = 20;
constexpr char kTimerUser[] = "system-closing-timer";

}  // namespace

absl::StatusOr<int> SystemClosingTimer::RunOnce() {
  int closed_total = 0;
  while (true) {
    int closed = 0;
    size_t read = 0;
    const absl::Time now = clock_.Now();
    const platform::CallerIdentity timer{
        .user_id = kTimerUser, .role = dps::common::v1::ROLE_SERVICE, .organisation_id = "dps"};
    absl::Status status = pool_.InTransaction([&](pqxx::work& tx) -> absl::Status {
      closed = 0;
      Call call{.tx = tx, .caller = timer, .request_id = "", .now = now};
      absl::StatusOr<std::vector<std::string>> due = LiveSystemsEndedBy(tx, UtcDay(now), kBatch);
      if (!due.ok()) return due.status();
      read = due->size();
      for (const std::string& id : *due) {
        v1::PurchasingSystem system;
        if (absl::Status s = LoadSystem(tx, id, true, system); !s.ok()) return s;
        // The record decides, not the copied column: the domain's end of validity with the
        // extensions exercised.
        absl::StatusOr<PurchasingSystem> domain = ToDomainSystem(system, {}, {});
        if (!domain.ok()) return domain.status();
        if (system.state() != v1::PURCHASING_SYSTEM_STATE_LIVE || !HasExpired(*domain, now)) {
          continue;
        }
        const std::string last_day = absl::FormatCivilTime(ValidUntil(domain->validity) - 1);
        if (absl::Status s =
                MoveSystemState(call, system, v1::PURCHASING_SYSTEM_STATE_CLOSED,
                                absl::StrCat("period of validity ended on ", last_day));
            !s.ok()) {
          return s;
        }
        ++closed;
      }
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    closed_total += closed;
    // A short batch was the last; a full one that closed nothing (its rows out of step with
    // their records) is not read again and again.
    if (read < kBatch || closed == 0) return closed_total;
  }
}

}  // namespace dps::qualification
