// PgIpaRepository against a real PostgreSQL (label pg): an IPA in every state written and read
// back whole, one IPA per source, the optimistic-concurrency check, the timer's claim with SKIP
// LOCKED, scoped lists and the rendered bytes.
#include <catch2/catch.hpp>
#include <future>
#include <thread>

#include "absl/strings/str_cat.h"
#include "platform/crypto/sha256.h"
#include "platform/events/outbox_migrations.h"
#include "platform/pg/migrations.h"
#include "platform/pg/pool.h"
#include "platform/testing/test_env.h"
#include "services/contracts/domain/ending.h"
#include "services/contracts/domain/test_fixtures.h"
#include "services/contracts/storage/ipa_json_testing.h"
#include "services/contracts/storage/migrations.h"
#include "services/contracts/storage/pg_ipa_repository.h"

namespace dps::contracts {
namespace {

using namespace dps::contracts::testing;  // NOLINT: the domain's fixtures
using platform::PgPool;
using platform::testing::TestDatabase;
using storage::testing::WholeIpa;

// Bytes that name the IPA and the version, and their real SHA-256, so the table's check that the
// hash is of the bytes holds.
std::string BytesOf(const Ipa& ipa, const IpaVersion& version) {
  return absl::StrCat("%PDF-1.7 IPA ", ipa.id, " version ", version.number, " from ",
                      absl::FormatCivilTime(version.effective_from));
}

class BytesRenderer final : public VersionRenderer {
 public:
  absl::StatusOr<Rendering> Render(const Ipa& ipa, const IpaVersion& version) const override {
    const std::string bytes = BytesOf(ipa, version);
    return Rendering{platform::Sha256Hex(bytes), static_cast<int64_t>(bytes.size())};
  }
};

// The bytes of every version of `ipa` numbered above `stored` (the versions already stored).
NewDocuments DocumentsAfter(const Ipa& ipa, int stored = 0) {
  NewDocuments documents;
  for (const IpaVersion& v : ipa.versions) {
    if (v.number > stored) documents[v.number] = BytesOf(ipa, v);
  }
  return documents;
}

Ipa DraftWithId(const std::string& id, const std::string& bid) {
  IpaSpec spec = ValidSpec();
  spec.id = id;
  spec.source.bid_id = bid;
  absl::StatusOr<Ipa> ipa = CreateIpa(spec, Service(), Now() - absl::Hours(1));
  REQUIRE(ipa.status() == absl::OkStatus());
  return *ipa;
}

// One step along the life cycle, with real bytes: DRAFT -> ISSUED -> SIGNED -> ACTIVE -> ENDED.
void Advance(Ipa& ipa) {
  switch (ipa.state) {
    case IpaState::kDraft:
      REQUIRE(Issue(ipa, BytesRenderer(), Officer(), Now()) == absl::OkStatus());
      break;
    case IpaState::kIssued:
      SignBoth(ipa);
      break;
    case IpaState::kSigned:
      REQUIRE(Activate(ipa, Utc(2027, 4, 1, 0, 5)) == absl::OkStatus());
      break;
    case IpaState::kActive: {
      const AgreementInput agreement{Day(2027, 4, 2), EndReason::kPlacementBreakdown, "moved"};
      REQUIRE(AgreeEnding(ipa, agreement, Officer(), Utc(2027, 4, 2, 9)) == absl::OkStatus());
      REQUIRE(AgreeEnding(ipa, agreement, ProviderUser(), Utc(2027, 4, 2, 9)) == absl::OkStatus());
      REQUIRE(End(ipa, Utc(2027, 4, 2, 10)) == absl::OkStatus());
      break;
    }
    default:
      FAIL("no step from this state");
  }
}

Ipa InStateWithBytes(IpaState state, const std::string& id = "ipa-1",
                     const std::string& bid = "bid-7") {
  if (state == IpaState::kCancelled) {
    Ipa ipa = DraftWithId(id, bid);
    REQUIRE(Cancel(ipa, "The placement fell through", Officer(), Now()) == absl::OkStatus());
    return ipa;
  }
  Ipa ipa = DraftWithId(id, bid);
  while (ipa.state != state) Advance(ipa);
  return ipa;
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
    return uow.Run([&](IpaTransaction& tx) -> absl::Status { return fn(tx.ipas()); });
  }

  int64_t Insert(const Ipa& ipa) {
    int64_t version = 0;
    REQUIRE(Run([&](IpaRepository& r) -> absl::Status {
              absl::StatusOr<int64_t> v = r.Insert(ipa, DocumentsAfter(ipa));
              if (v.ok()) version = *v;
              return v.status();
            }) == absl::OkStatus());
    return version;
  }

  StoredIpa Load(const std::string& id) {
    absl::StatusOr<StoredIpa> out;
    REQUIRE(Run([&](IpaRepository& r) {
              out = r.Load(id);
              return out.status();
            }) == absl::OkStatus());
    return *out;
  }
};

const IpaState kEveryState[] = {IpaState::kDraft,  IpaState::kIssued, IpaState::kSigned,
                                IpaState::kActive, IpaState::kEnded,  IpaState::kCancelled};

TEST_CASE("an IPA inserted in each state loads back whole", "[pg]") {
  Store store;
  int n = 0;
  for (IpaState state : kEveryState) {
    CAPTURE(IpaStateName(state));
    const std::string id = absl::StrCat("ipa-", ++n);
    const Ipa ipa = InStateWithBytes(state, id, absl::StrCat("bid-", n));
    CHECK(store.Insert(ipa) == 1);
    const StoredIpa loaded = store.Load(id);
    CHECK(loaded.version == 1);
    CHECK(WholeIpa(loaded.ipa) == WholeIpa(ipa));
  }
}

TEST_CASE("an IPA saved at each step of its life loads back whole, one version up each time",
          "[pg]") {
  Store store;
  Ipa ipa = InStateWithBytes(IpaState::kDraft);
  int64_t version = store.Insert(ipa);
  while (ipa.state != IpaState::kEnded) {
    const int stored_versions = static_cast<int>(ipa.versions.size());
    Advance(ipa);
    CAPTURE(IpaStateName(ipa.state));
    REQUIRE(store.Run([&](IpaRepository& r) -> absl::Status {
      absl::StatusOr<StoredIpa> locked = r.LoadForUpdate(ipa.id);
      if (!locked.ok()) return locked.status();
      absl::StatusOr<int64_t> saved =
          r.Save(ipa, locked->version, DocumentsAfter(ipa, stored_versions));
      if (saved.ok()) version = *saved;
      return saved.status();
    }) == absl::OkStatus());
    const StoredIpa loaded = store.Load(ipa.id);
    CHECK(loaded.version == version);
    CHECK(WholeIpa(loaded.ipa) == WholeIpa(ipa));
  }
  CHECK(version == 5);
}

TEST_CASE("the rendered bytes of a version are kept with their hash", "[pg]") {
  Store store;
  const Ipa ipa = InStateWithBytes(IpaState::kSigned);
  store.Insert(ipa);
  absl::StatusOr<std::string> bytes;
  REQUIRE(store.Run([&](IpaRepository& r) {
    bytes = r.LoadDocument(ipa.id, 1);
    return bytes.status();
  }) == absl::OkStatus());
  CHECK(*bytes == BytesOf(ipa, ipa.versions[0]));
  CHECK(platform::Sha256Hex(*bytes) == store.Load(ipa.id).ipa.versions[0].document_sha256);
  CHECK(store.Run([&](IpaRepository& r) { return r.LoadDocument(ipa.id, 2).status(); }).code() ==
        absl::StatusCode::kNotFound);
}

TEST_CASE("bytes that are not those hashed, or a new version without bytes, are refused", "[pg]") {
  Store store;
  Ipa ipa = InStateWithBytes(IpaState::kDraft);
  const int64_t version = store.Insert(ipa);
  Advance(ipa);  // issued: version 1 is new
  NewDocuments wrong = {{1, "not the bytes rendered"}};
  absl::Status s =
      store.Run([&](IpaRepository& r) { return r.Save(ipa, version, wrong).status(); });
  CHECK(s.code() == absl::StatusCode::kInternal);
  CHECK_THAT(std::string(s.message()), Catch::Contains("not of the bytes"));
  s = store.Run([&](IpaRepository& r) { return r.Save(ipa, version, {}).status(); });
  CHECK(s.code() == absl::StatusCode::kInternal);
  CHECK(store.Load(ipa.id).ipa.state == IpaState::kDraft);  // nothing of either was kept
}

TEST_CASE("one IPA per source: a second IPA from the same award is AlreadyExists", "[pg]") {
  Store store;
  const Ipa first = DraftWithId("ipa-1", "bid-7");
  store.Insert(first);
  const Ipa second = DraftWithId("ipa-2", "bid-7");
  const absl::Status s = store.Run(
      [&](IpaRepository& r) { return r.Insert(second, DocumentsAfter(second)).status(); });
  CHECK(s.code() == absl::StatusCode::kAlreadyExists);

  absl::StatusOr<std::optional<StoredIpa>> found;
  REQUIRE(store.Run([&](IpaRepository& r) {
    found = r.FindBySource("award:referral-1:bid-7");
    return found.status();
  }) == absl::OkStatus());
  REQUIRE(found->has_value());
  CHECK((*found)->ipa.id == "ipa-1");
  REQUIRE(store.Run([&](IpaRepository& r) {
    found = r.FindBySource("award:referral-1:bid-8");
    return found.status();
  }) == absl::OkStatus());
  CHECK_FALSE(found->has_value());
  CHECK(store.Run([&](IpaRepository& r) { return r.Load("ipa-2").status(); }).code() ==
        absl::StatusCode::kNotFound);
}

TEST_CASE("a save naming a version other than the stored one is Aborted and changes nothing",
          "[pg]") {
  Store store;
  Ipa ipa = InStateWithBytes(IpaState::kIssued);
  store.Insert(ipa);
  Ipa other = ipa;
  REQUIRE(SignAs(other, Officer(), ipa.versions[0].document_sha256) == absl::OkStatus());
  REQUIRE(store.Run([&](IpaRepository& r) { return r.Save(other, 1, {}).status(); }) ==
          absl::OkStatus());

  REQUIRE(Cancel(ipa, "changed our minds", Officer(), Now()) == absl::OkStatus());
  const absl::Status stale =
      store.Run([&](IpaRepository& r) { return r.Save(ipa, 1, {}).status(); });
  CHECK(stale.code() == absl::StatusCode::kAborted);
  const StoredIpa loaded = store.Load(ipa.id);
  CHECK(loaded.version == 2);
  CHECK(loaded.ipa.state == IpaState::kIssued);
  CHECK(loaded.ipa.versions[0].signatures.size() == 1);
  CHECK(store.Run([&](IpaRepository& r) { return r.Save(ipa, 1, {}).status(); }).code() ==
        absl::StatusCode::kAborted);
  Ipa unknown = ipa;
  unknown.id = "ipa-404";
  CHECK(store.Run([&](IpaRepository& r) { return r.Save(unknown, 1, {}).status(); }).code() ==
        absl::StatusCode::kNotFound);
}

TEST_CASE(
    "the timer claims what is due, soonest first, passing over IPAs another transaction "
    "holds",
    "[pg]") {
  Store store;
  const Ipa signed_ipa = InStateWithBytes(IpaState::kSigned, "ipa-1", "bid-1");  // due 1 April
  Ipa ending = InStateWithBytes(IpaState::kActive, "ipa-2", "bid-2");
  const AgreementInput agreement{Day(2027, 4, 10), EndReason::kStepDown, ""};
  REQUIRE(AgreeEnding(ending, agreement, Officer(), AfterStart()) == absl::OkStatus());
  REQUIRE(AgreeEnding(ending, agreement, ProviderUser(), AfterStart()) == absl::OkStatus());
  store.Insert(signed_ipa);
  store.Insert(ending);
  store.Insert(InStateWithBytes(IpaState::kActive, "ipa-3", "bid-3"));  // nothing due
  store.Insert(InStateWithBytes(IpaState::kIssued, "ipa-4", "bid-4"));  // nothing due

  auto due_ids = [&](absl::Time now, int limit) {
    std::vector<std::string> ids;
    REQUIRE(store.Run([&](IpaRepository& r) -> absl::Status {
      absl::StatusOr<std::vector<StoredIpa>> due = r.ListDue(now, limit);
      if (!due.ok()) return due.status();
      for (const StoredIpa& s : *due) ids.push_back(s.ipa.id);
      return absl::OkStatus();
    }) == absl::OkStatus());
    return ids;
  };
  CHECK(due_ids(Utc(2027, 3, 31, 23, 59), 10).empty());
  CHECK(due_ids(Utc(2027, 4, 1, 0, 0), 10) == std::vector<std::string>{"ipa-1"});
  CHECK(due_ids(Utc(2027, 4, 10, 0, 0), 10) == std::vector<std::string>{"ipa-1", "ipa-2"});
  CHECK(due_ids(Utc(2027, 4, 10, 0, 0), 1) == std::vector<std::string>{"ipa-1"});

  // Another replica's timer holds ipa-1: this one takes ipa-2 and does not wait.
  std::promise<void> locked;
  std::promise<void> release;
  std::thread holder([&] {
    const absl::Status held = store.Run([&](IpaRepository& r) -> absl::Status {
      absl::StatusOr<std::vector<StoredIpa>> due = r.ListDue(Utc(2027, 4, 10, 0, 0), 1);
      locked.set_value();
      release.get_future().wait();
      return due.status();
    });
    CHECK(held == absl::OkStatus());
  });
  locked.get_future().wait();
  CHECK(due_ids(Utc(2027, 4, 10, 0, 0), 10) == std::vector<std::string>{"ipa-2"});
  release.set_value();
  holder.join();
}

TEST_CASE("a change and its event commit together or not at all", "[pg]") {
  Store store;
  const Ipa ipa = DraftWithId("ipa-1", "bid-1");
  const IpaEvent event{.type = "contracts.ipa.created", .aggregate_id = "ipa-1", .payload = "x"};
  const absl::Status failed = store.uow.Run([&](IpaTransaction& tx) -> absl::Status {
    if (auto v = tx.ipas().Insert(ipa, {}); !v.ok()) return v.status();
    if (absl::Status s = tx.Publish(event); !s.ok()) return s;
    return absl::UnavailableError("the caller failed after both");
  });
  CHECK(failed.code() == absl::StatusCode::kUnavailable);
  CHECK(platform::testing::OutboxEventCount(store.pool, "contracts.ipa.created") == 0);
  CHECK(store.Run([&](IpaRepository& r) { return r.Load("ipa-1").status(); }).code() ==
        absl::StatusCode::kNotFound);

  REQUIRE(store.uow.Run([&](IpaTransaction& tx) -> absl::Status {
    if (auto v = tx.ipas().Insert(ipa, {}); !v.ok()) return v.status();
    return tx.Publish(event);
  }) == absl::OkStatus());
  CHECK(platform::testing::OutboxEventCount(store.pool, "contracts.ipa.created") == 1);
  CHECK(store.Load("ipa-1").version == 1);
}

TEST_CASE("lists are scoped to an authority or a provider, and page by id", "[pg]") {
  Store store;
  for (int i = 1; i <= 5; ++i) {
    Ipa ipa = DraftWithId(absl::StrCat("ipa-", i), absl::StrCat("bid-", i));
    if (i == 5) ipa.parties.placing_authority_id = "surrey";
    if (i == 4) ipa.parties.provider_id = "other-care";
    store.Insert(ipa);
  }
  auto list = [&](const IpaFilter& filter, const IpaPageRequest& page) {
    absl::StatusOr<IpaPage> out;
    REQUIRE(store.Run([&](IpaRepository& r) {
      out = r.List(filter, page);
      return out.status();
    }) == absl::OkStatus());
    std::vector<std::string> ids;
    for (const StoredIpa& s : out->ipas) ids.push_back(s.ipa.id);
    return std::pair{ids, out->next_after_id};
  };
  const IpaFilter west_sussex{.placing_authority_id = "west-sussex"};
  auto [first, next] = list(west_sussex, {.size = 2});
  CHECK(first == std::vector<std::string>{"ipa-1", "ipa-2"});
  CHECK(next == "ipa-2");
  auto [second, last] = list(west_sussex, {.size = 2, .after_id = next});
  CHECK(second == std::vector<std::string>{"ipa-3", "ipa-4"});
  CHECK(last.empty());  // no fifth IPA of West Sussex
  CHECK(list({.provider_id = "other-care"}, {}).first == std::vector<std::string>{"ipa-4"});
  CHECK(list({.placing_authority_id = "surrey"}, {}).first == std::vector<std::string>{"ipa-5"});
  CHECK(list({.placing_authority_id = "west-sussex", .states = {IpaState::kIssued}}, {})
            .first.empty());
  CHECK(store.Run([&](IpaRepository& r) { return r.List({}, {.size = 0}).status(); }).code() ==
        absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace dps::contracts
