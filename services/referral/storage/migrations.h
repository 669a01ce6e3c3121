// The referral service's own migrations (storage/migrations/NNNN_name.sql), compiled into the
// binary by dps_migrations. Applied in the schema "referral", after the platform's outbox.
#ifndef DPS_SERVICES_REFERRAL_STORAGE_MIGRATIONS_H_
#define DPS_SERVICES_REFERRAL_STORAGE_MIGRATIONS_H_

#include <span>

#include "platform/pg/migrations.h"

namespace dps::referral {

std::span<const dps::platform::Migration> ReferralMigrations();

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_STORAGE_MIGRATIONS_H_
