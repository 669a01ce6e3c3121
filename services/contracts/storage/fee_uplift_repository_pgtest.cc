// PgFeeUpliftRepository against a real PostgreSQL (label pg): an uplift written and read back
// whole, the optimistic-concurrency check, one id per uplift and at most one REQUESTED uplift per
// IPA, an IPA's uplifts oldest first, and lists filtered and paged by id. Every uplift's IPA is
// stored first (fee_uplifts.ipa_id references ipas).
#include <catch2/catch.hpp>
#include <utility>

#include "absl/strings/str_cat.h"
#include "platform/events/outbox_migrations.h"
#include "platform/pg/migrations.h"
#include "platform/pg/pool.h"
#include "platform/testing/test_env.h"
#include "services/contracts/domain/fee_uplift.h"
#include "services/contracts/domain/test_fixtures.h"
#include "services/contracts/storage/ipa_json.h"
#include "services/contracts/storage/migrations.h"
#include "services/contracts/storage/pg_ipa_repository.h"

namespace dps::contracts {
namespace {

using namespace dps::contracts::testing;  // NOLINT: the domain's fixtures
using platform::PgPool;
using platform::testing::TestDatabase;

// A DRAFT IPA of its own source: enough for the foreign key, and it needs no rendered bytes.
Ipa DraftWithId(const std::string& id) {
  IpaSpec spec = ValidSpec();
  spec.id = id;
  spec.source.bid_id = absl::StrCat("bid-", id);
  absl::StatusOr<Ipa> ipa = CreateIpa(spec, Service(), Now() - absl::Hours(1));
  REQUIRE(ipa.status() == absl::OkStatus());
  return *ipa;
}

// A REQUESTED uplift of `ipa_id`, every field of the request set, requested at `at`.
FeeUplift Requested(const std::string& id, const std::string& ipa_id,
                    absl::Time at = Utc(2027, 5, 3, 9, 30)) {
  FeeUplift u;
  u.id = id;
  u.ipa_id = ipa_id;
  u.provider_id = "acme-care";
  u.placing_authority_id = "west-sussex";
  u.lead_authority_id = "authority-lead";
  u.current_core_fee_pence = 85'000;
  u.requested_core_fee_pence = 90'000;
  u.effective_from = Day(2027, 6, 1);
  u.justification = "Staff pay rose with the National Living Wage";
  u.cost_pressures = {{"CORE_STAFFING", "National Living Wage from April", 4'000},
                      {"PREMISES", "Rent review", 1'000}};
  u.requested_by_user_id = "provider-user-1";
  u.requested_at = at + absl::Microseconds(123);
  return u;
}

// `uplift` decided by the commissioner: partly approved, or `state` if given.
FeeUplift Decide(FeeUplift uplift, UpliftState state = UpliftState::kPartlyApproved) {
  uplift.state = state;
  uplift.approved_core_fee_pence = state == UpliftState::kRefused ? 0 : 88'000;
  uplift.decision_reason = "The staffing rise is evidenced";
  uplift.decided_by = Commissioner();
  uplift.decided_at = uplift.requested_at + absl::Hours(24 * 7);
  uplift.variation_version_number = state == UpliftState::kRefused ? 0 : 2;
  return uplift;
}

// The uplift as its stored document: ipa_json_test checks that the document keeps every field,
// so two uplifts with the same document are the same.
nlohmann::json Whole(const FeeUplift& uplift) { return storage::UpliftToJson(uplift); }

std::vector<std::string> IdsOf(const std::vector<FeeUplift>& uplifts) {
  std::vector<std::string> ids;
  for (const FeeUplift& u : uplifts) ids.push_back(u.id);
  return ids;
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

  template <typename Fn>
  absl::Status Run(Fn fn) {
    return uow.Run([&](IpaTransaction& tx) -> absl::Status { return fn(tx.uplifts()); });
  }

  void InsertIpa(const std::string& id) {
    const Ipa ipa = DraftWithId(id);
    REQUIRE(uow.Run([&](IpaTransaction& tx) { return tx.ipas().Insert(ipa, {}).status(); }) ==
            absl::OkStatus());
  }

  absl::StatusOr<int64_t> TryInsert(const FeeUplift& uplift) {
    absl::StatusOr<int64_t> version;
    const absl::Status s = Run([&](FeeUpliftRepository& r) {
      version = r.Insert(uplift);
      return version.status();
    });
    if (!s.ok()) return s;
    return version;
  }

  void Insert(const FeeUplift& uplift) { REQUIRE(TryInsert(uplift).value_or(0) == 1); }

  absl::StatusOr<int64_t> Save(const FeeUplift& uplift, int64_t expected_version) {
    absl::StatusOr<int64_t> version;
    const absl::Status s = Run([&](FeeUpliftRepository& r) {
      version = r.Save(uplift, expected_version);
      return version.status();
    });
    if (!s.ok()) return s;
    return version;
  }

  StoredUplift Load(const std::string& id) {
    absl::StatusOr<StoredUplift> out;
    REQUIRE(Run([&](FeeUpliftRepository& r) {
              out = r.Load(id);
              return out.status();
            }) == absl::OkStatus());
    return *out;
  }

  std::vector<FeeUplift> ListForIpa(const std::string& ipa_id) {
    absl::StatusOr<std::vector<FeeUplift>> out;
    REQUIRE(Run([&](FeeUpliftRepository& r) {
              out = r.ListForIpa(ipa_id);
              return out.status();
            }) == absl::OkStatus());
    return *out;
  }

  std::pair<std::vector<std::string>, std::string> List(const UpliftFilter& filter,
                                                        const UpliftPageRequest& page = {}) {
    absl::StatusOr<UpliftPage> out;
    REQUIRE(Run([&](FeeUpliftRepository& r) {
              out = r.List(filter, page);
              return out.status();
            }) == absl::OkStatus());
    std::vector<std::string> ids;
    for (const StoredUplift& s : out->uplifts) ids.push_back(s.uplift.id);
    return {ids, out->next_after_id};
  }
};

using Ids = std::vector<std::string>;

TEST_CASE("an uplift inserted loads back whole, awaiting a decision or decided", "[pg]") {
  Store store;
  store.InsertIpa("ipa-1");
  store.InsertIpa("ipa-2");
  const FeeUplift requested = Requested("uplift-1", "ipa-1");
  const FeeUplift decided = Decide(Requested("uplift-2", "ipa-2"));
  store.Insert(requested);
  store.Insert(decided);

  const StoredUplift loaded = store.Load("uplift-1");
  CHECK(loaded.version == 1);
  CHECK(Whole(loaded.uplift) == Whole(requested));
  CHECK_FALSE(loaded.uplift.decided_by.has_value());
  CHECK(loaded.uplift.cost_pressures == requested.cost_pressures);
  CHECK(loaded.uplift.requested_at == requested.requested_at);
  CHECK(Whole(store.Load("uplift-2").uplift) == Whole(decided));

  absl::StatusOr<StoredUplift> locked;
  REQUIRE(store.Run([&](FeeUpliftRepository& r) {
    locked = r.LoadForUpdate("uplift-2");
    return locked.status();
  }) == absl::OkStatus());
  CHECK(locked->version == 1);
  CHECK(Whole(locked->uplift) == Whole(decided));
}

TEST_CASE("a save naming the stored version adds one, a stale one is Aborted and changes nothing",
          "[pg]") {
  Store store;
  store.InsertIpa("ipa-1");
  const FeeUplift requested = Requested("uplift-1", "ipa-1");
  store.Insert(requested);
  const FeeUplift decided = Decide(requested);
  CHECK(store.Save(decided, 1).value_or(0) == 2);
  CHECK(store.Load("uplift-1").version == 2);
  CHECK(Whole(store.Load("uplift-1").uplift) == Whole(decided));

  FeeUplift withdrawn = requested;  // read at version 1, before the decision
  withdrawn.state = UpliftState::kWithdrawn;
  const absl::Status stale = store.Save(withdrawn, 1).status();
  CHECK(stale.code() == absl::StatusCode::kAborted);
  CHECK_THAT(Message(stale), Catch::Contains("fee uplift uplift-1"));
  const StoredUplift loaded = store.Load("uplift-1");
  CHECK(loaded.version == 2);
  CHECK(loaded.uplift.state == UpliftState::kPartlyApproved);
  CHECK(Whole(loaded.uplift) == Whole(decided));
}

TEST_CASE("an unknown uplift is NotFound to Load, LoadForUpdate and Save", "[pg]") {
  Store store;
  store.InsertIpa("ipa-1");
  absl::Status s = store.Run([](FeeUpliftRepository& r) { return r.Load("uplift-404").status(); });
  CHECK(s.code() == absl::StatusCode::kNotFound);
  CHECK(Message(s) == "fee uplift uplift-404: not found");
  CHECK(store.Run([](FeeUpliftRepository& r) { return r.LoadForUpdate("uplift-404").status(); })
            .code() == absl::StatusCode::kNotFound);
  s = store.Save(Requested("uplift-404", "ipa-1"), 1).status();
  CHECK(s.code() == absl::StatusCode::kNotFound);
  CHECK(Message(s) == "fee uplift uplift-404: not found");
}

TEST_CASE("an uplift whose id is taken is AlreadyExists and changes nothing", "[pg]") {
  Store store;
  store.InsertIpa("ipa-1");
  store.InsertIpa("ipa-2");
  const FeeUplift first = Requested("uplift-1", "ipa-1");
  store.Insert(first);
  const absl::Status s = store.TryInsert(Decide(Requested("uplift-1", "ipa-2"))).status();
  CHECK(s.code() == absl::StatusCode::kAlreadyExists);
  CHECK(Message(s) == "fee uplift uplift-1: already exists");
  CHECK(Whole(store.Load("uplift-1").uplift) == Whole(first));
}

TEST_CASE("a second REQUESTED uplift of one IPA is AlreadyExists, a decided one beside it is not",
          "[pg]") {
  Store store;
  store.InsertIpa("ipa-1");
  store.InsertIpa("ipa-2");
  const FeeUplift first = Requested("uplift-1", "ipa-1");
  store.Insert(first);

  const absl::Status s = store.TryInsert(Requested("uplift-2", "ipa-1")).status();
  CHECK(s.code() == absl::StatusCode::kAlreadyExists);
  CHECK(Message(s) == "fee uplift uplift-2: another request of IPA ipa-1 awaits a decision");
  CHECK(store.Run([](FeeUpliftRepository& r) { return r.Load("uplift-2").status(); }).code() ==
        absl::StatusCode::kNotFound);

  store.Insert(Decide(Requested("uplift-3", "ipa-1"), UpliftState::kRefused));
  store.Insert(Requested("uplift-4", "ipa-2"));  // another IPA's request

  // Once the first is decided, the IPA may have a new request awaiting a decision...
  REQUIRE(store.Save(Decide(first), 1).status() == absl::OkStatus());
  store.Insert(Requested("uplift-2", "ipa-1"));
  // ... and a decided one cannot be put back beside it.
  const absl::Status back = store.Save(first, 2).status();
  CHECK(back.code() == absl::StatusCode::kAlreadyExists);
  CHECK_THAT(Message(back), Catch::Contains("awaits a decision"));
  CHECK(store.Load("uplift-1").uplift.state == UpliftState::kPartlyApproved);
}

TEST_CASE("an IPA's uplifts are listed oldest request first, and no other IPA's", "[pg]") {
  Store store;
  store.InsertIpa("ipa-1");
  store.InsertIpa("ipa-2");
  store.Insert(Decide(Requested("uplift-a", "ipa-1", Utc(2029, 6, 1))));
  store.Insert(Decide(Requested("uplift-b", "ipa-1", Utc(2027, 6, 1)), UpliftState::kRefused));
  store.Insert(Requested("uplift-c", "ipa-1", Utc(2030, 6, 1)));
  store.Insert(Decide(Requested("uplift-d", "ipa-1", Utc(2028, 6, 1)), UpliftState::kWithdrawn));
  store.Insert(Requested("uplift-e", "ipa-2", Utc(2026, 6, 1)));

  const std::vector<FeeUplift> uplifts = store.ListForIpa("ipa-1");
  CHECK(IdsOf(uplifts) == Ids{"uplift-b", "uplift-d", "uplift-a", "uplift-c"});
  REQUIRE(uplifts.size() == 4);
  CHECK(Whole(uplifts[3]) == Whole(Requested("uplift-c", "ipa-1", Utc(2030, 6, 1))));
  CHECK(IdsOf(store.ListForIpa("ipa-2")) == Ids{"uplift-e"});
  CHECK(store.ListForIpa("ipa-3").empty());
}

TEST_CASE("lists filter by IPA, authority, provider, lead authority and state, and page by id",
          "[pg]") {
  Store store;
  for (int i = 1; i <= 3; ++i) store.InsertIpa(absl::StrCat("ipa-", i));
  FeeUplift u1 = Decide(Requested("uplift-1", "ipa-1", Utc(2027, 5, 1)), UpliftState::kApproved);
  FeeUplift u2 = Requested("uplift-2", "ipa-1", Utc(2028, 5, 1));
  FeeUplift u3 = Decide(Requested("uplift-3", "ipa-2"), UpliftState::kRefused);
  u3.placing_authority_id = "surrey";
  FeeUplift u4 = Requested("uplift-4", "ipa-2");
  u4.placing_authority_id = "surrey";
  u4.lead_authority_id = "authority-other";
  FeeUplift u5 = Decide(Requested("uplift-5", "ipa-3"), UpliftState::kWithdrawn);
  u5.provider_id = "other-care";
  for (const FeeUplift& u : {u1, u2, u3, u4, u5}) store.Insert(u);

  CHECK(store.List({.ipa_id = "ipa-2"}).first == Ids{"uplift-3", "uplift-4"});
  CHECK(store.List({.placing_authority_id = "surrey"}).first == Ids{"uplift-3", "uplift-4"});
  CHECK(store.List({.placing_authority_id = "west-sussex"}).first ==
        Ids{"uplift-1", "uplift-2", "uplift-5"});
  CHECK(store.List({.provider_id = "other-care"}).first == Ids{"uplift-5"});
  CHECK(store.List({.lead_authority_id = "authority-other"}).first == Ids{"uplift-4"});
  CHECK(store.List({.lead_authority_id = "authority-lead"}).first ==
        Ids{"uplift-1", "uplift-2", "uplift-3", "uplift-5"});
  CHECK(store.List({.states = {UpliftState::kRequested}}).first == Ids{"uplift-2", "uplift-4"});
  CHECK(store.List({.states = {UpliftState::kApproved, UpliftState::kWithdrawn}}).first ==
        Ids{"uplift-1", "uplift-5"});
  CHECK(store.List({.placing_authority_id = "surrey", .states = {UpliftState::kRequested}}).first ==
        Ids{"uplift-4"});
  CHECK(store.List({.provider_id = "acme-care", .states = {UpliftState::kPartlyApproved}})
            .first.empty());

  auto [first, next] = store.List({.provider_id = "acme-care"}, {.size = 2});
  CHECK(first == Ids{"uplift-1", "uplift-2"});
  CHECK(next == "uplift-2");
  auto [second, after_second] =
      store.List({.provider_id = "acme-care"}, {.size = 2, .after_id = next});
  CHECK(second == Ids{"uplift-3", "uplift-4"});
  CHECK(after_second.empty());  // uplift-5 is another provider's
  auto [all, none] = store.List({}, {.size = 5});
  CHECK(all.size() == 5);
  CHECK(none.empty());
  CHECK(store.Run([](FeeUpliftRepository& r) { return r.List({}, {.size = 0}).status(); }).code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(
      store.Run([](FeeUpliftRepository& r) { return r.List({}, {.size = 501}).status(); }).code() ==
      absl::StatusCode::kInvalidArgument);
}

TEST_CASE("an uplift commits with its IPA's change or not at all, and needs its IPA", "[pg]") {
  Store store;
  const Ipa ipa = DraftWithId("ipa-1");
  const absl::Status failed = store.uow.Run([&](IpaTransaction& tx) -> absl::Status {
    if (auto v = tx.ipas().Insert(ipa, {}); !v.ok()) return v.status();
    if (auto v = tx.uplifts().Insert(Requested("uplift-1", "ipa-1")); !v.ok()) return v.status();
    return absl::UnavailableError("the caller failed after both");
  });
  CHECK(failed.code() == absl::StatusCode::kUnavailable);
  CHECK(store.Run([](FeeUpliftRepository& r) { return r.Load("uplift-1").status(); }).code() ==
        absl::StatusCode::kNotFound);

  // No IPA row: the foreign key refuses the uplift.
  CHECK_FALSE(store.TryInsert(Requested("uplift-1", "ipa-1")).ok());

  REQUIRE(store.uow.Run([&](IpaTransaction& tx) -> absl::Status {
    if (auto v = tx.ipas().Insert(ipa, {}); !v.ok()) return v.status();
    return tx.uplifts().Insert(Requested("uplift-1", "ipa-1")).status();
  }) == absl::OkStatus());
  CHECK(store.Load("uplift-1").version == 1);
}

}  // namespace
}  // namespace dps::contracts
