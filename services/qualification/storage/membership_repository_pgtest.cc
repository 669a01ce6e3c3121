// The membership repository held to one contract: the scenario runs against the PostgreSQL
// implementation (in one transaction of a migrated register) and against the one in memory the
// use cases' pure tests use, so the fake answers as the database does. What a membership is,
// stored and read back, is the whole of it: the record, when it was last audited, its score
// history.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/test_fixtures.h"
#include "services/qualification/storage/pg_membership_repository.h"
#include "services/qualification/storage/test_register.h"
#include "services/qualification/storage/testing/in_memory_membership_repository.h"

namespace dps::qualification {
namespace {

using ::dps::qualification::testing::Utc;
namespace v1 = ::dps::qualification::v1;

Membership Member(const std::string& id, const std::string& lot,
                  const std::string& system = "sys-1") {
  return {.id = id,
          .system_id = system,
          .lot_code = lot,
          .establishment_id = "acme-house",
          .provider_id = "acme-care",
          .application_id = "app-1",
          .state = MembershipState::kQualified,
          .qualified_at = Utc(2026, 1, 8),
          .last_audit_at = Utc(2026, 1, 8),
          .next_audit_due = absl::CivilDay(2027, 1, 8),
          .prices = {.weekly_fee_pence = 450000,
                     .core_costs = {{.weekly_pence = 200000,
                                     .category = CoreCostCategory::kCoreStaffing,
                                     .label = "care staff"},
                                    {.weekly_pence = 250000,
                                     .category = CoreCostCategory::kOther,
                                     .label = "therapy on site"}},
                     .rate_card = {{.code = "1-to-1-support",
                                    .unit = RateUnit::kHourly,
                                    .rate_pence = 3000,
                                    .description = "one to one support"}}},
          .prices_valid_from = absl::CivilDay(2026, 1, 8),
          .prices_valid_until = absl::CivilDay(2027, 1, 7),
          .scores =
              {{.at = Utc(2026, 1, 8), .score = 75.5, .reason = "qualification", .actor = "lead"}},
          .history = {{.at = Utc(2026, 1, 8),
                       .actor = "lead",
                       .to = "QUALIFIED",
                       .reason = "application decided: qualified"}},
          .version = 1};
}

// The same membership: the record as the API shows it, the last audit and the score history.
void CheckSame(const absl::StatusOr<Membership>& read, const Membership& written) {
  REQUIRE(read.ok());
  CHECK(ToApiMembership(*read).DebugString() == ToApiMembership(written).DebugString());
  CHECK(read->last_audit_at == written.last_audit_at);
  REQUIRE(read->scores.size() == written.scores.size());
  for (size_t i = 0; i < written.scores.size(); ++i) {
    CHECK(read->scores[i].at == written.scores[i].at);
    CHECK(read->scores[i].score == written.scores[i].score);
    CHECK(read->scores[i].requested_delta == written.scores[i].requested_delta);
    CHECK(read->scores[i].reason == written.scores[i].reason);
    CHECK(read->scores[i].actor == written.scores[i].actor);
  }
}

std::vector<std::string> Ids(const absl::StatusOr<std::vector<Membership>>& memberships) {
  std::vector<std::string> ids;
  for (const Membership& m : *memberships) ids.push_back(m.id);
  return ids;
}

std::vector<std::string> Resting(MembershipRepository& repository, const std::string& evidence) {
  const absl::StatusOr<std::vector<EvidenceLink>> links = repository.RestingOn(evidence);
  REQUIRE(links.ok());
  std::vector<std::string> resting;
  for (const EvidenceLink& link : *links) {
    resting.push_back(link.membership_id + "/" + link.criterion_id);
  }
  return resting;
}

void MembershipContract(MembershipRepository& repository) {
  const Membership first = Member("mem-1", "sen-52");
  REQUIRE(repository.Insert(first) == absl::OkStatus());
  CHECK(repository.Insert(first).code() == absl::StatusCode::kAlreadyExists);
  CHECK(repository.Insert(Member("mem-5", "sen-52")) ==
        absl::AlreadyExistsError("membership mem-5: already exists, or establishment acme-house "
                                 "is already a member of lot sen-52"));
  CHECK(repository.LoadForUpdate("mem-9").status() ==
        absl::NotFoundError("membership mem-9: not found"));
  CheckSame(repository.LoadForUpdate("mem-1"), first);
  CheckSame(repository.Load("mem-1"), first);
  CHECK(repository.Load("mem-9").status() == absl::NotFoundError("membership mem-9: not found"));

  absl::StatusOr<std::optional<Membership>> in_lot =
      repository.OfEstablishmentInLot("acme-house", "sen-52");
  REQUIRE(in_lot.ok());
  REQUIRE(in_lot->has_value());
  CheckSame(**in_lot, first);
  CHECK_FALSE(repository.OfEstablishmentInLot("acme-house", "day")->has_value());

  // A pass/fail lot: no score history.
  Membership day = Member("mem-2", "day");
  day.scores.clear();
  REQUIRE(repository.Insert(day) == absl::OkStatus());
  REQUIRE(repository.Insert(Member("mem-3", "other", "sys-2")) == absl::OkStatus());
  CHECK(Ids(repository.OfEstablishmentInSystem("sys-1", "acme-house")) ==
        std::vector<std::string>{"mem-1", "mem-2"});
  CHECK(repository.OfEstablishmentInSystem("sys-1", "other-house")->empty());
  CheckSame(repository.LoadForUpdate("mem-2"), day);

  // Changed in the domain and saved: the next version, the new score entry, the audit.
  Membership changed = *repository.LoadForUpdate("mem-1");
  REQUIRE(AdjustScore(changed, -5, "missed KPI returns", Utc(2026, 7, 8), "lead", {}).ok());
  REQUIRE(RecordAudit(changed, Utc(2026, 12, 1), "auditor", "registration confirmed", 6).ok());
  REQUIRE(Suspend(changed, SuspensionCause::kEvidenceExpiry, {"crit-insurance"},
                  "insurance expired", Utc(2026, 12, 2), "evidence-expiry", "evi-1")
              .ok());
  REQUIRE(repository.Save(changed) == absl::OkStatus());
  CHECK(changed.version == 2);
  CheckSame(repository.LoadForUpdate("mem-1"), changed);
  CHECK(repository.LoadForUpdate("mem-1")->scores.size() == 2);
  // Saved again unchanged: no entry repeated.
  REQUIRE(repository.Save(changed) == absl::OkStatus());
  CHECK(changed.version == 3);
  CheckSame(repository.LoadForUpdate("mem-1"), changed);
  Membership unknown = Member("mem-9", "x");
  CHECK(repository.Save(unknown) == absl::NotFoundError("membership mem-9: not found"));

  // The evidence each rests on, by criterion; a newer answer replaces what it rested on.
  REQUIRE(repository.RestOn("mem-1", "crit-insurance", {"evi-1", "evi-2"}) == absl::OkStatus());
  REQUIRE(repository.RestOn("mem-2", "crit-insurance", {"evi-1"}) == absl::OkStatus());
  REQUIRE(repository.RestOn("mem-2", "crit-dbs", {"evi-5"}) == absl::OkStatus());
  CHECK(Resting(repository, "evi-1") ==
        std::vector<std::string>{"mem-1/crit-insurance", "mem-2/crit-insurance"});
  REQUIRE(repository.RestOn("mem-1", "crit-insurance", {"evi-3"}) == absl::OkStatus());
  CHECK(Resting(repository, "evi-1") == std::vector<std::string>{"mem-2/crit-insurance"});
  CHECK(Resting(repository, "evi-2").empty());
  CHECK(Resting(repository, "evi-3") == std::vector<std::string>{"mem-1/crit-insurance"});
  CHECK(Resting(repository, "evi-5") == std::vector<std::string>{"mem-2/crit-dbs"});
}

TEST_CASE("memberships: the repository in memory answers as PostgreSQL does", "[pg]") {
  InMemoryMembershipRepository memory;
  MembershipContract(memory);
  testing::TestRegister r;
  REQUIRE(r.pool.InTransaction([](pqxx::work& tx) {
    // The memberships' system, lots, establishment and evidence are not this test's subject:
    // foreign keys are left unchecked for its transaction (the test database's superuser may).
    tx.exec0("SET LOCAL session_replication_role = replica");
    PgMembershipRepository memberships(tx);
    MembershipContract(memberships);
    return absl::OkStatus();
  }) == absl::OkStatus());
}

TEST_CASE("a membership read back is the one written, through the API's record") {
  // What the PostgreSQL repository keeps in `doc`: every field the domain holds but the last
  // audit and the score history, which it keeps apart.
  Membership suspended = Member("mem-1", "sen-52");
  REQUIRE(Suspend(suspended, SuspensionCause::kSafeguardingAlert, {"safeguarding-alert:alt-1"},
                  "serious alert", Utc(2026, 3, 1), "lead", "alt-1")
              .ok());
  for (const Membership& m : {Member("mem-1", "sen-52"), suspended}) {
    const v1::Membership record = ToApiMembership(m);
    absl::StatusOr<Membership> back = ToDomainMembership(record, m.scores, m.last_audit_at);
    REQUIRE(back.ok());
    CHECK(ToApiMembership(*back).DebugString() == record.DebugString());
    CHECK(back->prices.core_costs[1].label == "therapy on site");
    CHECK(back->prices.rate_card[0].description == "one to one support");
    CHECK(back->failed_items.size() == m.failed_items.size());
  }
  CHECK(ToApiMembership(suspended).suspensions(0).alert_id() == "alt-1");
  CHECK(ToApiMembership(suspended).commercial().valid_until().year() == 2027);

  // Every core-cost category and rate unit reads back as written (an unset unit is hourly, as
  // it always meant).
  v1::Membership record = ToApiMembership(Member("mem-1", "sen-52"));
  v1::CommercialSubmission& prices = *record.mutable_commercial();
  prices.clear_core_costs();
  prices.clear_rate_card();
  for (int category = v1::CoreCostCategory_MIN; category <= v1::CoreCostCategory_MAX; ++category) {
    v1::CoreCostLine& line = *prices.add_core_costs();
    line.set_category(static_cast<v1::CoreCostCategory>(category));
    line.mutable_weekly_amount()->set_pence(0);
  }
  for (int unit = v1::RateUnit_MIN + 1; unit <= v1::RateUnit_MAX; ++unit) {
    v1::AdditionalServiceRate& rate = *prices.add_rate_card();
    rate.set_code(absl::StrCat("service-", unit));
    rate.set_unit(static_cast<v1::RateUnit>(unit));
    rate.mutable_rate()->set_pence(1500 * unit);
  }
  absl::StatusOr<Membership> back = ToDomainMembership(record, {}, std::nullopt);
  REQUIRE(back.ok());
  CHECK(ToApiMembership(*back).commercial().DebugString() == prices.DebugString());
}

}  // namespace
}  // namespace dps::qualification
