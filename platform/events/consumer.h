// Consuming a Redis stream with exactly-once effects.
//
// A StreamConsumer reads its consumer group's messages and applies them in a PostgreSQL
// transaction that also records each event id in processed_events (the idempotent-consumer
// ledger): a batch read together is applied in one transaction, falling back to one event per
// transaction when one of them fails. Only after the commit does it acknowledge (XACK). So:
//   - a crash before the commit leaves the message pending; it is claimed again once it has
//     been idle for min_idle and applied then;
//   - a crash after the commit and before the XACK redelivers it; the ledger says it was
//     applied, so it is acknowledged without a second effect;
//   - a message that fails max_deliveries times, or that the handler rejects as malformed
//     (INVALID_ARGUMENT), moves to the dead-letter stream "<stream>.dead-letter" with the reason,
//     and is acknowledged, so one bad event cannot stall the stream;
//   - an entry the relay cannot have written (its event_id missing or not a UUID, no type) is
//     dead-lettered as soon as it is read, without a transaction: retrying it could never help.
// Each dead letter carries the original entry's fields, the reason and the delivery count, and
// is counted in dps_consumer_dead_lettered_total.
#ifndef DPS_PLATFORM_EVENTS_CONSUMER_H_
#define DPS_PLATFORM_EVENTS_CONSUMER_H_

#include <functional>
#include <optional>
#include <pqxx/pqxx>
#include <stop_token>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/events/redis_client.h"
#include "platform/pg/pool.h"

namespace prometheus {
class Registry;
class Gauge;
class Counter;
}  // namespace prometheus

namespace dps::platform {

// One delivered event, as the relay published it.
struct StreamEvent {
  std::string stream;
  std::string entry_id;  // the Redis stream entry id
  std::string event_id;  // the outbox UUID: the same across redeliveries
  std::string type;
  std::string aggregate_id;
  std::string request_id;
  std::string created_at;
  std::string payload;
  int64_t deliveries = 1;
};

struct ConsumerOptions {
  std::string stream;
  std::string group;     // one group per consuming service and purpose
  std::string consumer;  // unique within the group, e.g. host and pid
  int batch_size = 100;
  absl::Duration block = absl::Milliseconds(500);  // XREADGROUP BLOCK
  absl::Duration min_idle = absl::Seconds(30);     // reclaim pending messages idle this long
  int max_deliveries = 5;                          // then dead-letter
};

// Applies one event inside the consumer's transaction. Return INVALID_ARGUMENT for an event that
// can never be applied (dead-lettered at once); any other error is retried.
using EventHandler = std::function<absl::Status(pqxx::work&, const StreamEvent&)>;

// Runs for each event before the transaction that applies it opens: for what must not be done
// holding a connection or a lock, such as asking another service. It leaves what it learns where
// the handler will find it (a cache of its own). Its errors count as the handler's:
// INVALID_ARGUMENT dead-letters the event, anything else retries it.
using EventPreparer = std::function<absl::Status(const StreamEvent&)>;

// Why an entry can never be applied whatever its handler does ("event_id: not a UUID"), or
// nullopt for an entry as the relay writes them.
std::optional<std::string> PoisonReason(const StreamEvent& event);

// Records event_id for group in the caller's transaction. Returns false when it was already
// recorded (the event has been applied before and must not be applied again).
absl::StatusOr<bool> MarkEventProcessed(pqxx::work& tx, const std::string& group,
                                        const std::string& event_id);

class StreamConsumer final {
 public:
  StreamConsumer(ConsumerOptions options, RedisClient& redis, PgPool& pool, EventHandler handler,
                 prometheus::Registry* registry, EventPreparer prepare = nullptr);

  // One round: reclaim and apply idle pending messages (dead-lettering those delivered too often),
  // then read and apply new ones. Returns how many messages were acknowledged.
  absl::StatusOr<int> PollOnce();

  // Polls until stop is requested, backing off while Redis or PostgreSQL is down.
  void Run(std::stop_token stop);

  // Updates the lag and pending gauges from XINFO GROUPS.
  absl::Status RefreshLag();

 private:
  absl::Status EnsureGroup();
  absl::StatusOr<int> ReclaimIdle();
  absl::StatusOr<int> ReadNew();
  absl::StatusOr<int> ApplyEntries(const RedisValue& entries, int64_t deliveries);
  // Applies and acknowledges events together; on any failure applies and acknowledges none.
  absl::StatusOr<int> ApplyBatch(const std::vector<StreamEvent>& events);
  // Applies one event and acknowledges it; returns whether it was acknowledged.
  absl::StatusOr<bool> Apply(const StreamEvent& event);
  absl::Status DeadLetter(const StreamEvent& event, const std::string& reason);

  const ConsumerOptions options_;
  RedisClient& redis_;
  PgPool& pool_;
  const EventHandler handler_;
  const EventPreparer prepare_;
  bool group_ready_ = false;
  absl::Time next_reclaim_ = absl::InfinitePast();
  prometheus::Counter* applied_ = nullptr;
  prometheus::Counter* duplicates_ = nullptr;
  prometheus::Counter* failures_ = nullptr;
  prometheus::Counter* dead_lettered_ = nullptr;
  prometheus::Gauge* lag_ = nullptr;
  prometheus::Gauge* pending_ = nullptr;
};

}  // namespace dps::platform

#endif  // DPS_PLATFORM_EVENTS_CONSUMER_H_
