// The audit's rules: when one may be scheduled, and what a result must say before it is recorded.
#include "services/qualification/domain/audit.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace dps::qualification {
namespace {

using Day = absl::CivilDay;

const std::vector<std::string> kCriteria = {"crit-safeguarding", "crit-staffing", "crit-premises"};

std::string Result(const absl::StatusOr<std::vector<std::string>>& result) {
  if (!result.ok()) return result.status().ToString();
  std::string out = "OK";
  for (const std::string& failed : *result) out += " " + failed;
  return out;
}

std::string Recorded(bool passed, std::vector<AuditFinding> findings,
                     AuditState state = AuditState::kScheduled,
                     const std::string& summary = "Visited on 3 March; records in order.") {
  return Result(CheckAuditResult(state, "acme-house", kCriteria, passed, summary, findings));
}

TEST_CASE("an audit is scheduled for a day not past, of an establishment still a member") {
  CHECK(CheckAuditSchedule(Day(2027, 3, 1), Day(2027, 3, 1), 1) == absl::OkStatus());
  CHECK(CheckAuditSchedule(std::nullopt, Day(2027, 3, 1), 1) ==
        absl::InvalidArgumentError("due_on: required"));
  CHECK(CheckAuditSchedule(Day(2027, 2, 28), Day(2027, 3, 1), 1) ==
        absl::InvalidArgumentError("due_on: must not be in the past"));
  CHECK(CheckAuditSchedule(Day(2027, 3, 1), Day(2027, 3, 1), 0) ==
        absl::FailedPreconditionError("establishment: has no membership in the system to audit"));
}

TEST_CASE("a passed audit fails no criterion, a failed one names those that failed") {
  CHECK(Recorded(true, {{.criterion_id = "crit-staffing", .passed = true}}) == "OK");
  CHECK(Recorded(true, {}) == "OK");
  CHECK(Recorded(false, {{.criterion_id = "crit-staffing", .passed = true},
                         {.criterion_id = "crit-premises", .passed = false, .reason = "damp"},
                         {.criterion_id = "crit-safeguarding",
                          .establishment_id = "acme-house",
                          .passed = false,
                          .reason = "late referrals"}}) == "OK crit-premises crit-safeguarding");
  CHECK(Recorded(true, {{.criterion_id = "crit-premises", .passed = false, .reason = "damp"}}) ==
        "INVALID_ARGUMENT: passed: a passed audit has no failed criterion; got crit-premises");
  CHECK(Recorded(false, {{.criterion_id = "crit-premises", .passed = true}}) ==
        "INVALID_ARGUMENT: results: a failed audit names the criteria that failed");
}

TEST_CASE("an audit's findings name the system's criteria and the audited establishment") {
  CHECK(Recorded(false, {{.criterion_id = "crit-other", .passed = false, .reason = "x"}}) ==
        "INVALID_ARGUMENT: results[0].criterion_id: no criterion \"crit-other\" in the system");
  CHECK(Recorded(false, {{.criterion_id = "crit-premises", .passed = true},
                         {.criterion_id = "crit-staffing",
                          .establishment_id = "other-house",
                          .passed = false,
                          .reason = "x"}}) ==
        "INVALID_ARGUMENT: results[1].establishment_id: is not the audited establishment");
  CHECK(Recorded(false, {{.criterion_id = "crit-premises", .passed = false}}) ==
        "INVALID_ARGUMENT: results[0].reason: required when the criterion fails");
}

TEST_CASE("an audit is recorded once, with a summary") {
  CHECK(Recorded(true, {}, AuditState::kPassed) ==
        "FAILED_PRECONDITION: audit: already recorded as PASSED");
  CHECK(Recorded(true, {}, AuditState::kFailed) ==
        "FAILED_PRECONDITION: audit: already recorded as FAILED");
  CHECK(Recorded(true, {}, AuditState::kScheduled, "") == "INVALID_ARGUMENT: summary: required");
}

TEST_CASE("a scheduled audit waits for its day, and a checked result completes it once") {
  absl::StatusOr<Audit> audit = ScheduleAudit({.id = "aud-1",
                                               .system_id = "se-dps",
                                               .establishment_id = "acme-house",
                                               .provider_id = "acme-care",
                                               .due_on = Day(2027, 3, 1)},
                                              Day(2027, 2, 1), 2);
  REQUIRE(audit.ok());
  CHECK(audit->state == AuditState::kScheduled);
  CHECK(audit->due_on == Day(2027, 3, 1));
  CHECK(audit->provider_id == "acme-care");
  CHECK(!audit->completed_at.has_value());
  CHECK(ScheduleAudit({.id = "aud-2", .due_on = Day(2027, 3, 1)}, Day(2027, 2, 1), 0).status() ==
        absl::FailedPreconditionError("establishment: has no membership in the system to audit"));

  const absl::Time at =
      absl::FromCivil(absl::CivilSecond(2027, 3, 1, 10, 0, 0), absl::UTCTimeZone());
  const Auditor auditor{
      .user_id = "user-lead", .role = "ROLE_LEAD_AUTHORITY_ADMIN", .organisation_id = "surrey"};
  const Audit before = *audit;
  // A refused result leaves the audit as it was.
  CHECK(CompleteAudit(*audit, kCriteria, true, "", {}, at, auditor).status() ==
        absl::InvalidArgumentError("summary: required"));
  CHECK(audit->state == AuditState::kScheduled);
  CHECK(audit->summary.empty());
  CHECK(!audit->completed_at.has_value());

  absl::StatusOr<std::vector<std::string>> failed = CompleteAudit(
      *audit, kCriteria, false, "Damp in two bedrooms.",
      {{.criterion_id = "crit-premises", .passed = false, .score = 40, .reason = "damp"},
       {.criterion_id = "crit-staffing", .passed = true}},
      at, auditor);
  REQUIRE(failed.ok());
  CHECK(*failed == std::vector<std::string>{"crit-premises"});
  CHECK(audit->state == AuditState::kFailed);
  CHECK(audit->summary == "Damp in two bedrooms.");
  CHECK(audit->completed_at == at);
  CHECK(audit->auditor.user_id == "user-lead");
  CHECK(audit->auditor.role == "ROLE_LEAD_AUTHORITY_ADMIN");
  REQUIRE(audit->findings.size() == 2);
  CHECK(audit->findings[0].establishment_id == "acme-house");
  CHECK(audit->findings[0].score == 40);
  CHECK(audit->findings[1].establishment_id == "acme-house");
  CHECK(before.findings.empty());

  CHECK(CompleteAudit(*audit, kCriteria, true, "again", {}, at, auditor).status() ==
        absl::FailedPreconditionError("audit: already recorded as FAILED"));
}

}  // namespace
}  // namespace dps::qualification
