#include "platform/events/consumer.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <optional>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "platform/events/outbox.h"
#include "platform/fault/fault.h"
#include "platform/log/log.h"

namespace dps::platform {
namespace {

constexpr char kMarkProcessed[] = R"sql(
  INSERT INTO processed_events (consumer_group, event_id) VALUES ($1, $2::uuid)
  ON CONFLICT DO NOTHING)sql";

// Builds an event from an XREADGROUP / XCLAIM entry: [id, [field, value, ...]].
StreamEvent ToEvent(const std::string& stream, const RedisValue& entry, int64_t deliveries) {
  StreamEvent event;
  event.stream = stream;
  event.entry_id = entry.elements[0].string;
  event.deliveries = deliveries;
  const auto& fields = entry.elements[1].elements;
  for (size_t i = 0; i + 1 < fields.size(); i += 2) {
    const std::string& name = fields[i].string;
    const std::string& value = fields[i + 1].string;
    if (name == stream_field::kEventId)
      event.event_id = value;
    else if (name == stream_field::kType)
      event.type = value;
    else if (name == stream_field::kAggregateId)
      event.aggregate_id = value;
    else if (name == stream_field::kRequestId)
      event.request_id = value;
    else if (name == stream_field::kCreatedAt)
      event.created_at = value;
    else if (name == stream_field::kPayload)
      event.payload = value;
  }
  return event;
}

// The canonical text form of a UUID, as PostgreSQL prints one: 8-4-4-4-12 hex digits.
bool IsUuid(const std::string& text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !absl::ascii_isxdigit(static_cast<unsigned char>(text[i]))) {
      return false;
    }
  }
  return true;
}

bool IsEntry(const RedisValue& v) {
  return v.type == RedisValue::Type::kArray && v.elements.size() == 2 &&
         v.elements[1].type == RedisValue::Type::kArray;
}

}  // namespace

std::optional<std::string> PoisonReason(const StreamEvent& event) {
  if (event.event_id.empty()) return "event_id: missing";
  if (!IsUuid(event.event_id)) return "event_id: not a UUID";
  if (event.type.empty()) return "type: missing";
  return std::nullopt;
}

absl::StatusOr<bool> MarkEventProcessed(pqxx::work& tx, const std::string& group,
                                        const std::string& event_id) {
  return tx.exec_params(kMarkProcessed, group, event_id).affected_rows() == 1;
}

StreamConsumer::StreamConsumer(ConsumerOptions options, RedisClient& redis, PgPool& pool,
                               EventHandler handler, prometheus::Registry* registry,
                               EventPreparer prepare)
    : options_(std::move(options)),
      redis_(redis),
      pool_(pool),
      handler_(std::move(handler)),
      prepare_(std::move(prepare)) {
  if (registry == nullptr) return;
  const std::map<std::string, std::string> labels = {{"stream", options_.stream},
                                                     {"group", options_.group}};
  auto counter = [&](const char* name, const char* help) {
    return &prometheus::BuildCounter().Name(name).Help(help).Register(*registry).Add(labels);
  };
  auto gauge = [&](const char* name, const char* help) {
    return &prometheus::BuildGauge().Name(name).Help(help).Register(*registry).Add(labels);
  };
  applied_ = counter("dps_consumer_applied_total", "Events applied and acknowledged");
  duplicates_ =
      counter("dps_consumer_duplicates_total", "Redelivered events recognised as already applied");
  failures_ = counter("dps_consumer_failures_total", "Event applications that failed");
  dead_lettered_ = counter("dps_consumer_dead_lettered_total", "Events moved to dead letter");
  lag_ = gauge("dps_consumer_lag", "Stream entries not yet delivered to the group");
  pending_ = gauge("dps_consumer_pending", "Entries delivered but not yet acknowledged");
}

absl::Status StreamConsumer::EnsureGroup() {
  if (group_ready_) return absl::OkStatus();
  absl::StatusOr<RedisValue> created =
      redis_.Command({"XGROUP", "CREATE", options_.stream, options_.group, "0", "MKSTREAM"});
  if (!created.ok() && !absl::StartsWith(created.status().message(), "BUSYGROUP")) {
    return created.status();
  }
  group_ready_ = true;
  return absl::OkStatus();
}

absl::StatusOr<bool> StreamConsumer::Apply(const StreamEvent& event) {
  absl::StatusOr<int> applied = ApplyBatch({event});
  if (applied.ok()) return true;
  if (failures_ != nullptr) failures_->Increment();
  // An event that can never be applied (no event id, or one its handler calls malformed) goes
  // to the dead-letter stream at once; anything else stays pending and is retried.
  if (!absl::IsInvalidArgument(applied.status())) return applied.status();
  if (absl::Status dead = DeadLetter(event, std::string(applied.status().message())); !dead.ok()) {
    return dead;
  }
  return true;
}

absl::Status StreamConsumer::DeadLetter(const StreamEvent& event, const std::string& why) {
  // A handler's reason may quote the entry; the entry itself is kept whole beside it.
  const std::string reason = Truncated(why, 256);
  absl::StatusOr<std::vector<absl::StatusOr<RedisValue>>> replies = redis_.Pipeline({
      {"XADD",
       options_.stream + ".dead-letter",
       "*",
       "original_stream",
       event.stream,
       "original_entry_id",
       event.entry_id,
       "group",
       options_.group,
       "reason",
       reason,
       "deliveries",
       std::to_string(event.deliveries),
       stream_field::kEventId,
       event.event_id,
       stream_field::kType,
       event.type,
       stream_field::kAggregateId,
       event.aggregate_id,
       stream_field::kRequestId,
       event.request_id,
       stream_field::kCreatedAt,
       event.created_at,
       stream_field::kPayload,
       event.payload},
      {"XACK", options_.stream, options_.group, event.entry_id},
  });
  if (!replies.ok()) return replies.status();
  for (const auto& reply : *replies) {
    if (!reply.ok()) return reply.status();
  }
  if (dead_lettered_ != nullptr) dead_lettered_->Increment();
  Log(LogLevel::kError, "event dead-lettered",
      {{"stream", event.stream},
       {"group", options_.group},
       {"entry", event.entry_id},
       {"event_id", Truncated(event.event_id)},
       {"type", Truncated(event.type)},
       {"reason", reason}});
  return absl::OkStatus();
}

absl::StatusOr<int> StreamConsumer::ApplyBatch(const std::vector<StreamEvent>& events) {
  int applied = 0;
  int duplicates = 0;
  if (prepare_) {
    for (const StreamEvent& event : events) {
      if (PoisonReason(event)) continue;  // refused below, before any handler sees it
      if (absl::Status prepared = prepare_(event); !prepared.ok()) return prepared;
    }
  }
  absl::Status status = pool_.InTransaction([&](pqxx::work& tx) -> absl::Status {
    for (const StreamEvent& event : events) {
      if (std::optional<std::string> poison = PoisonReason(event)) {
        return absl::InvalidArgumentError(*poison);
      }
      absl::StatusOr<bool> first = MarkEventProcessed(tx, options_.group, event.event_id);
      if (!first.ok()) return first.status();
      if (!*first) {
        ++duplicates;
        continue;
      }
      if (absl::Status handled = handler_(tx, event); !handled.ok()) return handled;
      ++applied;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  FaultPoint("consumer.after_commit");
  std::vector<std::string> ack = {"XACK", options_.stream, options_.group};
  for (const StreamEvent& event : events) ack.push_back(event.entry_id);
  if (absl::StatusOr<RedisValue> acked = redis_.Command(ack); !acked.ok()) return acked.status();
  if (applied_ != nullptr) applied_->Increment(applied);
  if (duplicates_ != nullptr) duplicates_->Increment(duplicates);
  return static_cast<int>(events.size());
}

absl::StatusOr<int> StreamConsumer::ApplyEntries(const RedisValue& entries, int64_t deliveries) {
  std::vector<StreamEvent> events;
  int dead_on_arrival = 0;
  for (const RedisValue& entry : entries.elements) {
    // XCLAIM returns nil for entries trimmed from the stream meanwhile.
    if (!IsEntry(entry)) continue;
    StreamEvent event = ToEvent(options_.stream, entry, deliveries);
    // An entry no handler could ever apply (not one the relay wrote) leaves the stream at once
    // rather than failing every batch it is read with until it has been delivered too often.
    if (std::optional<std::string> poison = PoisonReason(event)) {
      if (failures_ != nullptr) failures_->Increment();
      if (absl::Status dead = DeadLetter(event, *poison); !dead.ok()) return dead;
      ++dead_on_arrival;
      continue;
    }
    events.push_back(std::move(event));
  }
  // Step 1: the whole batch in one transaction and one XACK: one commit (one fsync) for many
  // events is what lets a consumer keep up with its producers.
  if (events.size() > 1) {
    absl::StatusOr<int> batch = ApplyBatch(events);
    if (batch.ok()) return *batch + dead_on_arrival;
    if (IsConnectionFailure(batch.status()) || IsRedisUnavailable(batch.status())) return batch;
    // Step 2: an event of the batch failed, so nothing of it was applied. Apply them one by one
    // so the others go through and only the failing one is retried or dead-lettered.
    if (failures_ != nullptr) failures_->Increment();
  }
  int acknowledged = dead_on_arrival;
  for (const StreamEvent& event : events) {
    absl::StatusOr<bool> done = Apply(event);
    if (!done.ok()) {
      if (IsConnectionFailure(done.status()) || IsRedisUnavailable(done.status())) {
        return done.status();  // stop this round; the rest stay pending
      }
      Log(LogLevel::kWarning, "event not applied; it will be retried",
          {{"stream", options_.stream},
           {"entry", event.entry_id},
           {"error", done.status().message()}});
      continue;
    }
    if (*done) ++acknowledged;
  }
  return acknowledged;
}

absl::StatusOr<int> StreamConsumer::ReclaimIdle() {
  const std::string min_idle_ms = std::to_string(absl::ToInt64Milliseconds(options_.min_idle));
  absl::StatusOr<RedisValue> pending =
      redis_.Command({"XPENDING", options_.stream, options_.group, "IDLE", min_idle_ms, "-", "+",
                      std::to_string(options_.batch_size)});
  if (!pending.ok()) return pending.status();
  int acknowledged = 0;
  for (const RedisValue& item : pending->elements) {
    // [entry id, consumer, idle ms, times delivered]
    if (item.elements.size() < 4) continue;
    const std::string& entry_id = item.elements[0].string;
    const int64_t delivered = item.elements[3].integer;
    absl::StatusOr<RedisValue> claimed = redis_.Command(
        {"XCLAIM", options_.stream, options_.group, options_.consumer, min_idle_ms, entry_id});
    if (!claimed.ok()) return claimed.status();
    if (delivered >= options_.max_deliveries) {
      for (const RedisValue& entry : claimed->elements) {
        if (!IsEntry(entry)) continue;
        StreamEvent event = ToEvent(options_.stream, entry, delivered);
        absl::Status dead =
            DeadLetter(event, absl::StrCat("not applied after ", delivered, " deliveries"));
        if (!dead.ok()) return dead;
        ++acknowledged;
      }
      continue;
    }
    absl::StatusOr<int> applied = ApplyEntries(*claimed, delivered + 1);
    if (!applied.ok()) return applied.status();
    acknowledged += *applied;
  }
  return acknowledged;
}

absl::StatusOr<int> StreamConsumer::ReadNew() {
  absl::StatusOr<RedisValue> read = redis_.Command(
      {"XREADGROUP", "GROUP", options_.group, options_.consumer, "COUNT",
       std::to_string(options_.batch_size), "BLOCK",
       std::to_string(absl::ToInt64Milliseconds(options_.block)), "STREAMS", options_.stream, ">"});
  if (!read.ok()) {
    // Redis lost the group (e.g. restarted without its data): create it again next round.
    if (absl::StartsWith(read.status().message(), "NOGROUP")) group_ready_ = false;
    return read.status();
  }
  if (read->is_nil() || read->elements.empty()) return 0;  // BLOCK timed out
  return ApplyEntries(read->elements[0].elements[1], 1);
}

absl::StatusOr<int> StreamConsumer::PollOnce() {
  if (absl::Status status = EnsureGroup(); !status.ok()) return status;
  int acknowledged = 0;
  if (absl::Now() >= next_reclaim_) {
    absl::StatusOr<int> reclaimed = ReclaimIdle();
    if (!reclaimed.ok()) return reclaimed.status();
    acknowledged += *reclaimed;
    next_reclaim_ = absl::Now() + std::min(options_.min_idle / 2, absl::Seconds(5));
  }
  absl::StatusOr<int> fresh = ReadNew();
  if (!fresh.ok()) return fresh.status();
  return acknowledged + *fresh;
}

absl::Status StreamConsumer::RefreshLag() {
  absl::StatusOr<RedisValue> groups = redis_.Command({"XINFO", "GROUPS", options_.stream});
  if (!groups.ok()) return groups.status();
  for (const RedisValue& group : groups->elements) {
    bool ours = false;
    int64_t lag = 0, pending = 0;
    for (size_t i = 0; i + 1 < group.elements.size(); i += 2) {
      const std::string& key = group.elements[i].string;
      const RedisValue& value = group.elements[i + 1];
      if (key == "name") ours = value.string == options_.group;
      if (key == "lag") lag = value.integer;
      if (key == "pending") pending = value.integer;
    }
    if (!ours) continue;
    if (lag_ != nullptr) lag_->Set(static_cast<double>(lag));
    if (pending_ != nullptr) pending_->Set(static_cast<double>(pending));
  }
  return absl::OkStatus();
}

void StreamConsumer::Run(std::stop_token stop) {
  absl::Duration backoff = absl::Milliseconds(100);
  absl::Time next_lag = absl::InfinitePast();
  while (!stop.stop_requested()) {
    absl::StatusOr<int> round = PollOnce();
    if (!round.ok()) {
      Log(LogLevel::kWarning, "consumer round failed; retrying",
          {{"stream", options_.stream},
           {"group", options_.group},
           {"error", round.status().message()}});
      std::this_thread::sleep_for(absl::ToChronoMilliseconds(backoff));
      backoff = std::min(backoff * 2, absl::Seconds(5));
      continue;
    }
    backoff = absl::Milliseconds(100);
    if (absl::Now() >= next_lag) {
      (void)RefreshLag();
      next_lag = absl::Now() + absl::Seconds(5);
    }
  }
}

}  // namespace dps::platform
