// The contracts service's own migrations (storage/migrations/NNNN_name.sql), compiled into the
// binary by dps_migrations. Applied in the schema "contracts", after the platform's outbox:
//
//   const dps::platform::MigrationSet sets[] = {{"platform", dps::platform::OutboxMigrations()},
//                                               {"contracts", ContractsMigrations()}};
#ifndef DPS_SERVICES_CONTRACTS_STORAGE_MIGRATIONS_H_
#define DPS_SERVICES_CONTRACTS_STORAGE_MIGRATIONS_H_

#include <span>

#include "platform/pg/migrations.h"

namespace dps::contracts {

std::span<const dps::platform::Migration> ContractsMigrations();

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_STORAGE_MIGRATIONS_H_
