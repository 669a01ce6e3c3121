#include "platform/timer/timer_loop.h"

#include <prometheus/registry.h>

#include <catch2/catch.hpp>
#include <map>
#include <stop_token>
#include <string>

namespace dps::platform {
namespace {

// The value of each of the timer's series, by family name.
std::map<std::string, double> Values(prometheus::Registry& registry) {
  std::map<std::string, double> out;
  for (const prometheus::MetricFamily& family : registry.Collect()) {
    const prometheus::ClientMetric& metric = family.metric.at(0);
    out[family.name] =
        family.type == prometheus::MetricType::Gauge ? metric.gauge.value : metric.counter.value;
  }
  return out;
}

const TimerLog kLog{.done = "things done", .failed = "things failed"};

TEST_CASE("a clean tick counts its run and its items, and when it last ran clean") {
  prometheus::Registry registry;
  const TimerMetrics metrics(registry, "things");
  absl::StatusOr<TimerTick> tick =
      RunTimerTick(metrics, kLog, [] { return TimerTick{.done = 2, .failed = 0}; });
  REQUIRE(tick.ok());
  CHECK(tick->done == 2);
  std::map<std::string, double> values = Values(registry);
  CHECK(values["dps_timer_runs_total"] == 1);
  CHECK(values["dps_timer_processed_total"] == 2);
  CHECK(values["dps_timer_failures_total"] == 0);
  CHECK(values["dps_timer_last_success_timestamp_seconds"] > 0);
}

TEST_CASE("items a tick could not do are failures, and the tick is not clean") {
  prometheus::Registry registry;
  const TimerMetrics metrics(registry, "things");
  REQUIRE(RunTimerTick(metrics, kLog, [] { return TimerTick{.done = 1, .failed = 3}; }).ok());
  std::map<std::string, double> values = Values(registry);
  CHECK(values["dps_timer_processed_total"] == 1);
  CHECK(values["dps_timer_failures_total"] == 3);
  CHECK(values["dps_timer_last_success_timestamp_seconds"] == 0);
}

TEST_CASE("a tick that cannot run is one failure, and its error is returned") {
  prometheus::Registry registry;
  const TimerMetrics metrics(registry, "things");
  absl::StatusOr<TimerTick> tick = RunTimerTick(
      metrics, kLog, []() -> absl::StatusOr<TimerTick> { return absl::UnavailableError("down"); });
  CHECK(tick.status().code() == absl::StatusCode::kUnavailable);
  std::map<std::string, double> values = Values(registry);
  CHECK(values["dps_timer_runs_total"] == 1);
  CHECK(values["dps_timer_processed_total"] == 0);
  CHECK(values["dps_timer_failures_total"] == 1);
  CHECK(values["dps_timer_last_success_timestamp_seconds"] == 0);
}

TEST_CASE("the loop ticks until stopped, and a stop ends its wait") {
  std::stop_source stop;
  int ticks = 0;
  // An hour's interval: the loop returns only because the stop cuts the wait short.
  RunTimer(stop.get_token(), absl::Hours(1), TimerMetrics(), kLog, [&] {
    if (++ticks == 1) stop.request_stop();
    return TimerTick{};
  });
  CHECK(ticks == 1);
  // Stopped before it starts, it does not tick at all.
  RunTimer(stop.get_token(), absl::Hours(1), TimerMetrics(), kLog, [&] {
    ++ticks;
    return TimerTick{};
  });
  CHECK(ticks == 1);
}

}  // namespace
}  // namespace dps::platform
