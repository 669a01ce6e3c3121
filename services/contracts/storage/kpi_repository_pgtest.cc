// PgKpiRepository against a real PostgreSQL (label pg): definitions, returns and reviews written
// and read back whole, the optimistic-concurrency checks, one return per IPA and period, the
// codes returns use, and lists filtered and paged by id. Every return's IPA is stored first
// (kpi_returns.ipa_id references ipas).
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "platform/events/outbox_migrations.h"
#include "platform/pg/migrations.h"
#include "platform/pg/pool.h"
#include "platform/testing/test_env.h"
#include "services/contracts/domain/kpi.h"
#include "services/contracts/domain/test_fixtures.h"
#include "services/contracts/storage/kpi_json.h"
#include "services/contracts/storage/migrations.h"
#include "services/contracts/storage/pg_ipa_repository.h"

namespace dps::contracts {
namespace {

using namespace dps::contracts::testing;  // NOLINT: the domain's fixtures
using platform::PgPool;
using platform::testing::TestDatabase;
using Ids = std::vector<std::string>;

Actor LeadAdmin() { return {"lead-admin-1", Role::kLeadAuthorityAdmin, "authority-lead"}; }

// A DRAFT IPA of its own source: enough for the foreign key.
Ipa DraftWithId(const std::string& id) {
  IpaSpec spec = ValidSpec();
  spec.id = id;
  spec.source.bid_id = absl::StrCat("bid-", id);
  absl::StatusOr<Ipa> ipa = CreateIpa(spec, Service(), Now() - absl::Hours(1));
  REQUIRE(ipa.status() == absl::OkStatus());
  return *ipa;
}

KpiDefinitionSet Definitions(const std::string& system_id = "system-1") {
  KpiDefinitionSet set;
  set.system_id = system_id;
  set.definitions = {
      {"missing-episodes",
       "Missing episodes",
       "Times the child was missing from care",
       KpiValueType::kCount,
       1,
       {}},
      {"health-assessment",
       "Health assessment up to date",
       "",
       KpiValueType::kYesNo,
       3,
       {ProvisionType::kFostering, ProvisionType::kResidentialHome}},
  };
  set.updated_by = LeadAdmin();
  set.updated_at = Utc(2027, 3, 1) + absl::Microseconds(17);
  return set;
}

// A return of `ipa_id` for April 2027 (or `period`), every field set.
KpiReturn Return(const std::string& id, const std::string& ipa_id,
                 DateRange period = {Day(2027, 4, 1), Day(2027, 4, 30)}) {
  KpiReturn r;
  r.id = id;
  r.ipa_id = ipa_id;
  r.system_id = "system-1";
  r.lead_authority_id = "authority-lead";
  r.placing_authority_id = "west-sussex";
  r.provider_id = "acme-care";
  r.establishment_id = "acme-care-horsham";
  r.provision_type = ProvisionType::kFostering;
  r.period = period;
  r.values = {{"missing-episodes", 2, 0, false, ""},
              {"school-attendance", 0, 9'250, false, ""},
              {"health-assessment", 0, 0, true, ""},
              {"progress", 0, 0, false, "Settled well"}};
  r.submitted_by_user_id = "provider-user-1";
  r.first_submitted_at = Utc(2027, 5, 3, 9, 30) + absl::Microseconds(5);
  r.submitted_at = r.first_submitted_at;
  r.submissions = 1;
  return r;
}

KpiReturn Queried(KpiReturn r) {
  r.state = KpiReturnState::kQueried;
  r.query_note = "Two missing episodes were reported to us";
  r.reviewed_by = Officer();
  r.reviewed_at = r.submitted_at + absl::Hours(3);
  return r;
}

PerformanceReview Review(const std::string& id, const std::string& establishment_id) {
  PerformanceReview r;
  r.id = id;
  r.system_id = "system-1";
  r.lead_authority_id = "authority-lead";
  r.establishment_id = establishment_id;
  r.provider_id = "acme-care";
  r.period = {Day(2027, 1, 1), Day(2027, 6, 30)};
  r.rating = PerformanceRating::kPartlyMeets;
  r.findings = "Returns late twice; attendance below the system's average";
  r.kpi_return_ids = {"kpi-1", "kpi-2"};
  r.recommended_score_delta = -2.35;
  r.reviewed_by = LeadAdmin();
  r.reviewed_at = Utc(2027, 7, 5) + absl::Microseconds(3);
  return r;
}

// A migrated contracts schema in a fresh database.
struct Store {
  TestDatabase db;
  PgPool pool{{.url = db.url(), .schema = "contracts", .size = 3}};
  PgIpaUnitOfWork uow{pool};

  Store() {
    const absl::Status migrated = pool.WithConnection([](pqxx::connection& c) {
      const platform::MigrationSet sets[] = {{"platform", platform::OutboxMigrations()},
                                             {"contracts", ContractsMigrations()}};
      return platform::ApplyMigrations(c, "contracts", sets);
    });
    REQUIRE(migrated == absl::OkStatus());
  }

  // Runs `fn` with the KPI repository of a new transaction; returns its status.
  template <typename Fn>
  absl::Status Run(Fn fn) {
    return uow.Run([&](IpaTransaction& tx) -> absl::Status { return fn(tx.kpis()); });
  }
  // The value `fn` returns from a transaction of its own.
  template <typename T, typename Fn>
  absl::StatusOr<T> Get(Fn fn) {
    absl::StatusOr<T> out = absl::UnknownError("not run");
    const absl::Status s = Run([&](KpiRepository& r) {
      out = fn(r);
      return out.status();
    });
    if (!s.ok()) return s;
    return out;
  }

  void InsertIpa(const std::string& id) {
    const Ipa ipa = DraftWithId(id);
    REQUIRE(uow.Run([&](IpaTransaction& tx) { return tx.ipas().Insert(ipa, {}).status(); }) ==
            absl::OkStatus());
  }
  absl::StatusOr<int64_t> InsertReturn(const KpiReturn& r) {
    return Get<int64_t>([&](KpiRepository& repo) { return repo.InsertReturn(r); });
  }
  StoredKpiReturn LoadReturn(const std::string& id) {
    absl::StatusOr<StoredKpiReturn> out =
        Get<StoredKpiReturn>([&](KpiRepository& repo) { return repo.LoadReturn(id); });
    REQUIRE(out.status() == absl::OkStatus());
    return *out;
  }
  std::pair<Ids, std::string> ListReturns(const KpiReturnFilter& filter,
                                          const KpiPageRequest& page = {}) {
    absl::StatusOr<KpiReturnPage> out =
        Get<KpiReturnPage>([&](KpiRepository& repo) { return repo.ListReturns(filter, page); });
    REQUIRE(out.status() == absl::OkStatus());
    Ids ids;
    for (const StoredKpiReturn& s : out->returns) ids.push_back(s.kpi_return.id);
    return {ids, out->next_after_id};
  }
};

TEST_CASE("a system's definitions are saved whole and only over the version read", "[pg]") {
  Store store;
  absl::StatusOr<StoredKpiDefinitionSet> none = store.Get<StoredKpiDefinitionSet>(
      [](KpiRepository& r) { return r.LoadDefinitions("system-1"); });
  REQUIRE(none.status() == absl::OkStatus());
  CHECK(none->version == 0);
  CHECK(none->set.system_id == "system-1");
  CHECK(none->set.definitions.empty());

  const KpiDefinitionSet set = Definitions();
  CHECK(
      store.Get<int64_t>([&](KpiRepository& r) { return r.SaveDefinitions(set, 0); }).value_or(0) ==
      1);
  // A second first save lost a race: the row is there now.
  CHECK(store.Get<int64_t>([&](KpiRepository& r) { return r.SaveDefinitions(set, 0); })
            .status()
            .code() == absl::StatusCode::kAborted);

  for (auto load : {&KpiRepository::LoadDefinitions, &KpiRepository::LoadDefinitionsForShare,
                    &KpiRepository::LoadDefinitionsForUpdate}) {
    absl::StatusOr<StoredKpiDefinitionSet> loaded =
        store.Get<StoredKpiDefinitionSet>([&](KpiRepository& r) { return (r.*load)("system-1"); });
    REQUIRE(loaded.status() == absl::OkStatus());
    CHECK(loaded->version == 1);
    CHECK(loaded->set.definitions == set.definitions);
    CHECK(storage::DefinitionSetToJson(loaded->set) == storage::DefinitionSetToJson(set));
  }

  KpiDefinitionSet fewer = set;
  fewer.definitions.pop_back();
  CHECK(store.Get<int64_t>([&](KpiRepository& r) { return r.SaveDefinitions(fewer, 1); })
            .value_or(0) == 2);
  const absl::Status stale =
      store.Get<int64_t>([&](KpiRepository& r) { return r.SaveDefinitions(set, 1); }).status();
  CHECK(stale.code() == absl::StatusCode::kAborted);
  CHECK(store
            .Get<StoredKpiDefinitionSet>(
                [](KpiRepository& r) { return r.LoadDefinitions("system-1"); })
            ->set.definitions == fewer.definitions);
}

TEST_CASE("a return loads back whole and is saved only over the version read", "[pg]") {
  Store store;
  store.InsertIpa("ipa-1");
  const KpiReturn submitted = Return("kpi-1", "ipa-1");
  CHECK(store.InsertReturn(submitted).value_or(0) == 1);

  const StoredKpiReturn loaded = store.LoadReturn("kpi-1");
  CHECK(loaded.version == 1);
  CHECK(storage::KpiReturnToJson(loaded.kpi_return) == storage::KpiReturnToJson(submitted));
  CHECK(loaded.kpi_return.values == submitted.values);
  CHECK(loaded.kpi_return.first_submitted_at == submitted.first_submitted_at);

  absl::StatusOr<std::optional<StoredKpiReturn>> found = store.Get<std::optional<StoredKpiReturn>>(
      [&](KpiRepository& r) { return r.FindReturn("ipa-1", submitted.period); });
  REQUIRE(found.status() == absl::OkStatus());
  REQUIRE(found->has_value());
  CHECK((*found)->kpi_return.id == "kpi-1");
  CHECK_FALSE(store
                  .Get<std::optional<StoredKpiReturn>>([&](KpiRepository& r) {
                    return r.FindReturn("ipa-1", {Day(2027, 4, 1), Day(2027, 4, 29)});
                  })
                  ->has_value());

  const KpiReturn queried = Queried(submitted);
  CHECK(
      store.Get<int64_t>([&](KpiRepository& r) { return r.SaveReturn(queried, 1); }).value_or(0) ==
      2);
  absl::StatusOr<StoredKpiReturn> locked =
      store.Get<StoredKpiReturn>([](KpiRepository& r) { return r.LoadReturnForUpdate("kpi-1"); });
  REQUIRE(locked.status() == absl::OkStatus());
  CHECK(locked->version == 2);
  CHECK(storage::KpiReturnToJson(locked->kpi_return) == storage::KpiReturnToJson(queried));

  const absl::Status stale =
      store.Get<int64_t>([&](KpiRepository& r) { return r.SaveReturn(submitted, 1); }).status();
  CHECK(stale.code() == absl::StatusCode::kAborted);
  CHECK(Message(stale) == "kpi return kpi-1: version 1 is not the stored 2");
  CHECK(
      store
          .Get<int64_t>([&](KpiRepository& r) { return r.SaveReturn(Return("kpi-9", "ipa-1"), 1); })
          .status()
          .code() == absl::StatusCode::kNotFound);
  CHECK(store.Get<StoredKpiReturn>([](KpiRepository& r) { return r.LoadReturn("kpi-9"); })
            .status()
            .code() == absl::StatusCode::kNotFound);
}

TEST_CASE("one return per IPA and period and one per id", "[pg]") {
  Store store;
  store.InsertIpa("ipa-1");
  REQUIRE(store.InsertReturn(Return("kpi-1", "ipa-1")).value_or(0) == 1);

  const absl::Status same_period = store.InsertReturn(Return("kpi-2", "ipa-1")).status();
  CHECK(same_period.code() == absl::StatusCode::kAlreadyExists);
  CHECK(Message(same_period) ==
        "kpi return kpi-2: IPA ipa-1 has a return for 2027-04-01 to 2027-04-30 already");
  const absl::Status same_id =
      store.InsertReturn(Return("kpi-1", "ipa-1", {Day(2027, 5, 1), Day(2027, 5, 31)})).status();
  CHECK(same_id.code() == absl::StatusCode::kAlreadyExists);
  CHECK(Message(same_id) == "kpi return kpi-1: already exists");
  // Another period of the same IPA is a return of its own; an unknown IPA has none.
  CHECK(store.InsertReturn(Return("kpi-2", "ipa-1", {Day(2027, 5, 1), Day(2027, 5, 31)})).ok());
  CHECK_FALSE(store.InsertReturn(Return("kpi-3", "ipa-unknown")).ok());
}

TEST_CASE("the codes in use are those of the system's returns", "[pg]") {
  Store store;
  store.InsertIpa("ipa-1");
  KpiReturn other_system = Return("kpi-2", "ipa-1", {Day(2027, 5, 1), Day(2027, 5, 31)});
  other_system.system_id = "system-2";
  other_system.values = {{"elsewhere", 1, 0, false, ""}};
  REQUIRE(store.InsertReturn(Return("kpi-1", "ipa-1")).ok());
  REQUIRE(store.InsertReturn(other_system).ok());
  absl::StatusOr<std::set<std::string>> codes =
      store.Get<std::set<std::string>>([](KpiRepository& r) { return r.CodesInUse("system-1"); });
  REQUIRE(codes.status() == absl::OkStatus());
  CHECK(*codes == std::set<std::string>{"health-assessment", "missing-episodes", "progress",
                                        "school-attendance"});
  CHECK(store.Get<std::set<std::string>>([](KpiRepository& r) { return r.CodesInUse("system-3"); })
            ->empty());
}

TEST_CASE("replacing the definitions waits for a return being checked against them", "[pg]") {
  Store store;
  store.InsertIpa("ipa-1");
  const KpiDefinitionSet set = Definitions();
  REQUIRE(store.Get<int64_t>([&](KpiRepository& r) { return r.SaveDefinitions(set, 0); }).ok());

  // The submission holds its share lock, then takes its time before writing the return: the
  // replacement's row lock must wait for it, and then see the codes it used.
  absl::Notification checked;
  std::thread submission([&] {
    CHECK(store.Run([&](KpiRepository& r) -> absl::Status {
      if (absl::Status s = r.LoadDefinitionsForShare("system-1").status(); !s.ok()) return s;
      checked.Notify();
      absl::SleepFor(absl::Milliseconds(300));
      return r.InsertReturn(Return("kpi-1", "ipa-1")).status();
    }) == absl::OkStatus());
  });
  checked.WaitForNotification();
  absl::StatusOr<std::set<std::string>> in_use;
  CHECK(store.Run([&](KpiRepository& r) -> absl::Status {
    if (absl::Status s = r.LoadDefinitionsForUpdate("system-1").status(); !s.ok()) return s;
    in_use = r.CodesInUse("system-1");
    return in_use.status();
  }) == absl::OkStatus());
  submission.join();
  REQUIRE(in_use.ok());
  CHECK(in_use->contains("missing-episodes"));
}

TEST_CASE("returns are listed by scope and period and paged by id", "[pg]") {
  Store store;
  store.InsertIpa("ipa-1");
  store.InsertIpa("ipa-2");
  REQUIRE(store.InsertReturn(Return("kpi-1", "ipa-1")).ok());
  REQUIRE(store.InsertReturn(Return("kpi-2", "ipa-1", {Day(2027, 5, 1), Day(2027, 5, 31)})).ok());
  KpiReturn elsewhere = Queried(Return("kpi-3", "ipa-2"));
  elsewhere.placing_authority_id = "brighton";
  elsewhere.provider_id = "other-care";
  elsewhere.establishment_id = "other-care-hove";
  elsewhere.lead_authority_id = "other-lead";
  REQUIRE(store.InsertReturn(elsewhere).ok());

  CHECK(store.ListReturns({}).first == Ids{"kpi-1", "kpi-2", "kpi-3"});
  CHECK(store.ListReturns({.ipa_id = "ipa-1"}).first == Ids{"kpi-1", "kpi-2"});
  CHECK(store.ListReturns({.establishment_id = "other-care-hove"}).first == Ids{"kpi-3"});
  CHECK(store.ListReturns({.system_id = "system-1"}).first == Ids{"kpi-1", "kpi-2", "kpi-3"});
  CHECK(store.ListReturns({.placing_authority_id = "west-sussex"}).first == Ids{"kpi-1", "kpi-2"});
  CHECK(store.ListReturns({.provider_id = "other-care"}).first == Ids{"kpi-3"});
  CHECK(store.ListReturns({.lead_authority_id = "authority-lead"}).first == Ids{"kpi-1", "kpi-2"});
  CHECK(store.ListReturns({.states = {KpiReturnState::kQueried}}).first == Ids{"kpi-3"});
  // A period lists the returns that share a day with it.
  CHECK(store.ListReturns({.period = DateRange{Day(2027, 4, 30), Day(2027, 4, 30)}}).first ==
        Ids{"kpi-1", "kpi-3"});
  CHECK(store.ListReturns({.period = DateRange{Day(2027, 5, 15), Day(2027, 6, 30)}}).first ==
        Ids{"kpi-2"});

  const auto [first, after] = store.ListReturns({}, {.size = 2});
  CHECK(first == Ids{"kpi-1", "kpi-2"});
  CHECK(after == "kpi-2");
  const auto [second, end] = store.ListReturns({}, {.size = 2, .after_id = after});
  CHECK(second == Ids{"kpi-3"});
  CHECK(end.empty());
  CHECK(store.Get<KpiReturnPage>([](KpiRepository& r) { return r.ListReturns({}, {.size = 0}); })
            .status()
            .code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("a review is written once and listed by scope", "[pg]") {
  Store store;
  const PerformanceReview review = Review("review-1", "acme-care-horsham");
  CHECK(store.Get<int64_t>([&](KpiRepository& r) { return r.InsertReview(review); }).value_or(0) ==
        1);
  const absl::Status again =
      store.Get<int64_t>([&](KpiRepository& r) { return r.InsertReview(review); }).status();
  CHECK(again.code() == absl::StatusCode::kAlreadyExists);
  CHECK(Message(again) == "performance review review-1: already exists");

  absl::StatusOr<StoredPerformanceReview> loaded =
      store.Get<StoredPerformanceReview>([](KpiRepository& r) { return r.LoadReview("review-1"); });
  REQUIRE(loaded.status() == absl::OkStatus());
  CHECK(loaded->version == 1);
  CHECK(storage::PerformanceReviewToJson(loaded->review) ==
        storage::PerformanceReviewToJson(review));
  CHECK(loaded->review.recommended_score_delta == -2.35);
  CHECK(loaded->review.reviewed_at == review.reviewed_at);
  CHECK(store.Get<StoredPerformanceReview>([](KpiRepository& r) { return r.LoadReview("none"); })
            .status()
            .code() == absl::StatusCode::kNotFound);

  PerformanceReview other = Review("review-2", "other-care-hove");
  other.provider_id = "other-care";
  other.lead_authority_id = "other-lead";
  other.system_id = "system-2";
  REQUIRE(store.Get<int64_t>([&](KpiRepository& r) { return r.InsertReview(other); }).ok());
  REQUIRE(store
              .Get<int64_t>([&](KpiRepository& r) {
                return r.InsertReview(Review("review-3", "acme-care-crawley"));
              })
              .ok());

  auto list = [&](const PerformanceReviewFilter& filter, const KpiPageRequest& page = {}) {
    absl::StatusOr<PerformanceReviewPage> out = store.Get<PerformanceReviewPage>(
        [&](KpiRepository& r) { return r.ListReviews(filter, page); });
    REQUIRE(out.status() == absl::OkStatus());
    Ids ids;
    for (const StoredPerformanceReview& s : out->reviews) ids.push_back(s.review.id);
    return std::pair(ids, out->next_after_id);
  };
  CHECK(list({}).first == Ids{"review-1", "review-2", "review-3"});
  CHECK(list({.system_id = "system-1"}).first == Ids{"review-1", "review-3"});
  CHECK(list({.system_id = "system-1", .establishment_id = "acme-care-crawley"}).first ==
        Ids{"review-3"});
  CHECK(list({.provider_id = "other-care"}).first == Ids{"review-2"});
  CHECK(list({.lead_authority_id = "authority-lead"}).first == Ids{"review-1", "review-3"});
  CHECK(list({}, {.size = 1}) == std::pair(Ids{"review-1"}, std::string("review-1")));
}

}  // namespace
}  // namespace dps::contracts
