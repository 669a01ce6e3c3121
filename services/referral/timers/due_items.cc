#include "services/referral/timers/due_items.h"

#include "platform/log/log.h"

namespace dps::referral {

platform::TimerTick HandleEachDue(
    platform::PgPool& pool, const std::vector<std::string>& due,
    const std::function<absl::StatusOr<bool>(pqxx::work&, const std::string&)>& handle,
    absl::string_view failure, absl::string_view id_field) {
  platform::TimerTick tick;
  for (const std::string& id : due) {
    bool done_now = false;
    absl::Status status = pool.InTransaction([&](pqxx::work& tx) -> absl::Status {
      absl::StatusOr<bool> handled = handle(tx, id);
      if (!handled.ok()) return handled.status();
      done_now = *handled;
      return absl::OkStatus();
    });
    if (status.ok() && done_now) ++tick.done;
    if (!status.ok()) {
      ++tick.failed;
      const std::string error = status.ToString();
      platform::Log(platform::LogLevel::kError, failure, {{id_field, id}, {"error", error}});
    }
  }
  return tick;
}

}  // namespace dps::referral
