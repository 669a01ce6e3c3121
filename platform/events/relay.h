// The outbox relay: publishes each service schema's outbox to Redis Streams.
//
// One relay per schema, in id order. A batch is read and locked in a transaction, sent to Redis
// in one pipeline (XADD, each entry carrying the event id), and stamped published in the same
// transaction, which then commits. A crash between the XADD and the commit publishes the batch
// again on restart: delivery is at least once, and consumers skip what they have already
// applied (see consumer.h). Redis must run with appendfsync always so that an acknowledged XADD
// survives a Redis crash.
#ifndef DPS_PLATFORM_EVENTS_RELAY_H_
#define DPS_PLATFORM_EVENTS_RELAY_H_

#include <memory>
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

struct RelayOptions {
  std::string schema;
  int batch_size = 500;
  absl::Duration idle_wait = absl::Milliseconds(200);  // longest sleep when the outbox is empty
  int64_t stream_max_length = 1'000'000;               // approximate XADD MAXLEN per stream
  absl::Duration retention = absl::Hours(24 * 7);      // published rows kept this long
  // When set, the only stream this schema's outbox may publish to: a row naming another is
  // stamped without being sent, and logged. So a service cannot announce another's events
  // (a suspension in dps.qualification from the referral schema) through its own outbox.
  std::string only_stream;
};

class OutboxRelay final {
 public:
  OutboxRelay(RelayOptions options, PgPool& pool, RedisClient& redis,
              prometheus::Registry* registry);

  // Publishes one batch; returns how many events were published (0 when the outbox is empty).
  absl::StatusOr<int> PublishBatch();

  // Refreshes the backlog gauges (unpublished count, oldest unpublished age) and prunes
  // published rows older than the retention.
  absl::Status Maintain();

  // Publishes until stop is requested, backing off while PostgreSQL or Redis is down.
  void Run(std::stop_token stop);

 private:
  // Listens on the dps_outbox channel; the notification itself carries nothing we need.
  class WakeOnNotify final : public pqxx::notification_receiver {
   public:
    explicit WakeOnNotify(pqxx::connection& c) : pqxx::notification_receiver(c, "dps_outbox") {}
    void operator()(const std::string&, int) override {}
  };
  void WaitForNotify();

  const RelayOptions options_;
  PgPool& pool_;
  RedisClient& redis_;
  prometheus::Counter* published_ = nullptr;
  prometheus::Counter* failures_ = nullptr;
  prometheus::Gauge* backlog_ = nullptr;
  prometheus::Gauge* oldest_age_ = nullptr;
  // Declared in this order so the receiver goes before the connection it listens on.
  std::unique_ptr<pqxx::connection> listener_;
  std::unique_ptr<WakeOnNotify> receiver_;
};

}  // namespace dps::platform

#endif  // DPS_PLATFORM_EVENTS_RELAY_H_
