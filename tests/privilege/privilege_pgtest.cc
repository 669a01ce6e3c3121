// Least privilege in PostgreSQL, with the roles ./dps up and ./dps test make
// (deploy/local/servers.sh): each service's role migrates and owns its own schema and reaches no
// other; the relay's role may publish the outboxes and nothing more.
#include <catch2/catch.hpp>
#include <string>

#include "platform/config/secret_file.h"
#include "platform/events/outbox.h"
#include "platform/events/outbox_migrations.h"
#include "platform/pg/migrations.h"
#include "platform/pg/pool.h"
#include "platform/testing/test_env.h"
#include "services/qualification/storage/migrations.h"
#include "services/referral/storage/migrations.h"

namespace {

using dps::platform::MigrationSet;
using dps::platform::PgPool;
using dps::platform::testing::SecretFile;
using dps::platform::testing::TestDatabase;

// libpq's text for SQLSTATE 42501 (insufficient_privilege), which pqxx does not always carry.
constexpr char kInsufficientPrivilege[] = "permission denied";

// A pool on the database as service's own role, its password read as the service reads it.
PgPool RolePool(const TestDatabase& db, const std::string& service, const std::string& schema) {
  absl::StatusOr<std::string> password =
      dps::platform::ReadPasswordFile(SecretFile("pg-" + service));
  REQUIRE(password.ok());
  return PgPool(
      {.url = db.ServiceUrl(service), .password = *password, .schema = schema, .size = 1});
}

absl::Status Run(PgPool& pool, const std::string& sql) {
  return pool.InTransaction([&](pqxx::work& tx) {
    tx.exec(sql);
    return absl::OkStatus();
  });
}

bool Refused(const absl::Status& status) {
  UNSCOPED_INFO(status.ToString());
  return !status.ok() &&
         std::string(status.message()).find(kInsufficientPrivilege) != std::string::npos;
}

// Both stateful schemas as ./dps up makes them: created for the role, migrated by it.
struct Schemas {
  TestDatabase db;
  PgPool qualification;
  PgPool referral;

  Schemas()
      : qualification((db.GiveSchemaTo("qualification", "dps_qualification"),
                       RolePool(db, "qualification", "qualification"))),
        referral(
            (db.GiveSchemaTo("referral", "dps_referral"), RolePool(db, "referral", "referral"))) {
    const MigrationSet qualification_sets[] = {
        {"platform", dps::platform::OutboxMigrations()},
        {"qualification", dps::qualification::QualificationMigrations()}};
    const MigrationSet referral_sets[] = {{"platform", dps::platform::OutboxMigrations()},
                                          {"referral", dps::referral::ReferralMigrations()}};
    REQUIRE(qualification
                .WithConnection([&](pqxx::connection& c) {
                  return dps::platform::ApplyMigrations(c, "qualification", qualification_sets);
                })
                .ok());
    REQUIRE(referral
                .WithConnection([&](pqxx::connection& c) {
                  return dps::platform::ApplyMigrations(c, "referral", referral_sets);
                })
                .ok());
  }
};

std::string AdminScalar(const TestDatabase& db, const std::string& sql) {
  pqxx::connection admin(db.url());
  pqxx::nontransaction tx(admin);
  return tx.exec1(sql)[0].as<std::string>();
}

TEST_CASE("each service role migrates its own schema and owns everything in it") {
  Schemas s;
  CHECK(AdminScalar(s.db,
                    "SELECT string_agg(DISTINCT pg_get_userbyid(relowner), ',') FROM pg_class "
                    "WHERE relnamespace = 'qualification'::regnamespace") == "dps_qualification");
  CHECK(AdminScalar(s.db,
                    "SELECT string_agg(DISTINCT pg_get_userbyid(relowner), ',') FROM pg_class "
                    "WHERE relnamespace = 'referral'::regnamespace") == "dps_referral");
  // Migrating again as the same role finds nothing to do.
  const MigrationSet sets[] = {{"platform", dps::platform::OutboxMigrations()},
                               {"referral", dps::referral::ReferralMigrations()}};
  CHECK(s.referral
            .WithConnection([&](pqxx::connection& c) {
              return dps::platform::ApplyMigrations(c, "referral", sets);
            })
            .ok());
}

TEST_CASE("the referral role can neither read nor write the qualification schema") {
  Schemas s;
  CHECK(Run(s.referral, "SELECT count(*) FROM referral.referrals").ok());
  CHECK(Refused(Run(s.referral, "SELECT count(*) FROM qualification.memberships")));
  CHECK(Refused(Run(s.referral, "SELECT count(*) FROM qualification.outbox")));
  // A forged event in the qualification service's outbox would reach every consumer.
  CHECK(Refused(Run(s.referral,
                    "INSERT INTO qualification.outbox (stream, event_type, payload) "
                    "VALUES ('dps.qualification', 'forged', '')")));
  CHECK(Refused(Run(s.referral, "CREATE TABLE qualification.planted (x int)")));
  CHECK(Refused(Run(s.referral, "CREATE TABLE public.planted (x int)")));
  CHECK(Refused(Run(s.referral, "CREATE SCHEMA planted")));
  // And the other way round.
  CHECK(Refused(Run(s.qualification, "SELECT count(*) FROM referral.referrals")));
}

TEST_CASE("the relay role publishes an outbox and can do nothing else with the schema") {
  Schemas s;
  REQUIRE(s.qualification
              .InTransaction([](pqxx::work& tx) {
                tx.exec0(
                    "INSERT INTO outbox (stream, event_type, payload) "
                    "VALUES ('dps.qualification', 'test.event', '')");
                return dps::platform::GrantOutboxToRelay(tx, "qualification", "dps_relay");
              })
              .ok());
  PgPool relay = RolePool(s.db, "relay", "qualification");
  // What the relay does (platform/events/relay.cc): read a batch, stamp it, prune.
  CHECK(
      Run(relay, "SELECT id, payload FROM outbox WHERE published_at IS NULL FOR UPDATE SKIP LOCKED")
          .ok());
  CHECK(Run(relay, "UPDATE outbox SET published_at = now()").ok());
  CHECK(Run(relay, "DELETE FROM outbox WHERE published_at < now() - interval '1 day'").ok());
  // Not write events of its own, change one, or read anything else.
  CHECK(Refused(Run(relay,
                    "INSERT INTO outbox (stream, event_type, payload) "
                    "VALUES ('dps.qualification', 'forged', '')")));
  CHECK(Refused(Run(relay, "UPDATE outbox SET payload = 'x'")));
  CHECK(Refused(Run(relay, "SELECT count(*) FROM qualification.memberships")));
  CHECK(Refused(Run(relay, "SELECT count(*) FROM referral.outbox")));
}

TEST_CASE("no service role is a superuser or may make roles or databases") {
  TestDatabase db;
  CHECK(AdminScalar(db,
                    "SELECT count(*) FROM pg_roles WHERE rolname IN ('dps_qualification', "
                    "'dps_referral', 'dps_contracts', 'dps_relay') AND rolcanlogin AND NOT "
                    "(rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR "
                    "rolbypassrls)") == "4");
}

}  // namespace
