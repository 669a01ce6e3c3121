// The alert use cases against a register and a repository in memory: who may raise, change and
// read an alert, what is checked first, and what each change records and announces.
#include "services/qualification/app/safeguarding_alerts.h"

#include <catch2/catch.hpp>
#include <string>

#include "absl/strings/str_cat.h"
#include "platform/work/testing/recorded_events.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/test_fixtures.h"
#include "services/qualification/storage/testing/in_memory_alert_repository.h"
#include "services/qualification/storage/testing/in_memory_register_reads.h"

namespace dps::qualification {
namespace {

using ::dps::platform::testing::RecordedEvent;
using ::dps::platform::testing::RecordedEvents;
using ::dps::qualification::testing::Utc;
using ApiRole = dps::common::v1::Role;

platform::CallerIdentity As(ApiRole role, const std::string& organisation) {
  return {.user_id = "user-" + organisation, .role = role, .organisation_id = organisation};
}

const platform::CallerIdentity kSurreyOfficer = As(ApiRole::ROLE_PLACING_OFFICER, "surrey");

// The South East system (testing::System) with acme-house of acme-care a member; Kent runs a
// system of its own in which acme-house is a member too.
struct World {
  InMemoryAlertRepository alerts;
  InMemoryRegisterReads register_reads;
  RecordedEvents events;
  AlertUseCases use_cases{alerts, register_reads, events};

  World() {
    register_reads.systems["se-dps"] = testing::System();
    PurchasingSystem kent;
    kent.id = "kent-dps";
    kent.lead_authority = "kent";
    kent.participating_authorities = {"kent", "medway"};
    register_reads.systems["kent-dps"] = kent;
    register_reads.establishments["acme-house"] = {.id = "acme-house", .provider_id = "acme-care"};
    register_reads.members["se-dps"] = {"acme-house"};
    register_reads.members["kent-dps"] = {"acme-house"};
  }

  absl::StatusOr<StoredAlert> Raise(const platform::CallerIdentity& caller,
                                    AlertToRaise raise = Concern()) {
    return use_cases.Raise(raise, caller, Utc(2026, 3, 2));
  }

  static AlertToRaise Concern() {
    return {.system_id = "se-dps",
            .establishment_id = "acme-house",
            .severity = AlertSeverity::kHigh,
            .category = "missing from care",
            .summary = "missing-from-care episodes not reported"};
  }
};

TEST_CASE("an alert is raised, recorded with its history entry and announced") {
  World w;
  absl::StatusOr<StoredAlert> raised = w.Raise(kSurreyOfficer);
  REQUIRE(raised.ok());
  CHECK(raised->version == 1);
  const Alert& alert = raised->alert;
  CHECK(alert.provider_id == "acme-care");
  CHECK(alert.raised_by_authority == "surrey");
  CHECK(alert.category == "missing from care");
  REQUIRE(alert.history.size() == 1);
  CHECK(alert.history[0].role == "ROLE_PLACING_OFFICER");
  CHECK(alert.history[0].user_id == "user-surrey");

  absl::StatusOr<StoredAlert> stored = w.alerts.Load(alert.id, false);
  REQUIRE(stored.ok());
  CHECK(ToApiAlert(stored->alert).SerializeAsString() == ToApiAlert(alert).SerializeAsString());

  REQUIRE(w.events.events.size() == 1);
  const RecordedEvent& event = w.events.events[0];
  CHECK(event.type == "qualification.alert.raised");
  CHECK(event.system_id == "se-dps");
  CHECK(event.envelope.safeguarding_alert_raised().severity() == v1::ALERT_SEVERITY_HIGH);
  CHECK(event.envelope.safeguarding_alert_raised().category() == "missing from care");
}

TEST_CASE("a raise is checked: the system and establishment exist, then the request, then who") {
  World w;
  AlertToRaise raise = World::Concern();
  raise.system_id = "nowhere";
  CHECK(w.Raise(kSurreyOfficer, raise).status() ==
        absl::NotFoundError("purchasing system nowhere: not found"));
  raise = World::Concern();
  raise.establishment_id = "nobody";
  CHECK(w.Raise(kSurreyOfficer, raise).status() ==
        absl::NotFoundError("establishment nobody: not found"));
  raise = World::Concern();
  raise.severity.reset();
  CHECK(w.Raise(kSurreyOfficer, raise).status() ==
        absl::InvalidArgumentError("severity: required"));
  raise = World::Concern();
  raise.category.clear();
  CHECK(w.Raise(kSurreyOfficer, raise).status() ==
        absl::InvalidArgumentError("category: required"));
  // An authority outside the system may not raise in it.
  CHECK(w.Raise(As(ApiRole::ROLE_PLACING_OFFICER, "kent")).status().code() ==
        absl::StatusCode::kPermissionDenied);
  CHECK(w.events.events.empty());
}

TEST_CASE("an alert is moved on with a note, at its version, by those who may see it") {
  World w;
  const std::string id = w.Raise(kSurreyOfficer)->alert.id;
  const auto update = [&](const platform::CallerIdentity& caller, AlertUpdate u) {
    u.alert_id = id;
    return w.use_cases.Update(u, caller, Utc(2026, 3, 3));
  };
  // Kent takes no part in the system: the alert does not exist for it.
  CHECK(update(As(ApiRole::ROLE_PLACING_OFFICER, "kent"),
               {.note = "x", .status = AlertStatus::kUnderReview})
            .status() == absl::NotFoundError(absl::StrCat("alert ", id, ": not found")));
  CHECK(update(kSurreyOfficer,
               {.expected_version = 7, .note = "x", .status = AlertStatus::kUnderReview})
            .status()
            .code() == absl::StatusCode::kAborted);
  CHECK(update(kSurreyOfficer, {.status = AlertStatus::kUnderReview}).status() ==
        absl::InvalidArgumentError("note: required: why it changed"));
  CHECK(update(kSurreyOfficer, {.note = "x"}).status() ==
        absl::InvalidArgumentError("severity: give a new severity, a new status, or both"));
  CHECK(update(kSurreyOfficer, {.note = "x", .status_not_used = true}).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(w.events.events.size() == 1);

  absl::StatusOr<StoredAlert> moved = update(kSurreyOfficer, {.expected_version = 1,
                                                              .note = "the home is being visited",
                                                              .severity = AlertSeverity::kSerious,
                                                              .status = AlertStatus::kUnderReview});
  REQUIRE(moved.ok());
  CHECK(moved->version == 2);
  CHECK(moved->alert.severity == AlertSeverity::kSerious);
  CHECK(moved->alert.status == AlertStatus::kUnderReview);
  REQUIRE(moved->alert.history.size() == 3);
  CHECK(moved->alert.history[2].role == "ROLE_PLACING_OFFICER");
  CHECK(w.alerts.Load(id, false)->version == 2);
  REQUIRE(w.events.events.size() == 2);
  const auto& updated = w.events.events[1].envelope.safeguarding_alert_updated();
  CHECK(updated.previous_severity() == v1::ALERT_SEVERITY_HIGH);
  CHECK(updated.severity() == v1::ALERT_SEVERITY_SERIOUS);
  CHECK(updated.previous_status() == v1::ALERT_STATUS_OPEN);
  CHECK(updated.status() == v1::ALERT_STATUS_UNDER_INVESTIGATION);

  // UNDER_REVIEW cannot go back to OPEN: the domain's rule, and nothing is written.
  CHECK(update(kSurreyOfficer, {.note = "x", .status = AlertStatus::kOpen}).status().code() ==
        absl::StatusCode::kFailedPrecondition);
  CHECK(w.alerts.Load(id, false)->version == 2);
}

TEST_CASE("an alert is read in its system, and through membership by other systems' officers") {
  World w;
  const std::string id = w.Raise(kSurreyOfficer)->alert.id;
  const auto reads = [&](ApiRole role, const std::string& organisation) {
    return w.use_cases.Read(id, As(role, organisation)).ok();
  };
  CHECK(reads(ApiRole::ROLE_PLACING_OFFICER, "east-sussex"));
  CHECK(reads(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, "west-sussex"));
  // Kent's officers can place with acme-house through their own system.
  CHECK(reads(ApiRole::ROLE_PLACING_OFFICER, "kent"));
  CHECK(reads(ApiRole::ROLE_COMMISSIONER, "medway"));
  // Kent's lead admin acts for its own system only; a stranger reads nothing.
  CHECK_FALSE(reads(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, "kent"));
  CHECK_FALSE(reads(ApiRole::ROLE_PLACING_OFFICER, "cornwall"));
  CHECK(w.use_cases.Read("alert-none", kSurreyOfficer).status().code() ==
        absl::StatusCode::kNotFound);
}

TEST_CASE("who lists a system's alerts, and how far an officer's list reaches") {
  World w;
  const auto scope = [&](const std::string& system, ApiRole role, const std::string& org) {
    absl::StatusOr<AlertUseCases::ListScope> out = w.use_cases.ScopeOfList(system, As(role, org));
    if (!out.ok()) return out.status().ToString();
    return std::string(out->through_memberships ? "with members" : "system only");
  };
  CHECK(scope("se-dps", ApiRole::ROLE_PLACING_OFFICER, "surrey") == "with members");
  CHECK(scope("", ApiRole::ROLE_COMMISSIONER, "surrey") == "with members");
  CHECK(scope("se-dps", ApiRole::ROLE_AUDITOR, "west-sussex") == "system only");
  CHECK(scope("", ApiRole::ROLE_AUDITOR, "west-sussex") == "INVALID_ARGUMENT: system_id: required");
  CHECK(scope("se-dps", ApiRole::ROLE_PLACING_OFFICER, "kent") ==
        "PERMISSION_DENIED: organisation kent may not see the alerts of system se-dps");
  CHECK(scope("nowhere", ApiRole::ROLE_PLACING_OFFICER, "surrey") ==
        "NOT_FOUND: purchasing system nowhere: not found");
}

TEST_CASE("a suspension names one of its system's alerts about the establishment") {
  World w;
  absl::StatusOr<StoredAlert> raised = w.Raise(kSurreyOfficer);
  REQUIRE(raised.ok());
  const std::string id = raised->alert.id;
  absl::StatusOr<Alert> found = w.use_cases.ForSuspension(id, "se-dps", "acme-house");
  REQUIRE(found.ok());
  CHECK(found->id == id);
  CHECK(w.use_cases.ForSuspension(id, "kent-dps", "acme-house").status() ==
        absl::NotFoundError(absl::StrCat("alert ", id, ": not found")));
  CHECK(w.use_cases.ForSuspension(id, "se-dps", "other-house").status() ==
        absl::InvalidArgumentError("alert_id: is about establishment acme-house, not other-house"));
  CHECK(w.use_cases.ForSuspension("alert-none", "se-dps", "acme-house").status().code() ==
        absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace dps::qualification
