// The qualification service's own migrations (storage/migrations/NNNN_name.sql), compiled into
// the binary by dps_migrations. Apply them with dps::platform::ApplyMigrations in the schema
// "qualification", after the platform's outbox migrations:
//
//   const dps::platform::MigrationSet sets[] = {{"qualification", QualificationMigrations()}};
//   absl::Status s = dps::platform::ApplyMigrations(connection, "qualification", sets);
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_MIGRATIONS_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_MIGRATIONS_H_

#include <span>

#include "platform/pg/migrations.h"

namespace dps::qualification {

std::span<const dps::platform::Migration> QualificationMigrations();

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_MIGRATIONS_H_
