// PgPublicationRepository against a real PostgreSQL (label pg): a publication written and read
// back whole with its bytes, one per quarter and one notice per IPA, the hash check, the
// optimistic save, lookups, lists without packages, the awards of a period (awarded_at, else
// created_at) and the event written to the outbox in the same transaction.
#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
#include "platform/crypto/sha256.h"
#include "platform/events/outbox_migrations.h"
#include "platform/pg/migrations.h"
#include "platform/pg/pool.h"
#include "platform/testing/test_env.h"
#include "services/contracts/domain/test_fixtures.h"
#include "services/contracts/storage/migrations.h"
#include "services/contracts/storage/pg_publication_repository.h"

namespace dps::contracts {
namespace {

using platform::PgPool;
using platform::testing::TestDatabase;
using testing::Utc;

// Bytes with a multi-byte character and a NUL, to show they come back exactly.
std::string PackageOf(const std::string& id) {
  return absl::StrCat(R"({"uri":"urn:dps:ocds:ocds-b5fd17:)", id,
                      R"(","name":"Ysgol Pen-y-Bryn – Môn"})", std::string(1, '\0'));
}

Publication Quarterly(const std::string& id, const std::string& system, Quarter quarter) {
  Publication p;
  p.id = id;
  p.system_id = system;
  p.lead_authority_id = "authority-lead";
  p.kind = PublicationKind::kQuarterly;
  p.quarter = quarter;
  p.award_count = 3;
  p.total_annual_value_pence = 18'837'000;
  p.publish_by = PublishByOf(quarter);
  p.sha256 = platform::Sha256Hex(PackageOf(id));
  p.produced_at = Utc(2027, 7, 2, 8, 15);
  p.produced_by_user_id = "contracts";
  return p;
}

Publication Notice(const std::string& id, const std::string& ipa_id) {
  Publication p = Quarterly(id, "system-1", {2027, 2});
  p.kind = PublicationKind::kContractAwardNotice;
  p.quarter.reset();
  p.publish_by.reset();
  p.ipa_id = ipa_id;
  p.award_count = 1;
  return p;
}

Ipa IpaOf(const std::string& id, const std::string& system, const std::string& referral) {
  IpaSpec spec = testing::ValidSpec();
  spec.id = id;
  spec.system_id = system;
  spec.source.referral_id = referral;
  spec.awarded_at = Utc(2027, 5, 1);
  absl::StatusOr<Ipa> ipa = CreateIpa(spec, testing::Service(), testing::Now());
  REQUIRE(ipa.status() == absl::OkStatus());
  return *ipa;
}

// A migrated contracts schema in a fresh database.
struct Store {
  TestDatabase db;
  PgPool pool{{.url = db.url(), .schema = "contracts", .size = 3}};
  PgPublicationUnitOfWork uow{pool};

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
    return uow.Run([&](PublicationTransaction& tx) -> absl::Status { return fn(tx); });
  }

  absl::StatusOr<int64_t> Insert(const Publication& p, const std::string& package) {
    absl::StatusOr<int64_t> version;
    const absl::Status s = Run([&](PublicationTransaction& tx) {
      version = tx.publications().Insert(p, package);
      return version.status();
    });
    if (!s.ok()) return s;
    return version;
  }

  StoredPublication Load(const std::string& id) {
    absl::StatusOr<StoredPublication> out;
    REQUIRE(Run([&](PublicationTransaction& tx) {
              out = tx.publications().Load(id);
              return out.status();
            }) == absl::OkStatus());
    return *out;
  }

  void InsertIpa(const Ipa& ipa) {
    REQUIRE(Run([&](PublicationTransaction& tx) { return tx.ipas().Insert(ipa, {}).status(); }) ==
            absl::OkStatus());
  }

  void Sql(const std::string& statement) {
    REQUIRE(pool.InTransaction([&](pqxx::work& tx) {
      tx.exec0(statement);
      return absl::OkStatus();
    }) == absl::OkStatus());
  }

  int64_t Count(const std::string& query) {
    int64_t n = -1;
    REQUIRE(pool.InTransaction([&](pqxx::work& tx) {
      n = tx.exec1(query)[0].as<int64_t>();
      return absl::OkStatus();
    }) == absl::OkStatus());
    return n;
  }
};

TEST_CASE("a publication loads back whole with its exact bytes", "[pg]") {
  Store store;
  const Publication p = Quarterly("publication-1", "system-1", {2027, 2});
  REQUIRE(*store.Insert(p, PackageOf(p.id)) == 1);
  const StoredPublication loaded = store.Load(p.id);
  CHECK(loaded.version == 1);
  CHECK(loaded.publication == p);
  CHECK(loaded.package == PackageOf(p.id));

  store.InsertIpa(IpaOf("ipa-1", "system-1", "referral-1"));
  const Publication notice = Notice("publication-2", "ipa-1");
  REQUIRE(*store.Insert(notice, PackageOf(notice.id)) == 1);
  CHECK(store.Load(notice.id).publication == notice);
}

TEST_CASE("a system publishes a quarter once and an IPA has one notice", "[pg]") {
  Store store;
  const Publication first = Quarterly("publication-1", "system-1", {2027, 2});
  REQUIRE(store.Insert(first, PackageOf(first.id)).ok());

  const absl::Status same_id = store.Insert(first, PackageOf(first.id)).status();
  CHECK(same_id.code() == absl::StatusCode::kAlreadyExists);
  CHECK(same_id.message() == "publication publication-1: already exists");

  const Publication again = Quarterly("publication-2", "system-1", {2027, 2});
  const absl::Status same_quarter = store.Insert(again, PackageOf(again.id)).status();
  CHECK(same_quarter.code() == absl::StatusCode::kAlreadyExists);
  CHECK(same_quarter.message() ==
        "publication publication-2: system-1 already has a QUARTERLY publication of 2027-Q2");

  // Another quarter, or the same quarter of another system, is its own.
  const Publication q3 = Quarterly("publication-3", "system-1", {2027, 3});
  CHECK(store.Insert(q3, PackageOf(q3.id)).ok());
  const Publication other = Quarterly("publication-4", "system-2", {2027, 2});
  CHECK(store.Insert(other, PackageOf(other.id)).ok());

  store.InsertIpa(IpaOf("ipa-1", "system-1", "referral-1"));
  const Publication notice = Notice("publication-5", "ipa-1");
  REQUIRE(store.Insert(notice, PackageOf(notice.id)).ok());
  const Publication second = Notice("publication-6", "ipa-1");
  const absl::Status twice = store.Insert(second, PackageOf(second.id)).status();
  CHECK(twice.code() == absl::StatusCode::kAlreadyExists);
  CHECK(twice.message() ==
        "publication publication-6: IPA ipa-1 already has a CONTRACT_AWARD_NOTICE");
}

TEST_CASE("a package whose hash is not the recorded one is refused", "[pg]") {
  Store store;
  Publication p = Quarterly("publication-1", "system-1", {2027, 2});
  const absl::Status s = store.Insert(p, "other bytes").status();
  CHECK(s.code() == absl::StatusCode::kInternal);
  CHECK(store.Count("SELECT count(*) FROM publications") == 0);
}

TEST_CASE("a save names the version it read", "[pg]") {
  Store store;
  Publication p = Quarterly("publication-1", "system-1", {2027, 2});
  REQUIRE(store.Insert(p, PackageOf(p.id)).ok());
  p.state = PublicationState::kPublished;
  p.external_reference = "FTS-000123-2027";
  p.published_at = Utc(2027, 7, 20);
  p.published_by_user_id = "admin-1";

  absl::StatusOr<int64_t> saved;
  REQUIRE(store.Run([&](PublicationTransaction& tx) {
    saved = tx.publications().Save(p, 1);
    return saved.status();
  }) == absl::OkStatus());
  CHECK(*saved == 2);
  const StoredPublication loaded = store.Load(p.id);
  CHECK(loaded.publication == p);
  CHECK(loaded.package == PackageOf(p.id));
  CHECK(store.Count("SELECT count(*) FROM publications WHERE state = 'PUBLISHED'") == 1);

  const absl::Status stale =
      store.Run([&](PublicationTransaction& tx) { return tx.publications().Save(p, 1).status(); });
  CHECK(stale.code() == absl::StatusCode::kAborted);
  Publication unknown = p;
  unknown.id = "publication-9";
  const absl::Status missing = store.Run(
      [&](PublicationTransaction& tx) { return tx.publications().Save(unknown, 1).status(); });
  CHECK(missing.code() == absl::StatusCode::kNotFound);
}

TEST_CASE("a quarter's publication and an IPA's notice are found by what they cover", "[pg]") {
  Store store;
  const Publication p = Quarterly("publication-1", "system-1", {2027, 2});
  REQUIRE(store.Insert(p, PackageOf(p.id)).ok());
  store.InsertIpa(IpaOf("ipa-1", "system-1", "referral-1"));
  const Publication notice = Notice("publication-2", "ipa-1");
  REQUIRE(store.Insert(notice, PackageOf(notice.id)).ok());
  // The same IPA's details notice is a publication of its own, with its due date.
  Publication details = Notice("publication-3", "ipa-1");
  details.kind = PublicationKind::kContractDetailsNotice;
  details.publish_by = absl::CivilDay(2027, 6, 4);
  REQUIRE(store.Insert(details, PackageOf(details.id)).ok());

  REQUIRE(store.Run([&](PublicationTransaction& tx) -> absl::Status {
    PublicationRepository& r = tx.publications();
    absl::StatusOr<std::optional<StoredPublication>> found = r.FindQuarterly("system-1", {2027, 2});
    REQUIRE(found.ok());
    REQUIRE(found->has_value());
    CHECK((*found)->publication.id == "publication-1");
    CHECK((*found)->package == PackageOf(p.id));
    CHECK_FALSE(r.FindQuarterly("system-1", {2027, 3})->has_value());
    CHECK_FALSE(r.FindQuarterly("system-2", {2027, 2})->has_value());

    absl::StatusOr<std::optional<StoredPublication>> by_ipa =
        r.FindNotice("ipa-1", PublicationKind::kContractAwardNotice);
    REQUIRE(by_ipa.ok());
    REQUIRE(by_ipa->has_value());
    CHECK((*by_ipa)->publication.id == "publication-2");
    absl::StatusOr<std::optional<StoredPublication>> details_found =
        r.FindNotice("ipa-1", PublicationKind::kContractDetailsNotice);
    REQUIRE(details_found.ok());
    REQUIRE(details_found->has_value());
    CHECK((*details_found)->publication == details);
    CHECK_FALSE(r.FindNotice("ipa-2", PublicationKind::kContractDetailsNotice)->has_value());
    CHECK(r.Load("publication-9").status().code() == absl::StatusCode::kNotFound);
    return absl::OkStatus();
  }) == absl::OkStatus());
}

TEST_CASE("a system's publications are listed by id in pages without their packages", "[pg]") {
  Store store;
  for (int q = 1; q <= 4; ++q) {
    const Publication p = Quarterly(absl::StrCat("publication-", q), "system-1", {2027, q});
    REQUIRE(store.Insert(p, PackageOf(p.id)).ok());
  }
  const Publication other = Quarterly("publication-0", "system-2", {2027, 1});
  REQUIRE(store.Insert(other, PackageOf(other.id)).ok());

  REQUIRE(store.Run([&](PublicationTransaction& tx) -> absl::Status {
    PublicationRepository& r = tx.publications();
    absl::StatusOr<PublicationPage> first = r.List("system-1", {.size = 3});
    REQUIRE(first.ok());
    REQUIRE(first->publications.size() == 3);
    CHECK(first->publications[0].publication.id == "publication-1");
    CHECK(first->publications[0].package.empty());
    CHECK(first->next_after_id == "publication-3");
    absl::StatusOr<PublicationPage> rest =
        r.List("system-1", {.size = 3, .after_id = first->next_after_id});
    REQUIRE(rest.ok());
    REQUIRE(rest->publications.size() == 1);
    CHECK(rest->publications[0].publication.id == "publication-4");
    CHECK(rest->next_after_id.empty());

    absl::StatusOr<PublicationPage> notices =
        r.List("system-1", {.size = 10, .kind = PublicationKind::kContractAwardNotice});
    REQUIRE(notices.ok());
    CHECK(notices->publications.empty());
    CHECK(r.List("system-1", {.size = 0}).status().code() == absl::StatusCode::kInvalidArgument);
    return absl::OkStatus();
  }) == absl::OkStatus());
}

TEST_CASE("the awards of a period are read from awarded_at or else created_at", "[pg]") {
  Store store;
  for (const auto& [id, system] : {std::pair{"ipa-1", "system-1"},
                                   {"ipa-2", "system-1"},
                                   {"ipa-3", "system-1"},
                                   {"ipa-4", "system-2"}}) {
    store.InsertIpa(IpaOf(id, system, absl::StrCat("referral-", id)));
  }
  // Set in SQL so the test holds whether or not the IPA's JSON writes awarded_at yet.
  store.Sql(R"(UPDATE ipas SET doc = jsonb_set(doc, '{awarded_at}', '"2027-06-30T23:59:59Z"')
                WHERE id = 'ipa-1')");
  store.Sql(R"(UPDATE ipas SET doc = jsonb_set(doc, '{awarded_at}', '"2027-07-01T00:00:00Z"')
                WHERE id = 'ipa-2')");
  store.Sql(R"(UPDATE ipas SET doc = jsonb_set(doc - 'awarded_at', '{created_at}',
                                               '"2027-04-01T00:00:00Z"') WHERE id = 'ipa-3')");
  store.Sql(R"(UPDATE ipas SET doc = jsonb_set(doc, '{awarded_at}', '"2027-05-01T00:00:00Z"')
                WHERE id = 'ipa-4')");

  REQUIRE(store.Run([&](PublicationTransaction& tx) -> absl::Status {
    const absl::Time from = absl::FromCivil(FirstDayOf({2027, 2}), absl::UTCTimeZone());
    const absl::Time to = absl::FromCivil(FirstDayOf({2027, 3}), absl::UTCTimeZone());
    absl::StatusOr<std::vector<std::string>> q2 =
        tx.publications().ListAwardsBetween("system-1", from, to);
    REQUIRE(q2.ok());
    CHECK(*q2 == std::vector<std::string>{"ipa-1", "ipa-3"});
    absl::StatusOr<std::vector<std::string>> q3 = tx.publications().ListAwardsBetween(
        "system-1", to, absl::FromCivil(FirstDayOf({2027, 4}), absl::UTCTimeZone()));
    REQUIRE(q3.ok());
    CHECK(*q3 == std::vector<std::string>{"ipa-2"});
    return absl::OkStatus();
  }) == absl::OkStatus());
}

TEST_CASE("a publication and its event commit together or not at all", "[pg]") {
  Store store;
  const Publication p = Quarterly("publication-1", "system-1", {2027, 2});
  const IpaEvent event{"contracts.publication.produced", p.id, "request-1", "payload"};
  const absl::Status failed = store.Run([&](PublicationTransaction& tx) -> absl::Status {
    if (auto v = tx.publications().Insert(p, PackageOf(p.id)); !v.ok()) return v.status();
    if (absl::Status s = tx.Publish(event); !s.ok()) return s;
    return absl::AbortedError("the caller's hook failed");
  });
  CHECK(failed.code() == absl::StatusCode::kAborted);
  CHECK(store.Count("SELECT count(*) FROM publications") == 0);
  CHECK(store.Count("SELECT count(*) FROM outbox") == 0);

  REQUIRE(store.Run([&](PublicationTransaction& tx) -> absl::Status {
    if (auto v = tx.publications().Insert(p, PackageOf(p.id)); !v.ok()) return v.status();
    return tx.Publish(event);
  }) == absl::OkStatus());
  CHECK(store.Count("SELECT count(*) FROM publications") == 1);
  CHECK(store.Count("SELECT count(*) FROM outbox WHERE stream = 'dps.contracts' AND "
                    "event_type = 'contracts.publication.produced' AND "
                    "aggregate_id = 'publication-1'") == 1);
}

}  // namespace
}  // namespace dps::contracts
