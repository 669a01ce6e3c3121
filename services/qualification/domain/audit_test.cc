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

}  // namespace
}  // namespace dps::qualification
