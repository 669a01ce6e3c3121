#include "services/qualification/domain/alert.h"

#include <catch2/catch.hpp>
#include <string>

#include "services/qualification/domain/test_fixtures.h"

namespace dps::qualification {
namespace {

using testing::Message;
using testing::System;
using testing::Utc;

Caller As(Role role, std::string organisation, std::string system_id = "") {
  Caller c;
  c.role = role;
  c.organisation_id = std::move(organisation);
  c.system_id = std::move(system_id);
  c.user_id = "user-" + c.organisation_id;
  return c;
}

NewAlert Concern(AlertSeverity severity = AlertSeverity::kHigh) {
  NewAlert a;
  a.id = "alert-1";
  a.establishment_id = "acme-house";
  a.provider_id = "acme-care";
  a.severity = severity;
  a.summary = "missing-from-care episodes not reported";
  return a;
}

const Caller kSurreyOfficer = As(Role::kPlacingOfficer, "surrey");
const Caller kLeadAdmin = As(Role::kLeadAdmin, "west-sussex", "se-dps");

Alert Raised(const PurchasingSystem& system, AlertSeverity severity = AlertSeverity::kHigh) {
  absl::StatusOr<Alert> alert =
      RaiseAlert(system, kSurreyOfficer, Concern(severity), Utc(2026, 3, 2));
  REQUIRE(alert.ok());
  return *alert;
}

TEST_CASE("any participating authority raises an alert", "[alert]") {
  const PurchasingSystem system = System();
  const Alert alert = Raised(system);
  CHECK(alert.status == AlertStatus::kOpen);
  CHECK(alert.severity == AlertSeverity::kHigh);
  CHECK(alert.system_id == "se-dps");
  CHECK(alert.raised_by_authority == "surrey");
  CHECK(alert.raised_at == Utc(2026, 3, 2));
  REQUIRE(alert.history.size() == 1);
  CHECK(alert.history[0].to == "OPEN");
  CHECK(alert.history[0].reason == "raised, HIGH");
  CHECK(alert.history[0].user_id == "user-surrey");

  CHECK(
      RaiseAlert(system, As(Role::kCommissioner, "east-sussex"), Concern(), Utc(2026, 3, 2)).ok());
  CHECK(RaiseAlert(system, kLeadAdmin, Concern(), Utc(2026, 3, 2)).ok());
}

TEST_CASE("who may not raise an alert", "[alert]") {
  const PurchasingSystem system = System();
  for (const Caller& caller :
       {As(Role::kPlacingOfficer, "kent"), As(Role::kProviderUser, "acme-care"),
        As(Role::kAuditor, "west-sussex", "se-dps"), As(Role::kEvaluator, "west-sussex", "se-dps"),
        As(Role::kLeadAdmin, "west-sussex", "other-dps")}) {
    INFO(caller.organisation_id);
    const absl::Status s = RaiseAlert(system, caller, Concern(), Utc(2026, 3, 2)).status();
    CHECK(s.code() == absl::StatusCode::kPermissionDenied);
  }
  CHECK(Message(RaiseAlert(system, As(Role::kPlacingOfficer, "kent"), Concern(), Utc(2026, 3, 2))
                    .status()) == "alert: kent may not raise an alert in this system");
}

TEST_CASE("an alert needs its fields", "[alert]") {
  const PurchasingSystem system = System();
  NewAlert a = Concern();
  auto error = [&]() {
    return Message(RaiseAlert(system, kSurreyOfficer, a, Utc(2026, 3, 2)).status());
  };
  SECTION("id") {
    a.id.clear();
    CHECK(error() == "id: must not be empty");
  }
  SECTION("establishment") {
    a.establishment_id.clear();
    CHECK(error() == "establishment_id: must not be empty");
  }
  SECTION("provider") {
    a.provider_id.clear();
    CHECK(error() == "provider_id: must not be empty");
  }
  SECTION("summary") {
    a.summary.clear();
    CHECK(error() == "summary: must not be empty");
  }
  SECTION("a summary over 1000 characters") {
    a.summary = std::string(25'000, 'x');
    CHECK(error() == "summary: must be at most 1000 characters, got 25000");
  }
  SECTION("a summary that names the child's case number or address") {
    a.summary = "LAC-204551 went missing from BN1 1AA";
    CHECK(error().rfind("summary: must not identify a child: it holds a case or record number",
                        0) == 0);
  }
}

TEST_CASE("visibility", "[alert]") {
  PurchasingSystem system = System();
  const Alert alert = Raised(system);
  // Every participating authority, not only the one that raised it.
  CHECK(CanSee(system, alert, kSurreyOfficer));
  CHECK(CanSee(system, alert, As(Role::kPlacingOfficer, "brighton-hove")));
  CHECK(CanSee(system, alert, As(Role::kCommissioner, "east-sussex")));
  CHECK(
      CanSee(system, alert, As(Role::kPlacingOfficer, "west-sussex")));  // the lead's own officers
  CHECK(CanSee(system, alert, kLeadAdmin));
  CHECK(CanSee(system, alert, As(Role::kAuditor, "west-sussex", "se-dps")));

  CHECK_FALSE(CanSee(system, alert, As(Role::kPlacingOfficer, "kent")));  // not in the system
  CHECK_FALSE(CanSee(system, alert, As(Role::kAuditor, "west-sussex", "other-dps")));
  CHECK_FALSE(CanSee(system, alert, As(Role::kLeadAdmin, "surrey", "se-dps")));  // not the lead
  CHECK_FALSE(CanSee(system, alert, As(Role::kEvaluator, "west-sussex", "se-dps")));
  CHECK_FALSE(CanSee(system, alert, As(Role::kProviderUser, "acme-care")));  // decided: no
  CHECK_FALSE(CanSee(system, alert, As(Role::kProviderUser, "other-care")));

  SECTION("an authority joining later sees the alerts already raised") {
    REQUIRE(AddParticipatingAuthority(system, "kent").ok());
    CHECK(CanSee(system, alert, As(Role::kPlacingOfficer, "kent")));
  }
  SECTION("an alert of another system is not visible through this one") {
    Alert elsewhere = alert;
    elsewhere.system_id = "nw-fps";
    CHECK_FALSE(CanSee(system, elsewhere, kSurreyOfficer));
  }
}

TEST_CASE("an alert reaches the councils placing with its establishment through another system",
          "[alert]") {
  // West London: a residential system and a fostering system for the same councils. The alert
  // was raised in the residential one; its establishment is a member of the fostering one too.
  PurchasingSystem fostering = System();
  fostering.id = "wla-fostering";
  fostering.participating_authorities = {"hounslow", "ealing"};
  fostering.lead_authority = "harrow";
  CHECK(CanSeeThroughMembership(fostering, As(Role::kPlacingOfficer, "hounslow")));
  CHECK(CanSeeThroughMembership(fostering, As(Role::kCommissioner, "ealing")));
  CHECK(CanSeeThroughMembership(fostering, As(Role::kPlacingOfficer, "harrow")));
  // Other authorities, and roles that act for one system or for a provider, keep their scope.
  CHECK_FALSE(CanSeeThroughMembership(fostering, As(Role::kPlacingOfficer, "kent")));
  CHECK_FALSE(CanSeeThroughMembership(fostering, As(Role::kLeadAdmin, "harrow", "wla-fostering")));
  CHECK_FALSE(CanSeeThroughMembership(fostering, As(Role::kAuditor, "harrow", "wla-fostering")));
  CHECK_FALSE(CanSeeThroughMembership(fostering, As(Role::kEvaluator, "harrow", "wla-fostering")));
  CHECK_FALSE(CanSeeThroughMembership(fostering, As(Role::kProviderUser, "acme-care")));
}

TEST_CASE("status life cycle with history", "[alert]") {
  const PurchasingSystem system = System();
  Alert alert = Raised(system);

  REQUIRE(ChangeAlertStatus(alert, system, kLeadAdmin, AlertStatus::kUnderReview,
                            "LADO referral made", Utc(2026, 3, 3))
              .ok());
  CHECK(alert.status == AlertStatus::kUnderReview);
  {  // back to OPEN from review is not a move
    const absl::Status back =
        ChangeAlertStatus(alert, system, kLeadAdmin, AlertStatus::kOpen, "x", Utc(2026, 3, 4));
    CHECK(back.code() == absl::StatusCode::kFailedPrecondition);
    CHECK(Message(back) == "alert: cannot move from UNDER_REVIEW to OPEN");
  }
  REQUIRE(ChangeAlertStatus(alert, system, kSurreyOfficer, AlertStatus::kClosed,
                            "no further action", Utc(2026, 3, 10))
              .ok());
  CHECK(Message(ChangeAlertStatus(alert, system, kSurreyOfficer, AlertStatus::kUnderReview, "x",
                                  Utc(2026, 3, 11))) ==
        "alert: cannot move from CLOSED to UNDER_REVIEW");
  REQUIRE(ChangeAlertStatus(alert, system, kSurreyOfficer, AlertStatus::kOpen, "new allegation",
                            Utc(2026, 4, 1))
              .ok());
  CHECK(alert.status == AlertStatus::kOpen);

  REQUIRE(alert.history.size() == 4);
  CHECK(alert.history[1].from == "OPEN");
  CHECK(alert.history[1].to == "UNDER_REVIEW");
  CHECK(alert.history[1].organisation_id == "west-sussex");
  CHECK(alert.history[1].reason == "LADO referral made");
  CHECK(alert.history[2].to == "CLOSED");
  CHECK(alert.history[3].from == "CLOSED");
  CHECK(alert.history[3].at == Utc(2026, 4, 1));

  SECTION("straight from OPEN to CLOSED") {
    REQUIRE(ChangeAlertStatus(alert, system, kSurreyOfficer, AlertStatus::kClosed,
                              "raised in error", Utc(2026, 4, 2))
                .ok());
  }
  SECTION("to the same status") {
    CHECK(Message(ChangeAlertStatus(alert, system, kSurreyOfficer, AlertStatus::kOpen, "x",
                                    Utc(2026, 4, 2))) == "alert: cannot move from OPEN to OPEN");
  }
  SECTION("a change needs a reason") {
    const absl::Status s =
        ChangeAlertStatus(alert, system, kSurreyOfficer, AlertStatus::kClosed, "", Utc(2026, 4, 2));
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(Message(s) == "reason: a status change needs a reason");
    CHECK(alert.status == AlertStatus::kOpen);
  }
}

TEST_CASE("only the raising authority and the lead change an alert", "[alert]") {
  const PurchasingSystem system = System();
  Alert alert = Raised(system);
  CHECK(CanChange(system, alert, kSurreyOfficer));
  CHECK(CanChange(system, alert, As(Role::kCommissioner, "surrey")));
  CHECK(CanChange(system, alert, kLeadAdmin));
  CHECK_FALSE(CanChange(system, alert, As(Role::kPlacingOfficer, "brighton-hove")));
  CHECK_FALSE(CanChange(system, alert, As(Role::kAuditor, "west-sussex", "se-dps")));
  CHECK_FALSE(CanChange(system, alert, As(Role::kProviderUser, "acme-care")));

  const absl::Status s =
      ChangeAlertStatus(alert, system, As(Role::kPlacingOfficer, "brighton-hove"),
                        AlertStatus::kClosed, "x", Utc(2026, 3, 3));
  CHECK(s.code() == absl::StatusCode::kPermissionDenied);
  CHECK(Message(s) == "alert: brighton-hove may not change this alert");
  CHECK(ChangeAlertSeverity(alert, system, As(Role::kAuditor, "west-sussex", "se-dps"),
                            AlertSeverity::kLow, "x", Utc(2026, 3, 3))
            .code() == absl::StatusCode::kPermissionDenied);
}

TEST_CASE("severity changes", "[alert]") {
  const PurchasingSystem system = System();
  Alert alert = Raised(system);
  REQUIRE(ChangeAlertSeverity(alert, system, kLeadAdmin, AlertSeverity::kSerious, "police involved",
                              Utc(2026, 3, 3))
              .ok());
  CHECK(alert.severity == AlertSeverity::kSerious);
  CHECK(alert.history.back().from == "HIGH");
  CHECK(alert.history.back().to == "SERIOUS");
  CHECK(Message(ChangeAlertSeverity(alert, system, kLeadAdmin, AlertSeverity::kSerious, "x",
                                    Utc(2026, 3, 4))) == "alert: the severity is already SERIOUS");
  CHECK(Message(ChangeAlertSeverity(alert, system, kLeadAdmin, AlertSeverity::kMedium, "",
                                    Utc(2026, 3, 4))) ==
        "reason: a severity change needs a reason");
  REQUIRE(ChangeAlertStatus(alert, system, kLeadAdmin, AlertStatus::kClosed, "resolved",
                            Utc(2026, 3, 5))
              .ok());
  const absl::Status closed =
      ChangeAlertSeverity(alert, system, kLeadAdmin, AlertSeverity::kLow, "x", Utc(2026, 3, 6));
  CHECK(closed.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(closed) == "alert: cannot change the severity of a CLOSED alert: reopen it first");
}

TEST_CASE("a serious open alert may suspend", "[alert]") {
  const PurchasingSystem system = System();
  ApplicationPart part = testing::PartFor(system.lots[0], "acme-house");
  PartDecision decision;
  decision.qualified = true;
  part.decision = decision;
  Membership m = *Qualify(part, {}, Utc(2026, 1, 8), "lead");

  SECTION("not for a lesser severity") {
    const Alert high = Raised(system, AlertSeverity::kHigh);
    const absl::Status s = SuspendForAlert(m, high, Utc(2026, 3, 3), "lead");
    CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
    CHECK(Message(s) == "alert: only a SERIOUS alert suspends, this one is HIGH");
    CHECK(m.state == MembershipState::kQualified);
  }
  SECTION("not once closed") {
    Alert serious = Raised(system, AlertSeverity::kSerious);
    REQUIRE(ChangeAlertStatus(serious, system, kLeadAdmin, AlertStatus::kClosed, "unfounded",
                              Utc(2026, 3, 3))
                .ok());
    CHECK(Message(SuspendForAlert(m, serious, Utc(2026, 3, 4), "lead")) ==
          "alert: a CLOSED alert suspends no one");
  }
  SECTION("not another establishment's membership") {
    NewAlert other = Concern(AlertSeverity::kSerious);
    other.establishment_id = "other-house";
    const Alert alert = *RaiseAlert(system, kSurreyOfficer, other, Utc(2026, 3, 2));
    const absl::Status s = SuspendForAlert(m, alert, Utc(2026, 3, 3), "lead");
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(Message(s) ==
          "membership.establishment_id: alert is against \"other-house\", not \"acme-house\"");
  }
  SECTION("suspends, and reinstatement needs the alert's item passed") {
    const Alert serious = Raised(system, AlertSeverity::kSerious);
    REQUIRE(SuspendForAlert(m, serious, Utc(2026, 3, 3), "lead").ok());
    CHECK(m.state == MembershipState::kSuspended);
    REQUIRE(m.failed_items.size() == 1);
    CHECK(m.failed_items[0].item == "safeguarding-alert:alert-1");
    CHECK(m.failed_items[0].cause == SuspensionCause::kSafeguardingAlert);
    CHECK(m.failed_items[0].reason ==
          "serious safeguarding alert alert-1: missing-from-care episodes not reported");
    CHECK_FALSE(Reinstate(m, {}, Utc(2026, 4, 1), "lead").ok());
    REQUIRE(Reinstate(m, {{AlertItem(serious), Utc(2026, 3, 30)}}, Utc(2026, 4, 1), "lead").ok());
    CHECK(m.state == MembershipState::kQualified);
  }
}

TEST_CASE("names", "[alert]") {
  CHECK(AlertSeverityName(AlertSeverity::kSerious) == "SERIOUS");
  CHECK(AlertStatusName(AlertStatus::kUnderReview) == "UNDER_REVIEW");
}

}  // namespace
}  // namespace dps::qualification
