// The evidence repository held to one contract: the scenario runs against the PostgreSQL
// implementation (in one transaction of a migrated register) and against the one in memory the
// use cases' pure tests use, so the fake answers as the database does.
#include <catch2/catch.hpp>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/test_fixtures.h"
#include "services/qualification/storage/pg_evidence_repository.h"
#include "services/qualification/storage/test_register.h"
#include "services/qualification/storage/testing/in_memory_evidence_repository.h"

namespace dps::qualification {
namespace {

using ::dps::qualification::testing::Utc;

std::string Encoded(const Evidence& evidence) {
  return ToApiEvidence(evidence).SerializeAsString();
}

Evidence Certificate(const std::string& id, std::optional<absl::CivilDay> expires_on,
                     const std::string& establishment_id = "acme-house") {
  return {.id = id,
          .provider_id = "acme-care",
          .establishment_id = establishment_id,
          .criterion_id = "crit-insurance",
          .title = "Employer's liability " + id,
          .document_uri = "store://docs/" + id,
          .document_sha256 = std::string(64, 'a'),
          .issued_on = absl::CivilDay(2026, 1, 1),
          .expires_on = expires_on,
          .added_at = Utc(2026, 1, 2)};
}

std::vector<std::string> Ids(const absl::StatusOr<std::vector<Evidence>>& evidence) {
  std::vector<std::string> ids;
  for (const Evidence& e : *evidence) ids.push_back(e.id);
  return ids;
}

// Which memberships rest on a piece: put there (`link`) and read back (`resting`) the way each
// implementation keeps them.
struct Links {
  std::function<void(const std::string& membership, const std::string& evidence)> link;
  std::function<std::set<std::string>(const std::string& evidence)> resting;
};

void EvidenceContract(EvidenceRepository& repository, const Links& links) {
  const Evidence old = Certificate("evi-1", absl::CivilDay(2026, 3, 31));
  REQUIRE(repository.Insert(old) == absl::OkStatus());
  CHECK(repository.Insert(old) == absl::AlreadyExistsError("evidence evi-1: already exists"));
  CHECK(repository.LoadForUpdate("evi-9").status() ==
        absl::NotFoundError("evidence evi-9: not found"));
  absl::StatusOr<Evidence> loaded = repository.LoadForUpdate("evi-1");
  REQUIRE(loaded.ok());
  CHECK(Encoded(*loaded) == Encoded(old));

  // The provider as a whole is another scope than the establishment.
  REQUIRE(repository.Insert(Certificate("evi-2", absl::CivilDay(2026, 2, 28), "")) ==
          absl::OkStatus());
  REQUIRE(repository.Insert(Certificate("evi-3", std::nullopt)) == absl::OkStatus());
  const Evidence renewal = Certificate("evi-4", absl::CivilDay(2027, 3, 31));
  REQUIRE(repository.Insert(renewal) == absl::OkStatus());
  CHECK(Ids(repository.OthersInForce(renewal)) == std::vector<std::string>{"evi-1", "evi-3"});

  links.link("mem-1", "evi-1");
  links.link("mem-2", "evi-1");
  REQUIRE(repository.Supersede({"evi-1"}, "evi-4") == absl::OkStatus());
  CHECK(repository.LoadForUpdate("evi-1")->state == EvidenceState::kSuperseded);
  CHECK(links.resting("evi-1").empty());
  CHECK(links.resting("evi-4") == std::set<std::string>{"mem-1", "mem-2"});
  CHECK(Ids(repository.OthersInForce(renewal)) == std::vector<std::string>{"evi-3"});

  // Due: in force and past its last valid day, earliest first, at most the limit.
  CHECK(*repository.ExpiredBy(absl::CivilDay(2026, 4, 1), 10) == std::vector<std::string>{"evi-2"});
  CHECK(repository.ExpiredBy(absl::CivilDay(2026, 2, 28), 10)->empty());
  CHECK(*repository.ExpiredBy(absl::CivilDay(2028, 1, 1), 10) ==
        std::vector<std::string>{"evi-2", "evi-4"});
  CHECK(*repository.ExpiredBy(absl::CivilDay(2028, 1, 1), 1) == std::vector<std::string>{"evi-2"});

  Evidence expired = *repository.LoadForUpdate("evi-2");
  expired.state = EvidenceState::kExpired;
  REQUIRE(repository.Save(expired) == absl::OkStatus());
  CHECK(Encoded(*repository.LoadForUpdate("evi-2")) == Encoded(expired));
  CHECK(*repository.ExpiredBy(absl::CivilDay(2028, 1, 1), 10) == std::vector<std::string>{"evi-4"});
  CHECK(repository.Save(Certificate("evi-9", std::nullopt)) ==
        absl::NotFoundError("evidence evi-9: not found"));
}

TEST_CASE("evidence: the repository in memory answers as PostgreSQL does", "[pg]") {
  InMemoryEvidenceRepository memory;
  EvidenceContract(memory, {.link =
                                [&](const std::string& membership, const std::string& evidence) {
                                  memory.links[evidence].insert(membership);
                                },
                            .resting =
                                [&](const std::string& evidence) {
                                  return memory.links.contains(evidence) ? memory.links[evidence]
                                                                         : std::set<std::string>{};
                                }});
  testing::TestRegister r;
  REQUIRE(r.pool.InTransaction([](pqxx::work& tx) {
    // The evidence's provider, criterion and memberships are not this test's subject: foreign
    // keys are left unchecked for its transaction (the test database's superuser may).
    tx.exec0("SET LOCAL session_replication_role = replica");
    PgEvidenceRepository evidence(tx);
    EvidenceContract(
        evidence,
        {.link =
             [&](const std::string& membership, const std::string& evidence_id) {
               tx.exec_params0(
                   "INSERT INTO membership_evidence (membership_id, evidence_id, criterion_id) "
                   "VALUES ($1, $2, 'crit-insurance')",
                   membership, evidence_id);
             },
         .resting =
             [&](const std::string& evidence_id) {
               std::set<std::string> resting;
               for (const pqxx::row& row : tx.exec_params(
                        "SELECT membership_id FROM membership_evidence WHERE evidence_id = $1",
                        evidence_id)) {
                 resting.insert(row[0].as<std::string>());
               }
               return resting;
             }});
    return absl::OkStatus();
  }) == absl::OkStatus());
}

}  // namespace
}  // namespace dps::qualification
