#include "services/referral/timers/due_items.h"

#include "absl/time/clock.h"
#include "platform/log/log.h"

namespace dps::referral {

int HandleEachDue(
    platform::PgPool& pool, const std::vector<std::string>& due,
    const std::function<absl::StatusOr<bool>(pqxx::work&, const std::string&)>& handle,
    const platform::TimerMetrics& metrics, absl::string_view failure, absl::string_view id_field) {
  int done = 0;
  int failed = 0;
  for (const std::string& id : due) {
    bool done_now = false;
    absl::Status status = pool.InTransaction([&](pqxx::work& tx) -> absl::Status {
      absl::StatusOr<bool> handled = handle(tx, id);
      if (!handled.ok()) return handled.status();
      done_now = *handled;
      return absl::OkStatus();
    });
    if (status.ok() && done_now) ++done;
    if (!status.ok()) {
      ++failed;
      const std::string error = status.ToString();
      platform::Log(platform::LogLevel::kError, failure, {{id_field, id}, {"error", error}});
    }
  }
  metrics.Processed(done);
  if (failed > 0) {
    metrics.Failed(failed);
  } else {
    metrics.Succeeded(absl::Now());
  }
  return done;
}

}  // namespace dps::referral
