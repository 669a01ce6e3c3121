#include "platform/events/relay.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "platform/events/outbox.h"
#include "platform/fault/fault.h"
#include "platform/log/log.h"

namespace dps::platform {
namespace {

// Oldest unpublished first; SKIP LOCKED lets a second relay started by mistake pass over rows
// the first holds instead of blocking on them.
constexpr char kSelectBatch[] = R"sql(
  SELECT id, event_id::text, stream, event_type, aggregate_id, request_id, payload,
         to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
  FROM outbox
  WHERE published_at IS NULL
  ORDER BY id
  LIMIT $1
  FOR UPDATE SKIP LOCKED)sql";

constexpr char kBacklog[] = R"sql(
  SELECT count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)
  FROM outbox WHERE published_at IS NULL)sql";

constexpr char kPrune[] =
    "DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < now() - $1::interval";

}  // namespace

OutboxRelay::OutboxRelay(RelayOptions options, PgPool& pool, RedisClient& redis,
                         prometheus::Registry* registry)
    : options_(std::move(options)), pool_(pool), redis_(redis) {
  if (registry == nullptr) return;
  const std::map<std::string, std::string> labels = {{"schema", options_.schema}};
  published_ = &prometheus::BuildCounter()
                    .Name("dps_outbox_published_total")
                    .Help("Outbox events published to Redis Streams")
                    .Register(*registry)
                    .Add(labels);
  failures_ = &prometheus::BuildCounter()
                   .Name("dps_outbox_publish_failures_total")
                   .Help("Relay batches that failed (PostgreSQL or Redis unavailable)")
                   .Register(*registry)
                   .Add(labels);
  backlog_ = &prometheus::BuildGauge()
                  .Name("dps_outbox_backlog")
                  .Help("Outbox events not yet published")
                  .Register(*registry)
                  .Add(labels);
  oldest_age_ = &prometheus::BuildGauge()
                     .Name("dps_outbox_oldest_unpublished_age_seconds")
                     .Help("Age of the oldest unpublished outbox event")
                     .Register(*registry)
                     .Add(labels);
}

absl::StatusOr<int> OutboxRelay::PublishBatch() {
  int published = 0;
  absl::Status status = pool_.InTransaction([&](pqxx::work& tx) -> absl::Status {
    const pqxx::result rows = tx.exec_params(kSelectBatch, options_.batch_size);
    if (rows.empty()) return absl::OkStatus();
    FaultPoint("relay.before_publish");

    // Step 1: send the whole batch to Redis in one round trip.
    std::vector<std::vector<std::string>> commands;
    commands.reserve(rows.size());
    std::vector<std::string> ids;
    ids.reserve(rows.size());
    for (const pqxx::row& row : rows) {
      ids.push_back(row[0].as<std::string>());
      const std::string stream = row[2].as<std::string>();
      if (!options_.only_stream.empty() && stream != options_.only_stream) {
        Log(LogLevel::kError, "relay: outbox row names another service's stream; not published",
            {{"schema", options_.schema},
             {"event_id", row[1].as<std::string>()},
             {"stream", stream.substr(0, 64)}});
        continue;
      }
      const pqxx::binarystring payload(row[6]);
      commands.push_back({"XADD", stream, "MAXLEN", "~", std::to_string(options_.stream_max_length),
                          "*", stream_field::kEventId, row[1].as<std::string>(),
                          stream_field::kType, row[3].as<std::string>(), stream_field::kAggregateId,
                          row[4].as<std::string>(), stream_field::kRequestId,
                          row[5].as<std::string>(), stream_field::kCreatedAt,
                          row[7].as<std::string>(), stream_field::kPayload, payload.str()});
    }
    if (!commands.empty()) {
      absl::StatusOr<std::vector<absl::StatusOr<RedisValue>>> replies = redis_.Pipeline(commands);
      if (!replies.ok()) return replies.status();
      for (const auto& reply : *replies) {
        if (!reply.ok()) return reply.status();
      }
    }
    FaultPoint("relay.after_publish");

    // Step 2: stamp them published; the ids are integers we read, so joining them is safe.
    tx.exec0(absl::StrCat("UPDATE outbox SET published_at = now() WHERE id IN (",
                          absl::StrJoin(ids, ","), ")"));
    published = static_cast<int>(rows.size());
    return absl::OkStatus();
  });
  if (!status.ok()) {
    if (failures_ != nullptr) failures_->Increment();
    return status;
  }
  if (published_ != nullptr) published_->Increment(published);
  return published;
}

absl::Status OutboxRelay::Maintain() {
  return pool_.InTransaction([&](pqxx::work& tx) -> absl::Status {
    const pqxx::row backlog = tx.exec1(kBacklog);
    if (backlog_ != nullptr) backlog_->Set(backlog[0].as<double>());
    if (oldest_age_ != nullptr) oldest_age_->Set(backlog[1].as<double>());
    tx.exec_params0(kPrune, absl::StrCat(absl::ToInt64Seconds(options_.retention), " seconds"));
    return absl::OkStatus();
  });
}

void OutboxRelay::Run(std::stop_token stop) {
  absl::Duration backoff = absl::Milliseconds(100);
  absl::Time next_maintenance = absl::InfinitePast();
  while (!stop.stop_requested()) {
    if (absl::Now() >= next_maintenance) {
      if (absl::Status status = Maintain(); !status.ok()) {
        Log(LogLevel::kWarning, "outbox maintenance failed",
            {{"schema", options_.schema}, {"error", status.message()}});
      }
      next_maintenance = absl::Now() + absl::Seconds(5);
    }
    absl::StatusOr<int> published = PublishBatch();
    if (!published.ok()) {
      Log(LogLevel::kWarning, "outbox relay batch failed; retrying",
          {{"schema", options_.schema}, {"error", published.status().message()}});
      std::this_thread::sleep_for(absl::ToChronoMilliseconds(backoff));
      backoff = std::min(backoff * 2, absl::Seconds(5));
      continue;
    }
    backoff = absl::Milliseconds(100);
    if (*published == 0) WaitForNotify();
  }
}

void OutboxRelay::WaitForNotify() {
  // The insert trigger NOTIFYs dps_outbox, so the relay wakes at once when there is work and
  // otherwise sleeps at most idle_wait. Without a listening connection it simply sleeps.
  try {
    if (listener_ == nullptr) {
      absl::StatusOr<std::unique_ptr<pqxx::connection>> opened = pool_.OpenDedicated();
      if (opened.ok()) {
        listener_ = std::move(*opened);
        receiver_ = std::make_unique<WakeOnNotify>(*listener_);
      }
    }
    if (listener_ != nullptr) {
      listener_->await_notification(
          0, static_cast<long>(absl::ToInt64Microseconds(options_.idle_wait)));
      return;
    }
  } catch (const std::exception&) {
    receiver_.reset();
    listener_.reset();
  }
  std::this_thread::sleep_for(absl::ToChronoMilliseconds(options_.idle_wait));
}

}  // namespace dps::platform
