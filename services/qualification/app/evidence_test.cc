// The evidence use cases on the repository and the register's reads in memory, with the
// memberships resting on evidence recorded: adding (and renewing), expiring, and who may list.
#include "services/qualification/app/evidence.h"

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "platform/work/testing/recorded_events.h"
#include "services/qualification/domain/test_fixtures.h"
#include "services/qualification/storage/testing/in_memory_evidence_repository.h"
#include "services/qualification/storage/testing/in_memory_register_reads.h"

namespace dps::qualification {
namespace {

using ::dps::platform::testing::RecordedEvents;
using ::dps::qualification::testing::Utc;
using ApiRole = dps::common::v1::Role;

platform::CallerIdentity As(ApiRole role, const std::string& organisation) {
  return {.user_id = "user-" + organisation, .role = role, .organisation_id = organisation};
}

const platform::CallerIdentity kAcme = As(ApiRole::ROLE_PROVIDER_USER, "acme-care");

// The memberships resting on each piece of evidence (the repository's links), and the
// suspensions asked for.
class RecordedSuspensions final : public EvidenceMemberships {
 public:
  explicit RecordedSuspensions(const InMemoryEvidenceRepository& evidence) : evidence_(evidence) {}

  std::map<std::string, std::string> reasons;  // membership id -> why it was suspended

  absl::StatusOr<std::vector<std::string>> SuspendRestingOn(const Evidence& evidence,
                                                            const std::string& reason,
                                                            absl::Time /*at*/,
                                                            const std::string& /*actor*/) override {
    std::vector<std::string> suspended;
    auto resting = evidence_.links.find(evidence.id);
    if (resting == evidence_.links.end()) return suspended;
    for (const std::string& membership_id : resting->second) {
      reasons[membership_id] = reason;
      suspended.push_back(membership_id);
    }
    return suspended;
  }

 private:
  const InMemoryEvidenceRepository& evidence_;
};

// The South East system (testing::System, led by West Sussex) with an insurance criterion whose
// evidence expires and a policy one whose does not; acme-care runs acme-house, beta-care
// beta-house.
struct World {
  InMemoryEvidenceRepository evidence;
  InMemoryRegisterReads register_reads;
  RecordedSuspensions memberships{evidence};
  RecordedEvents events;
  EvidenceUseCases use_cases{evidence, register_reads, memberships, events};

  World() {
    PurchasingSystem system = testing::System();
    system.evidence_expiry_warning_days = 45;
    register_reads.systems["se-dps"] = system;
    register_reads.establishments["acme-house"] = {.id = "acme-house", .provider_id = "acme-care"};
    register_reads.establishments["beta-house"] = {.id = "beta-house", .provider_id = "beta-care"};
    register_reads.criteria["crit-insurance"] = {.id = "crit-insurance",
                                                 .system_id = "se-dps",
                                                 .code = "insurance",
                                                 .evidence_expires = true};
    register_reads.criteria["crit-policy"] = {
        .id = "crit-policy", .system_id = "se-dps", .code = "policy", .evidence_expires = false};
  }

  static EvidenceToAdd Insurance(absl::CivilDay expires_on) {
    return {.provider_id = "acme-care",
            .establishment_id = "acme-house",
            .criterion_id = "crit-insurance",
            .title = "Employer's liability",
            .document_uri = "store://docs/1",
            .document_sha256 = std::string(64, 'a'),
            .expires_on = expires_on};
  }

  absl::StatusOr<Evidence> Add(EvidenceToAdd add, const platform::CallerIdentity& caller = kAcme) {
    return use_cases.Add(add, caller, Utc(2026, 3, 2));
  }
};

TEST_CASE("evidence: a provider adds its own, and a renewal supersedes what it renews") {
  World w;
  absl::StatusOr<Evidence> old = w.Add(World::Insurance(absl::CivilDay(2026, 6, 30)));
  REQUIRE(old.ok());
  CHECK(old->in_force());
  CHECK(old->added_at == Utc(2026, 3, 2));
  w.evidence.links[old->id] = {"mem-1"};

  absl::StatusOr<Evidence> renewal = w.Add(World::Insurance(absl::CivilDay(2027, 6, 30)));
  REQUIRE(renewal.ok());
  CHECK(w.evidence.LoadForUpdate(old->id)->state == EvidenceState::kSuperseded);
  CHECK(w.evidence.LoadForUpdate(renewal->id)->in_force());
  // The membership now rests on the renewal, so the old certificate's expiry suspends nothing.
  CHECK(w.evidence.links[renewal->id] == std::set<std::string>{"mem-1"});
  CHECK_FALSE(w.evidence.links.contains(old->id));
  CHECK(w.events.events.empty());
}

TEST_CASE("evidence: what a provider adds is checked, in order") {
  World w;
  CHECK(w.Add(World::Insurance(absl::CivilDay(2027, 1, 1)),
              As(ApiRole::ROLE_PROVIDER_USER, "beta-care"))
            .status() ==
        absl::PermissionDeniedError("organisation beta-care does not act for provider acme-care"));
  EvidenceToAdd add = World::Insurance(absl::CivilDay(2027, 1, 1));
  add.title = "";
  CHECK(w.Add(add).status() == absl::InvalidArgumentError("title: required"));
  add = World::Insurance(absl::CivilDay(2027, 1, 1));
  add.criterion_id = "crit-none";
  CHECK(w.Add(add).status() == absl::NotFoundError("criterion crit-none: not found"));
  add = World::Insurance(absl::CivilDay(2027, 1, 1));
  add.expires_on.reset();
  CHECK(w.Add(add).status() ==
        absl::InvalidArgumentError("expires_on: required: evidence for insurance expires"));
  add.criterion_id = "crit-policy";
  CHECK(w.Add(add).ok());
  add = World::Insurance(absl::CivilDay(2027, 1, 1));
  add.establishment_id = "no-house";
  CHECK(w.Add(add).status() == absl::NotFoundError("establishment no-house: not found"));
  add.establishment_id = "beta-house";
  CHECK(w.Add(add).status() ==
        absl::InvalidArgumentError("establishment_id: belongs to another provider"));
}

TEST_CASE("evidence: past its last valid day it expires, suspending what rests on it, once") {
  World w;
  absl::StatusOr<Evidence> due = w.Add(World::Insurance(absl::CivilDay(2026, 3, 31)));
  absl::StatusOr<Evidence> later = w.Add({.provider_id = "acme-care",
                                          .criterion_id = "crit-insurance",
                                          .title = "Public liability",
                                          .document_uri = "store://docs/2",
                                          .document_sha256 = std::string(64, 'b'),
                                          .expires_on = absl::CivilDay(2026, 9, 30)});
  REQUIRE(due.ok());
  REQUIRE(later.ok());
  w.evidence.links[due->id] = {"mem-1", "mem-2"};

  // On its last valid day nothing is due.
  CHECK(*w.use_cases.ExpireDue(Utc(2026, 3, 31, 23, 59), 10, "timer") == 0);
  CHECK(*w.use_cases.ExpireDue(Utc(2026, 4, 1, 0, 0), 10, "timer") == 1);
  CHECK(w.evidence.LoadForUpdate(due->id)->state == EvidenceState::kExpired);
  CHECK(w.evidence.LoadForUpdate(later->id)->in_force());
  CHECK(w.memberships.reasons ==
        std::map<std::string, std::string>{
            {"mem-1", "evidence \"Employer's liability\" expired after 2026-03-31"},
            {"mem-2", "evidence \"Employer's liability\" expired after 2026-03-31"}});
  REQUIRE(w.events.events.size() == 1);
  CHECK(w.events.events[0].type == "qualification.evidence.expired");
  CHECK(w.events.events[0].aggregate_id == due->id);
  const auto& expired = w.events.events[0].envelope.evidence_expired();
  CHECK(expired.evidence_id() == due->id);
  CHECK(expired.criterion_id() == "crit-insurance");
  CHECK(expired.establishment_id() == "acme-house");
  CHECK(
      std::vector<std::string>(expired.membership_ids().begin(), expired.membership_ids().end()) ==
      std::vector<std::string>{"mem-1", "mem-2"});
  CHECK(expired.expired_on().year() == 2026);
  CHECK(expired.expired_on().month() == 4);
  CHECK(expired.expired_on().day() == 1);

  // Expired once: the next run finds nothing.
  CHECK(*w.use_cases.ExpireDue(Utc(2026, 4, 2), 10, "timer") == 0);
  CHECK(w.events.events.size() == 1);
}

TEST_CASE("evidence: a provider lists its own, the lead's staff a system's, with its warning") {
  World w;
  CHECK(w.use_cases.ScopeOfList("acme-care", "", kAcme)->warning_days == kDefaultExpiryWarningDays);
  CHECK(w.use_cases.ScopeOfList("acme-care", "se-dps", kAcme)->warning_days == 45);
  CHECK(w.use_cases.ScopeOfList("beta-care", "", kAcme).status() ==
        absl::PermissionDeniedError("organisation acme-care does not act for provider beta-care"));
  CHECK(w.use_cases.ScopeOfList("", "", kAcme).status() ==
        absl::InvalidArgumentError("provider_id: required"));
  const platform::CallerIdentity lead = As(ApiRole::ROLE_EVALUATOR, "west-sussex");
  CHECK(w.use_cases.ScopeOfList("acme-care", "se-dps", lead)->warning_days == 45);
  CHECK(w.use_cases.ScopeOfList("acme-care", "", lead).status() ==
        absl::InvalidArgumentError(
            "system_id: required for authority staff: the system whose evidence to list"));
  CHECK(
      w.use_cases.ScopeOfList("acme-care", "se-dps", As(ApiRole::ROLE_AUDITOR, "kent")).status() ==
      absl::PermissionDeniedError("organisation kent does not lead purchasing system se-dps"));
  CHECK(w.use_cases.ScopeOfList("acme-care", "", As(ApiRole::ROLE_SERVICE, "dps"))->warning_days ==
        kDefaultExpiryWarningDays);
}

}  // namespace
}  // namespace dps::qualification
