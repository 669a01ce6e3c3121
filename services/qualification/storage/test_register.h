// For the storage tests: the qualification register, migrated, in a fresh database of the test
// PostgreSQL, with a small pool on its schema.
//
//   TestRegister r;
//   r.pool.InTransaction([&](pqxx::work& tx) { ... });
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_TEST_REGISTER_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_TEST_REGISTER_H_

#include <catch2/catch.hpp>

#include "platform/pg/migrations.h"
#include "platform/pg/pool.h"
#include "platform/testing/test_env.h"
#include "services/qualification/storage/migrations.h"

namespace dps::qualification::testing {

struct TestRegister {
  platform::testing::TestDatabase db;
  platform::PgPool pool{{.url = db.url(), .schema = "qualification", .size = 2}};

  TestRegister() {
    const absl::Status migrated = pool.WithConnection([](pqxx::connection& c) {
      const platform::MigrationSet sets[] = {{"qualification", QualificationMigrations()}};
      return platform::ApplyMigrations(c, "qualification", sets);
    });
    REQUIRE(migrated == absl::OkStatus());
  }
};

}  // namespace dps::qualification::testing

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_TEST_REGISTER_H_
