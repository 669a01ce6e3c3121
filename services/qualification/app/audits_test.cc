// The audit use cases on the repository and the register's reads in memory, with the audited
// memberships recorded: scheduling, a result's effect on the memberships, and who may do and list
// what.
#include "services/qualification/app/audits.h"

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/qualification/domain/test_fixtures.h"
#include "services/qualification/storage/testing/in_memory_audit_repository.h"
#include "services/qualification/storage/testing/in_memory_register_reads.h"

namespace dps::qualification {
namespace {

using ::dps::qualification::testing::Utc;
using ApiRole = dps::common::v1::Role;

platform::CallerIdentity As(ApiRole role, const std::string& organisation) {
  return {.user_id = "user-" + organisation, .role = role, .organisation_id = organisation};
}

const platform::CallerIdentity kLead = As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, "west-sussex");
const platform::CallerIdentity kOtherLead = As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, "kent");

// The memberships an audit reaches, as counts, and what the audits did to them.
class RecordedAuditEffects final : public AuditedMemberships {
 public:
  std::map<std::string, int> not_excluded;  // establishment id -> memberships not excluded
  std::vector<std::string> passed;          // audit ids recorded as passed
  std::map<std::string, std::vector<std::string>> suspended;  // audit id -> failed criteria

  absl::StatusOr<int> CountNotExcluded(const std::string& /*system_id*/,
                                       const std::string& establishment_id) override {
    return not_excluded[establishment_id];
  }
  absl::Status RecordPassed(const Audit& audit) override {
    passed.push_back(audit.id);
    return absl::OkStatus();
  }
  absl::Status SuspendForFailure(const Audit& audit,
                                 const std::vector<std::string>& failed) override {
    suspended[audit.id] = failed;
    return absl::OkStatus();
  }
};

// The South East system (testing::System, led by West Sussex) with its criteria; acme-house of
// acme-care holds two memberships of it, quiet-house none.
struct World {
  InMemoryAuditRepository audits;
  InMemoryRegisterReads register_reads;
  RecordedAuditEffects memberships;
  AuditUseCases use_cases{audits, register_reads, memberships};

  World() {
    register_reads.systems["se-dps"] = testing::System();
    register_reads.establishments["acme-house"] = {.id = "acme-house", .provider_id = "acme-care"};
    register_reads.establishments["quiet-house"] = {.id = "quiet-house",
                                                    .provider_id = "acme-care"};
    for (const char* id : {"crit-premises", "crit-staffing"}) {
      register_reads.criteria[id] = {.id = id, .system_id = "se-dps", .code = id};
    }
    memberships.not_excluded["acme-house"] = 2;
  }

  absl::StatusOr<StoredAudit> Schedule(const platform::CallerIdentity& caller = kLead,
                                       const std::string& establishment = "acme-house") {
    return use_cases.Schedule("se-dps", establishment, absl::CivilDay(2026, 4, 1), caller,
                              Utc(2026, 3, 2));
  }
};

TEST_CASE("audits: the lead schedules one for a member establishment, one at a time") {
  World w;
  absl::StatusOr<StoredAudit> scheduled = w.Schedule();
  REQUIRE(scheduled.ok());
  CHECK(scheduled->version == 1);
  CHECK(scheduled->audit.state == AuditState::kScheduled);
  CHECK(scheduled->audit.provider_id == "acme-care");
  CHECK(scheduled->audit.due_on == absl::CivilDay(2026, 4, 1));
  absl::StatusOr<StoredAudit> stored = w.audits.Load(scheduled->audit.id, false);
  REQUIRE(stored.ok());
  CHECK(stored->audit.establishment_id == "acme-house");

  CHECK(w.Schedule().status() ==
        absl::AlreadyExistsError(absl::StrCat("establishment acme-house already has audit ",
                                              scheduled->audit.id, " scheduled")));
  CHECK(w.Schedule(kOtherLead).status() ==
        absl::PermissionDeniedError("organisation kent does not lead purchasing system se-dps"));
  CHECK(w.Schedule(kLead, "quiet-house").status() ==
        absl::FailedPreconditionError("establishment: has no membership in the system to audit"));
  CHECK(w.Schedule(kLead, "no-house").status() ==
        absl::NotFoundError("establishment no-house: not found"));
  CHECK(w.use_cases
            .Schedule("no-dps", "acme-house", absl::CivilDay(2026, 4, 1), kLead, Utc(2026, 3, 2))
            .status()
            .code() == absl::StatusCode::kNotFound);
  CHECK(
      w.use_cases.Schedule("se-dps", "acme-house", std::nullopt, kLead, Utc(2026, 3, 2)).status() ==
      absl::InvalidArgumentError("due_on: required"));
}

TEST_CASE("audits: a passed result is recorded on the memberships, a failed one suspends them") {
  World w;
  absl::StatusOr<StoredAudit> passing = w.Schedule();
  REQUIRE(passing.ok());
  absl::StatusOr<StoredAudit> passed =
      w.use_cases.Record({.audit_id = passing->audit.id,
                          .passed = true,
                          .summary = "Visited; records in order.",
                          .findings = {{.criterion_id = "crit-premises", .passed = true}}},
                         kLead, Utc(2026, 4, 1));
  REQUIRE(passed.ok());
  CHECK(passed->version == 2);
  CHECK(passed->audit.state == AuditState::kPassed);
  CHECK(passed->audit.completed_at == Utc(2026, 4, 1));
  CHECK(passed->audit.auditor.user_id == "user-west-sussex");
  CHECK(passed->audit.auditor.role == "ROLE_LEAD_AUTHORITY_ADMIN");
  CHECK(passed->audit.findings[0].establishment_id == "acme-house");
  CHECK(w.memberships.passed == std::vector<std::string>{passing->audit.id});
  CHECK(w.memberships.suspended.empty());
  CHECK(w.audits.Load(passing->audit.id, false)->version == 2);

  // Recorded once.
  CHECK(w.use_cases
            .Record({.audit_id = passing->audit.id, .passed = true, .summary = "again"}, kLead,
                    Utc(2026, 4, 2))
            .status() == absl::FailedPreconditionError("audit: already recorded as PASSED"));

  absl::StatusOr<StoredAudit> failing = w.Schedule();
  REQUIRE(failing.ok());
  absl::StatusOr<StoredAudit> failed = w.use_cases.Record(
      {.audit_id = failing->audit.id,
       .passed = false,
       .summary = "Damp in two bedrooms.",
       .findings = {{.criterion_id = "crit-premises", .passed = false, .reason = "damp"}}},
      kLead, Utc(2026, 4, 3));
  REQUIRE(failed.ok());
  CHECK(failed->audit.state == AuditState::kFailed);
  CHECK(w.memberships.suspended[failing->audit.id] == std::vector<std::string>{"crit-premises"});
}

TEST_CASE("audits: a result is refused before anything changes") {
  World w;
  absl::StatusOr<StoredAudit> scheduled = w.Schedule();
  REQUIRE(scheduled.ok());
  CHECK(
      w.use_cases
          .Record({.audit_id = "aud-none", .passed = true, .summary = "x"}, kLead, Utc(2026, 4, 1))
          .status() == absl::NotFoundError("audit aud-none: not found"));
  CHECK(w.use_cases
            .Record({.audit_id = scheduled->audit.id, .passed = true, .summary = "x"}, kOtherLead,
                    Utc(2026, 4, 1))
            .status() ==
        absl::PermissionDeniedError("organisation kent does not lead purchasing system se-dps"));
  CHECK(w.use_cases
            .Record({.audit_id = scheduled->audit.id,
                     .passed = false,
                     .summary = "x",
                     .findings = {{.criterion_id = "crit-other", .passed = false, .reason = "y"}}},
                    kLead, Utc(2026, 4, 1))
            .status() == absl::InvalidArgumentError(
                             "results[0].criterion_id: no criterion \"crit-other\" in the system"));
  CHECK(w.memberships.passed.empty());
  CHECK(w.memberships.suspended.empty());
  absl::StatusOr<StoredAudit> stored = w.audits.Load(scheduled->audit.id, false);
  CHECK(stored->version == 1);
  CHECK(stored->audit.state == AuditState::kScheduled);
}

TEST_CASE("audits: a provider lists its own, the lead's staff those of the systems it leads") {
  World w;
  absl::StatusOr<AuditUseCases::ListScope> provider =
      w.use_cases.ScopeOfList("se-dps", As(ApiRole::ROLE_PROVIDER_USER, "acme-care"));
  REQUIRE(provider.ok());
  CHECK(provider->provider_id == "acme-care");
  CHECK(provider->lead_authority.empty());
  absl::StatusOr<AuditUseCases::ListScope> lead =
      w.use_cases.ScopeOfList("se-dps", As(ApiRole::ROLE_AUDITOR, "west-sussex"));
  REQUIRE(lead.ok());
  CHECK(lead->lead_authority == "west-sussex");
  CHECK(lead->provider_id.empty());
  CHECK(w.use_cases.ScopeOfList("", kOtherLead)->lead_authority == "kent");
  CHECK(w.use_cases.ScopeOfList("se-dps", kOtherLead).status() ==
        absl::PermissionDeniedError("organisation kent does not lead purchasing system se-dps"));
}

}  // namespace
}  // namespace dps::qualification
