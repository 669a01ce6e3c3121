#include "platform/metrics/timer_metrics.h"

#include <string>

namespace dps::platform {

TimerMetrics::TimerMetrics(prometheus::Registry& registry, std::string_view timer) {
  const std::map<std::string, std::string> labels = {{"timer", std::string(timer)}};
  runs_ = &prometheus::BuildCounter()
               .Name("dps_timer_runs_total")
               .Help("Ticks a server timer has run")
               .Register(registry)
               .Add(labels);
  processed_ = &prometheus::BuildCounter()
                    .Name("dps_timer_processed_total")
                    .Help("Items a server timer has done (referrals closed, evidence expired)")
                    .Register(registry)
                    .Add(labels);
  failures_ = &prometheus::BuildCounter()
                   .Name("dps_timer_failures_total")
                   .Help("Timer ticks that failed, and items a tick could not do")
                   .Register(registry)
                   .Add(labels);
  last_success_ = &prometheus::BuildGauge()
                       .Name("dps_timer_last_success_timestamp_seconds")
                       .Help("When the last timer tick without a failure ended (Unix time)")
                       .Register(registry)
                       .Add(labels);
}

}  // namespace dps::platform
