// The lead authority's membership changes on the repository and register in memory: who may
// change what, what each change saves and announces, and every refusal leaving the membership as
// it was.
#include "services/qualification/app/memberships.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "platform/work/testing/recorded_events.h"
#include "services/qualification/domain/test_fixtures.h"
#include "services/qualification/storage/testing/in_memory_membership_repository.h"
#include "services/qualification/storage/testing/in_memory_register_reads.h"

namespace dps::qualification {
namespace {

using ::dps::platform::testing::RecordedEvents;
using ::dps::qualification::testing::Utc;
using ApiRole = dps::common::v1::Role;

const platform::CallerIdentity kLead{.user_id = "user-ws",
                                     .role = ApiRole::ROLE_LEAD_AUTHORITY_ADMIN,
                                     .organisation_id = "west-sussex"};
const platform::CallerIdentity kOtherLead{
    .user_id = "user-kent", .role = ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, .organisation_id = "kent"};
const platform::CallerIdentity kService{
    .user_id = "evidence-expiry", .role = ApiRole::ROLE_SERVICE, .organisation_id = "dps"};
const absl::Time kNow = Utc(2026, 6, 1);

struct World {
  InMemoryMembershipRepository memberships;
  InMemoryRegisterReads register_reads;
  RecordedEvents events;
  MembershipUseCases use_cases{memberships, register_reads, events};

  World() {
    PurchasingSystem system;
    system.id = "sys-ws";
    system.lead_authority = "west-sussex";
    register_reads.systems[system.id] = system;
    Lot lot = testing::SenLot();
    lot.code = "lot-sen";
    register_reads.lots[lot.code] = lot;
    Lot day = lot;
    day.code = "lot-day";
    register_reads.lots[day.code] = day;
    REQUIRE(memberships.Insert(Member("mem-1", "lot-sen")).ok());
    REQUIRE(memberships.Insert(Member("mem-2", "lot-day")).ok());
  }

  static Membership Member(const std::string& id, const std::string& lot) {
    ApplicationPart part = testing::PartFor(testing::SenLot(), "acme-house");
    part.decision = PartDecision{.qualified = true,
                                 .qualification_score = 75,
                                 .decided_at = Utc(2026, 1, 8),
                                 .decided_by = "lead"};
    absl::StatusOr<Membership> m = Qualify(part, {}, Utc(2026, 1, 8), "lead");
    REQUIRE(m.ok());
    m->id = id;
    m->system_id = "sys-ws";
    m->lot_code = lot;
    m->provider_id = "acme-care";
    m->version = 1;
    return *m;
  }

  Membership Stored(const std::string& id) { return *memberships.LoadForUpdate(id); }

  EstablishmentSuspension LeadSuspends(std::vector<std::string> lots = {}) {
    return {.system_id = "sys-ws",
            .establishment_id = "acme-house",
            .lot_ids = std::move(lots),
            .items = {"lead-authority-review"},
            .detail = "repeated late KPI returns"};
  }
};

TEST_CASE("memberships: who may read one") {
  World w;
  w.register_reads.systems["sys-ws"].participating_authorities = {"brighton-and-hove"};
  auto reader = [](ApiRole role, const std::string& organisation) {
    return platform::CallerIdentity{.user_id = "u", .role = role, .organisation_id = organisation};
  };
  CHECK(w.use_cases.Read("mem-1", reader(ApiRole::ROLE_PROVIDER_USER, "acme-care"))->id == "mem-1");
  CHECK(w.use_cases.Read("mem-1", kLead).ok());
  CHECK(w.use_cases.Read("mem-1", kService).ok());
  CHECK(w.use_cases.Read("mem-1", reader(ApiRole::ROLE_PLACING_OFFICER, "brighton-and-hove")).ok());
  // Another provider learns nothing of it; another council is refused.
  CHECK(w.use_cases.Read("mem-1", reader(ApiRole::ROLE_PROVIDER_USER, "other-care")).status() ==
        absl::NotFoundError("membership mem-1: not found"));
  CHECK(w.use_cases.Read("mem-1", reader(ApiRole::ROLE_PLACING_OFFICER, "kent")).status() ==
        absl::PermissionDeniedError("organisation kent does not take part in purchasing system "
                                    "sys-ws"));
  CHECK(w.use_cases.Read("mem-1", kOtherLead).status().code() ==
        absl::StatusCode::kPermissionDenied);
  CHECK(w.use_cases.Read("mem-9", kLead).status() ==
        absl::NotFoundError("membership mem-9: not found"));
}

TEST_CASE("memberships: the lead suspends an establishment's memberships, each announced") {
  World w;
  absl::StatusOr<std::vector<Membership>> suspended =
      w.use_cases.Suspend(w.LeadSuspends(), kLead, kNow);
  REQUIRE(suspended.ok());
  REQUIRE(suspended->size() == 2);
  for (const char* id : {"mem-1", "mem-2"}) {
    const Membership m = w.Stored(id);
    CHECK(m.state == MembershipState::kSuspended);
    CHECK(m.version == 2);
    CHECK(m.failed_items[0].item == "lead-authority-review");
    CHECK(m.failed_items[0].by == "user-ws");
  }
  REQUIRE(w.events.events.size() == 2);
  CHECK(w.events.events[0].type == "qualification.membership.suspended");
  CHECK(w.events.events[0].system_id == "sys-ws");
  const auto& event = w.events.events[0].envelope.membership_suspended();
  CHECK(event.membership_id() == "mem-1");
  CHECK(event.lot_id() == "lot-sen");
  CHECK(event.provider_id() == "acme-care");
  CHECK(event.detail() == "repeated late KPI returns");
  CHECK(event.failed_criterion_ids(0) == "lead-authority-review");
}

TEST_CASE("memberships: a suspension of named lots, or by a service, and its refusals") {
  World w;
  SECTION("one lot") {
    REQUIRE(w.use_cases.Suspend(w.LeadSuspends({"lot-day"}), kLead, kNow).ok());
    CHECK(w.Stored("mem-1").state == MembershipState::kQualified);
    CHECK(w.Stored("mem-2").state == MembershipState::kSuspended);
  }
  SECTION("a DPS service acts for every system") {
    REQUIRE(w.use_cases.Suspend(w.LeadSuspends(), kService, kNow).ok());
  }
  SECTION("refused") {
    CHECK(w.use_cases.Suspend(w.LeadSuspends(), kOtherLead, kNow).status() ==
          absl::PermissionDeniedError("organisation kent does not lead purchasing system sys-ws"));
    EstablishmentSuspension unknown = w.LeadSuspends();
    unknown.system_id = "sys-9";
    CHECK(w.use_cases.Suspend(unknown, kLead, kNow).status().code() == absl::StatusCode::kNotFound);
    CHECK(
        w.use_cases.Suspend(w.LeadSuspends({"lot-day", "lot-x"}), kLead, kNow).status() ==
        absl::InvalidArgumentError("lot_ids[1]: the establishment has no membership of this lot"));
    EstablishmentSuspension elsewhere = w.LeadSuspends();
    elsewhere.establishment_id = "other-house";
    CHECK(w.use_cases.Suspend(elsewhere, kLead, kNow).status() ==
          absl::FailedPreconditionError(
              "establishment: has no membership in the system that can be suspended"));
    CHECK(w.Stored("mem-1").state == MembershipState::kQualified);
    CHECK(w.Stored("mem-1").version == 1);
    CHECK(w.events.events.empty());
  }
  SECTION("for a serious alert, naming it") {
    EstablishmentSuspension for_alert = w.LeadSuspends({"lot-sen"});
    for_alert.cause = SuspensionCause::kSafeguardingAlert;
    for_alert.alert = Alert{.id = "alt-1",
                            .system_id = "sys-ws",
                            .establishment_id = "acme-house",
                            .severity = AlertSeverity::kSerious,
                            .summary = "allegation against staff"};
    REQUIRE(w.use_cases.Suspend(for_alert, kLead, kNow).ok());
    CHECK(w.Stored("mem-1").failed_items[0].cause_id == "alt-1");
    // A HIGH one may not suspend: the domain's rule, and nothing saved.
    for_alert.lot_ids = {"lot-day"};
    for_alert.alert->severity = AlertSeverity::kHigh;
    CHECK(w.use_cases.Suspend(for_alert, kLead, kNow).status().code() ==
          absl::StatusCode::kFailedPrecondition);
    CHECK(w.Stored("mem-2").state == MembershipState::kQualified);
  }
}

TEST_CASE("memberships: reinstated once the failed items passed again, resting on new evidence") {
  World w;
  REQUIRE(w.use_cases
              .Suspend({.system_id = "sys-ws",
                        .establishment_id = "acme-house",
                        .lot_ids = {"lot-sen"},
                        .cause = SuspensionCause::kEvidenceExpiry,
                        .items = {"insurance"},
                        .detail = "insurance expired"},
                       kService, kNow)
              .ok());
  REQUIRE(w.memberships.RestOn("mem-1", "insurance", {"evi-old"}).ok());
  w.register_reads.applications["app-2"] = {
      .id = "app-2",
      .system_id = "sys-ws",
      .decided = true,
      .decided_at = Utc(2026, 6, 10),
      .passed = {{.criterion_id = "insurance", .establishment_id = "acme-house"}},
      .cited = {{.criterion_id = "insurance",
                 .establishment_id = "acme-house",
                 .evidence_ids = {"evi-new"}},
                {.criterion_id = "insurance",
                 .establishment_id = "other-house",
                 .evidence_ids = {"evi-other"}}}};
  SECTION("refused without a reason, by another lead, or for an application that cannot") {
    CHECK(w.use_cases.Reinstate("mem-1", "", "app-2", kLead, Utc(2026, 6, 11)).status() ==
          absl::InvalidArgumentError("reason: required"));
    CHECK(w.use_cases.Reinstate("mem-1", "resubmitted", "app-2", kOtherLead, Utc(2026, 6, 11))
              .status()
              .code() == absl::StatusCode::kPermissionDenied);
    CHECK(
        w.use_cases.Reinstate("mem-9", "resubmitted", "app-2", kLead, Utc(2026, 6, 11)).status() ==
        absl::NotFoundError("membership mem-9: not found"));
    CHECK(
        w.use_cases.Reinstate("mem-1", "resubmitted", "app-9", kLead, Utc(2026, 6, 11)).status() ==
        absl::NotFoundError("application app-9: not found"));
    w.register_reads.applications["app-2"].decided = false;
    CHECK(
        w.use_cases.Reinstate("mem-1", "resubmitted", "app-2", kLead, Utc(2026, 6, 11)).status() ==
        absl::InvalidArgumentError(
            "application_id: must be a decided application of the membership's system"));
    // Without the application, the insurance is still missing.
    CHECK(w.use_cases.Reinstate("mem-1", "resubmitted", "", kLead, Utc(2026, 6, 11))
              .status()
              .code() == absl::StatusCode::kFailedPrecondition);
    CHECK(w.Stored("mem-1").state == MembershipState::kSuspended);
    CHECK(w.memberships.RestingOn("evi-old")->size() == 1);
  }
  SECTION("granted, announced, and the expiry timer watches the new certificate") {
    absl::StatusOr<Membership> reinstated =
        w.use_cases.Reinstate("mem-1", "insurance renewed", "app-2", kLead, Utc(2026, 6, 11));
    REQUIRE(reinstated.ok());
    CHECK(reinstated->state == MembershipState::kQualified);
    CHECK(w.Stored("mem-1").state == MembershipState::kQualified);
    CHECK(w.memberships.RestingOn("evi-old")->empty());
    REQUIRE(w.memberships.RestingOn("evi-new")->size() == 1);
    CHECK(w.memberships.RestingOn("evi-other")->empty());
    CHECK(w.events.events.back().type == "qualification.membership.reinstated");
    CHECK(w.events.events.back().envelope.membership_reinstated().reason() == "insurance renewed");
  }
}

TEST_CASE("memberships: the lead lifts its own concerns without an application") {
  World w;
  REQUIRE(w.use_cases.Suspend(w.LeadSuspends({"lot-sen"}), kLead, kNow).ok());
  REQUIRE(
      w.use_cases.Reinstate("mem-1", "KPI returns on time again", "", kLead, Utc(2026, 7, 1)).ok());
  CHECK(w.Stored("mem-1").state == MembershipState::kQualified);
  CHECK(w.Stored("mem-1").history.back().reason == "resubmitted and passed: lead-authority-review");
}

TEST_CASE("memberships: excluded for good by the lead of its system") {
  World w;
  CHECK(w.use_cases.Exclude("mem-1", "conviction of a director", kOtherLead, kNow).status() ==
        absl::PermissionDeniedError("organisation kent does not lead purchasing system sys-ws"));
  CHECK(w.use_cases.Exclude("mem-1", "", kLead, kNow).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(w.Stored("mem-1").state == MembershipState::kQualified);
  CHECK(w.events.events.empty());
  absl::StatusOr<Membership> excluded =
      w.use_cases.Exclude("mem-1", "conviction of a director", kLead, kNow);
  REQUIRE(excluded.ok());
  CHECK(w.Stored("mem-1").state == MembershipState::kExcluded);
  CHECK(w.Stored("mem-1").version == 2);
  REQUIRE(w.events.events.size() == 1);
  CHECK(w.events.events[0].type == "qualification.membership.excluded");
  CHECK(w.events.events[0].envelope.membership_excluded().reason() == "conviction of a director");
  // Exclusion is final: the domain refuses a second.
  CHECK(w.use_cases.Exclude("mem-1", "again", kLead, kNow).status().code() ==
        absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace dps::qualification
