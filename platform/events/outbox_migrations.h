// The platform's own migrations (outbox, processed_events and idempotency_keys), applied to every
// service schema before the service's own, as the component "platform".
#ifndef DPS_PLATFORM_EVENTS_OUTBOX_MIGRATIONS_H_
#define DPS_PLATFORM_EVENTS_OUTBOX_MIGRATIONS_H_

#include <span>

#include "platform/pg/migrations.h"

namespace dps::platform {

std::span<const Migration> OutboxMigrations();

}  // namespace dps::platform

#endif  // DPS_PLATFORM_EVENTS_OUTBOX_MIGRATIONS_H_
