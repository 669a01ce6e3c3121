// The use cases over the real PostgreSQL store (label pg): what the in-memory store cannot show,
// the unique source key and SKIP LOCKED under two callers at once.
#include <catch2/catch.hpp>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "platform/events/outbox_migrations.h"
#include "platform/pg/migrations.h"
#include "platform/pg/pool.h"
#include "platform/testing/test_env.h"
#include "services/contracts/app/ipa_use_cases.h"
#include "services/contracts/domain/test_fixtures.h"
#include "services/contracts/storage/migrations.h"
#include "services/contracts/storage/pg_ipa_repository.h"

namespace dps::contracts {
namespace {

using namespace dps::contracts::testing;  // NOLINT: the domain's fixtures
using platform::testing::OutboxEventCount;

class Documents final : public DocumentRenderer {
 public:
  absl::StatusOr<std::string> RenderDocument(const Ipa& ipa,
                                             const IpaVersion& version) const override {
    return absl::StrCat("%PDF IPA ", ipa.id, " version ", version.number);
  }
};

struct World {
  platform::testing::TestDatabase db;
  platform::PgPool pool{{.url = db.url(), .schema = "contracts", .size = 4}};
  PgIpaUnitOfWork uow{pool};
  Documents documents;
  platform::FakeClock clock{Now()};
  absl::Mutex mutex;
  int ids = 0;
  IpaUseCases::Options options{.timer_batch = 3};
  IpaUseCases cases{uow, documents, clock,
                    [this] {
                      absl::MutexLock lock(&mutex);
                      return absl::StrCat("ipa-", ++ids);
                    },
                    options};
  const Caller service{ContractsServiceActor(), "req-award"};

  World() {
    REQUIRE(pool.WithConnection([](pqxx::connection& c) {
      const platform::MigrationSet sets[] = {{"platform", platform::OutboxMigrations()},
                                             {"contracts", ContractsMigrations()}};
      return platform::ApplyMigrations(c, "contracts", sets);
    }) == absl::OkStatus());
  }

  IpaSpec SpecFor(int bid) {
    IpaSpec spec = ValidSpec();
    spec.source.bid_id = absl::StrCat("bid-", bid);
    return spec;
  }

  void MakeSigned(int bid) {
    const StoredIpa made = cases.CreateIpaFromAward(SpecFor(bid), service).value().ipa;
    const StoredIpa issued = cases.IssueIpa(made.ipa.id, 0, {Officer(), ""}).value();
    const std::string hash = issued.ipa.versions[0].document_sha256;
    REQUIRE(cases.SignIpa(made.ipa.id, {hash, "Sam", "Head"}, 0, {Officer(), ""}).ok());
    REQUIRE(cases.SignIpa(made.ipa.id, {hash, "Ali", "Director"}, 0, {ProviderUser(), ""}).ok());
  }
};

TEST_CASE("award deliveries, one after another and two at once, make one IPA and one event",
          "[pg]") {
  World w;
  const CreateResult first = w.cases.CreateIpaFromAward(w.SpecFor(1), w.service).value();
  const CreateResult again = w.cases.CreateIpaFromAward(w.SpecFor(1), w.service).value();
  CHECK(first.created);
  CHECK_FALSE(again.created);
  CHECK(again.ipa.ipa.id == first.ipa.ipa.id);
  CHECK(OutboxEventCount(w.pool, "contracts.ipa.created") == 1);

  for (int round = 2; round < 8; ++round) {
    absl::StatusOr<CreateResult> a, b;
    std::thread other([&] { a = w.cases.CreateIpaFromAward(w.SpecFor(round), w.service); });
    b = w.cases.CreateIpaFromAward(w.SpecFor(round), w.service);
    other.join();
    REQUIRE(a.status() == absl::OkStatus());
    REQUIRE(b.status() == absl::OkStatus());
    CHECK(a->ipa.ipa.id == b->ipa.ipa.id);
    CHECK(a->created != b->created);
  }
  CHECK(OutboxEventCount(w.pool, "contracts.ipa.created") == 7);
}

TEST_CASE("two timers running at once activate each due IPA exactly once", "[pg]") {
  World w;
  constexpr int kIpas = 12;
  for (int i = 0; i < kIpas; ++i) w.MakeSigned(i);
  absl::StatusOr<IpaUseCases::TimerRun> a, b;
  std::thread other([&] { a = w.cases.RunDueTimers(Utc(2027, 4, 1, 6)); });
  b = w.cases.RunDueTimers(Utc(2027, 4, 1, 6));
  other.join();
  REQUIRE(a.status() == absl::OkStatus());
  REQUIRE(b.status() == absl::OkStatus());
  std::multiset<std::string> activated(a->activated.begin(), a->activated.end());
  activated.insert(b->activated.begin(), b->activated.end());
  CHECK(activated.size() == kIpas);
  CHECK(std::set<std::string>(activated.begin(), activated.end()).size() == kIpas);
  CHECK(OutboxEventCount(w.pool, "contracts.ipa.activated") == kIpas);
  CHECK(w.cases.RunDueTimers(Utc(2027, 4, 1, 6))->activated.empty());
}

TEST_CASE("a manual activation holding the row leaves the timer nothing, then or after", "[pg]") {
  World w;
  w.MakeSigned(1);  // planned start 1 April 2027
  w.clock.Set(Utc(2027, 4, 6, 9));
  // The placing authority records a later start; while its transaction holds the IPA's row
  // (after the save, before the commit) the timer runs on another connection.
  absl::StatusOr<IpaUseCases::TimerRun> during;
  Caller officer{Officer(), "req-activate"};
  officer.on_saved = [&](IpaTransaction&, const StoredIpa&) {
    during = w.cases.RunDueTimers(Utc(2027, 4, 6, 9));
    return during.status();
  };
  absl::StatusOr<StoredIpa> active = w.cases.ActivateIpa("ipa-1", Day(2027, 4, 5), officer);
  REQUIRE(active.status() == absl::OkStatus());
  REQUIRE(during.status() == absl::OkStatus());
  CHECK(during->activated.empty());  // SKIP LOCKED: the row was held, so not claimed
  CHECK(w.cases.RunDueTimers(Utc(2027, 4, 6, 10))->activated.empty());  // ACTIVE: not due
  CHECK(OutboxEventCount(w.pool, "contracts.ipa.activated") == 1);
  absl::StatusOr<IpaView> read = w.cases.GetIpa("ipa-1", Officer());
  REQUIRE(read.status() == absl::OkStatus());
  CHECK(read->stored.ipa.actual_start_date == Day(2027, 4, 5));
  CHECK(read->stored.ipa.actual_start_recorded);
}

}  // namespace
}  // namespace dps::contracts
