// The audit repository held to one contract: the scenario runs against the PostgreSQL
// implementation (in one transaction of a migrated register) and against the one in memory the
// use cases' pure tests use, so the fake answers as the database does.
#include <catch2/catch.hpp>
#include <string>

#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/test_fixtures.h"
#include "services/qualification/storage/pg_audit_repository.h"
#include "services/qualification/storage/test_register.h"
#include "services/qualification/storage/testing/in_memory_audit_repository.h"

namespace dps::qualification {
namespace {

using ::dps::qualification::testing::Utc;

std::string Encoded(const Audit& audit) {
  return ToApiAudit(audit).SerializeAsString() + "|" + audit.provider_id;
}

Audit Scheduled(const std::string& id, const std::string& establishment_id = "acme-house") {
  return {.id = id,
          .system_id = "se-dps",
          .establishment_id = establishment_id,
          .provider_id = "acme-care",
          .due_on = absl::CivilDay(2026, 4, 1)};
}

void AuditContract(AuditRepository& audits) {
  const Audit scheduled = Scheduled("aud-1");
  REQUIRE(audits.Insert(scheduled) == absl::OkStatus());
  CHECK(audits.Insert(Scheduled("aud-2")) ==
        absl::AlreadyExistsError("establishment acme-house already has audit aud-1 scheduled"));
  CHECK(audits.Insert(Scheduled("aud-1", "other-house")) ==
        absl::AlreadyExistsError("audit aud-1: already exists"));
  CHECK(audits.Load("aud-9", false).status() == absl::NotFoundError("audit aud-9: not found"));

  absl::StatusOr<StoredAudit> loaded = audits.Load("aud-1", true);
  REQUIRE(loaded.ok());
  CHECK(loaded->version == 1);
  CHECK(Encoded(loaded->audit) == Encoded(scheduled));

  Audit recorded = scheduled;
  recorded.state = AuditState::kFailed;
  recorded.findings = {{.criterion_id = "crit-premises",
                        .establishment_id = "acme-house",
                        .passed = false,
                        .score = 40,
                        .reason = "damp"}};
  recorded.summary = "Damp in two bedrooms.";
  recorded.completed_at = Utc(2026, 4, 1);
  recorded.auditor = {.user_id = "user-lead",
                      .role = "ROLE_LEAD_AUTHORITY_ADMIN",
                      .organisation_id = "west-sussex"};
  CHECK(*audits.Save(recorded, 1) == 2);
  CHECK(audits.Save(recorded, 1).status() ==
        absl::AbortedError("audit aud-1: changed since version 1"));
  loaded = audits.Load("aud-1", false);
  CHECK(loaded->version == 2);
  CHECK(Encoded(loaded->audit) == Encoded(recorded));

  // With the first recorded, another may be scheduled.
  CHECK(audits.Insert(Scheduled("aud-2")) == absl::OkStatus());
  Audit unknown = scheduled;
  unknown.id = "aud-9";
  CHECK(audits.Save(unknown, 1).status().code() == absl::StatusCode::kAborted);
}

TEST_CASE("audits: the repository in memory answers as PostgreSQL does", "[pg]") {
  InMemoryAuditRepository memory;
  AuditContract(memory);
  testing::TestRegister r;
  REQUIRE(r.pool.InTransaction([](pqxx::work& tx) {
    // The audit's system, establishment and provider rows are not this test's subject: foreign
    // keys are left unchecked for its transaction (the test database's superuser may).
    tx.exec0("SET LOCAL session_replication_role = replica");
    PgAuditRepository audits(tx);
    AuditContract(audits);
    return absl::OkStatus();
  }) == absl::OkStatus());
}

}  // namespace
}  // namespace dps::qualification
