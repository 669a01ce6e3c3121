// The alert repository held to one contract: the scenario runs against the PostgreSQL
// implementation (in one transaction of a migrated register) and against the one in memory the
// use cases' pure tests use, so the fake answers as the database does.
#include <catch2/catch.hpp>
#include <string>

#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/test_fixtures.h"
#include "services/qualification/storage/pg_alert_repository.h"
#include "services/qualification/storage/test_register.h"
#include "services/qualification/storage/testing/in_memory_alert_repository.h"

namespace dps::qualification {
namespace {

using ::dps::qualification::testing::Utc;

std::string Encoded(const Alert& alert) { return ToApiAlert(alert).SerializeAsString(); }

Alert Raised(const std::string& id) {
  Alert alert;
  alert.id = id;
  alert.system_id = "se-dps";
  alert.establishment_id = "acme-house";
  alert.provider_id = "acme-care";
  alert.raised_by_authority = "surrey";
  alert.severity = AlertSeverity::kHigh;
  alert.category = "missing from care";
  alert.summary = "missing-from-care episodes not reported";
  alert.raised_at = Utc(2026, 3, 2);
  alert.history.push_back({.at = Utc(2026, 3, 2),
                           .user_id = "user-surrey",
                           .organisation_id = "surrey",
                           .role = "ROLE_PLACING_OFFICER",
                           .to = "OPEN",
                           .reason = "raised, HIGH"});
  return alert;
}

void AlertContract(AlertRepository& alerts) {
  const Alert raised = Raised("alert-1");
  REQUIRE(alerts.Insert(raised) == absl::OkStatus());
  CHECK(alerts.Insert(raised) == absl::AlreadyExistsError("alert alert-1: already exists"));
  CHECK(alerts.Load("alert-9", false).status() == absl::NotFoundError("alert alert-9: not found"));

  absl::StatusOr<StoredAlert> loaded = alerts.Load("alert-1", true);
  REQUIRE(loaded.ok());
  CHECK(loaded->version == 1);
  CHECK(Encoded(loaded->alert) == Encoded(raised));

  Alert moved = raised;
  moved.status = AlertStatus::kUnderReview;
  moved.severity = AlertSeverity::kSerious;
  moved.history.push_back({.at = Utc(2026, 3, 3),
                           .user_id = "user-surrey",
                           .organisation_id = "surrey",
                           .role = "ROLE_PLACING_OFFICER",
                           .from = "OPEN",
                           .to = "UNDER_REVIEW",
                           .reason = "the home is being visited"});
  CHECK(*alerts.Save(moved, 1) == 2);
  CHECK(alerts.Save(moved, 1).status() ==
        absl::AbortedError("alert alert-1: changed since version 1"));
  loaded = alerts.Load("alert-1", false);
  CHECK(loaded->version == 2);
  CHECK(Encoded(loaded->alert) == Encoded(moved));
  Alert unknown = raised;
  unknown.id = "alert-9";
  CHECK(alerts.Save(unknown, 1).status().code() == absl::StatusCode::kAborted);
}

TEST_CASE("alerts: the repository in memory answers as PostgreSQL does", "[pg]") {
  InMemoryAlertRepository memory;
  AlertContract(memory);
  testing::TestRegister r;
  REQUIRE(r.pool.InTransaction([](pqxx::work& tx) {
    // The alert's system and establishment rows are not this test's subject: foreign keys are
    // left unchecked for its transaction (the test database's superuser may).
    tx.exec0("SET LOCAL session_replication_role = replica");
    PgAlertRepository alerts(tx);
    AlertContract(alerts);
    return absl::OkStatus();
  }) == absl::OkStatus());
}

}  // namespace
}  // namespace dps::qualification
