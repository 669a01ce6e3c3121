// The referral repositories held to one contract: each scenario runs against the PostgreSQL
// implementation (in one transaction of a migrated database) and against the one in memory the
// use cases' pure tests use, so the fakes answer as the database does.
#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <vector>

#include "platform/pg/migrations.h"
#include "platform/pg/pool.h"
#include "platform/testing/test_env.h"
#include "services/referral/convert/convert.h"
#include "services/referral/domain/test_fixtures.h"
#include "services/referral/storage/migrations.h"
#include "services/referral/storage/pg_block_contract_repository.h"
#include "services/referral/storage/pg_direct_award_repository.h"
#include "services/referral/storage/testing/in_memory_block_contract_repository.h"
#include "services/referral/storage/testing/in_memory_direct_award_repository.h"

namespace dps::referral {
namespace {

using ::dps::referral::testing::Utc;
using Day = absl::CivilDay;

// The referral schema, migrated, in a fresh database of the test PostgreSQL.
struct Schema {
  platform::testing::TestDatabase db;
  platform::PgPool pool{{.url = db.url(), .schema = "referral", .size = 2}};

  Schema() {
    const absl::Status migrated = pool.WithConnection([](pqxx::connection& c) {
      const platform::MigrationSet sets[] = {{"referral", ReferralMigrations()}};
      return platform::ApplyMigrations(c, "referral", sets);
    });
    REQUIRE(migrated == absl::OkStatus());
  }
};

std::string Encoded(const DirectAward& award) { return ToApi(award).SerializeAsString(); }
std::string Encoded(const BlockContract& block) { return ToApi(block).SerializeAsString(); }

DirectAward Award(const std::string& id, const std::string& authority, absl::Time made_at,
                  Day review_on) {
  DirectAward award;
  award.id = id;
  award.placing_authority_id = authority;
  award.provider_id = "provider-3";
  award.spec.system_id = "system-1";
  award.spec.lot_id = "lot-homes";
  award.spec.establishment_id = "establishment-7";
  award.spec.children = {{"child-1", 14, Gender::kFemale}};
  award.spec.postcode_district = "BN3";
  award.spec.justification = "The placement broke down overnight.";
  award.spec.start_date = Day(2027, 3, 1);
  award.spec.review_on = review_on;
  award.spec.planned_duration_months = 3;
  award.spec.core_fee_pence = 450000;
  award.spec.additional_services = {{"one-to-one", 20, 2500}};
  award.centroid = Centroid{.latitude = 50.83, .longitude = -0.17};
  award.price_basis = "PRICE_BASIS_WEEKLY";
  award.made_at = made_at;
  award.made_by = {
      .user_id = "officer-1", .role = "ROLE_PLACING_OFFICER", .organisation_id = authority};
  return award;
}

std::vector<std::string> Ids(const absl::StatusOr<std::vector<DirectAward>>& awards) {
  REQUIRE(awards.ok());
  std::vector<std::string> ids;
  for (const DirectAward& award : *awards) ids.push_back(award.id);
  return ids;
}

void DirectAwardContract(DirectAwardRepository& awards) {
  using Ids_ = std::vector<std::string>;
  const DirectAward a = Award("da-1", "brighton-and-hove", Utc(2027, 3, 1, 9), Day(2027, 3, 29));
  const DirectAward b = Award("da-2", "kent", Utc(2027, 3, 5, 9), Day(2027, 4, 10));
  REQUIRE(awards.Insert(a, "west-sussex") == absl::OkStatus());
  REQUIRE(awards.Insert(b, "east-sussex") == absl::OkStatus());
  CHECK(awards.Insert(a, "west-sussex") ==
        absl::AlreadyExistsError("direct award da-1: already exists"));

  absl::StatusOr<StoredDirectAward> loaded = awards.Load("da-1", true);
  REQUIRE(loaded.ok());
  CHECK(Encoded(loaded->award) == Encoded(a));
  CHECK(loaded->lead_authority_id == "west-sussex");
  CHECK(awards.Load("da-9", false).status() == absl::NotFoundError("direct award da-9: not found"));

  CHECK(Ids(awards.List({}, "", 10)) == Ids_{"da-1", "da-2"});
  CHECK(Ids(awards.List({}, "da-1", 10)) == Ids_{"da-2"});
  CHECK(Ids(awards.List({}, "", 1)) == Ids_{"da-1"});
  CHECK(Ids(awards.List({.placing_authority_id = "kent"}, "", 10)) == Ids_{"da-2"});
  CHECK(Ids(awards.List({.lead_authority_id = "west-sussex"}, "", 10)) == Ids_{"da-1"});
  CHECK(Ids(awards.List({.system_id = "system-2"}, "", 10)).empty());
  CHECK(Ids(awards.List({.made_after = Utc(2027, 3, 1, 9)}, "", 10)) == Ids_{"da-2"});
  CHECK(Ids(awards.List({.made_before = Utc(2027, 3, 5, 9)}, "", 10)) == Ids_{"da-1"});
  CHECK(Ids(awards.List({.review_due_by = Day(2027, 3, 28)}, "", 10)).empty());
  CHECK(Ids(awards.List({.review_due_by = Day(2027, 3, 29)}, "", 10)) == Ids_{"da-1"});

  DirectAward reviewed = a;
  reviewed.state = DirectAwardState::kReviewed;
  reviewed.reviewed_at = Utc(2027, 3, 29, 10);
  reviewed.reviewed_by = a.made_by;
  reviewed.review_note = "Settled well";
  REQUIRE(awards.Save(reviewed) == absl::OkStatus());
  CHECK(Encoded(awards.Load("da-1", false)->award) == Encoded(reviewed));
  // A reviewed award is no longer due.
  CHECK(Ids(awards.List({.review_due_by = Day(2027, 4, 30)}, "", 10)) == Ids_{"da-2"});
  DirectAward unknown = a;
  unknown.id = "da-9";
  CHECK(awards.Save(unknown) == absl::NotFoundError("direct award da-9: not found"));
}

BlockContract Block(const std::string& id, const std::string& establishment) {
  BlockContract block;
  block.id = id;
  block.placing_authority_id = "brighton-and-hove";
  block.provider_id = "provider-3";
  block.spec.system_id = "system-1";
  block.spec.lot_id = "lot-homes";
  block.spec.establishment_id = establishment;
  block.spec.places = 2;
  block.spec.weekly_fee_per_place_pence = 420000;
  block.spec.period = {Day(2027, 4, 1), Day(2028, 3, 31)};
  block.spec.terms = "Voids are paid in full.";
  return block;
}

std::vector<std::string> Ids(const absl::StatusOr<std::vector<StoredBlockContract>>& blocks) {
  REQUIRE(blocks.ok());
  std::vector<std::string> ids;
  for (const StoredBlockContract& stored : *blocks) ids.push_back(stored.block.id);
  return ids;
}

void BlockContractContract(BlockContractRepository& blocks) {
  using Ids_ = std::vector<std::string>;
  const BlockContract x = Block("block-1", "establishment-7");
  REQUIRE(blocks.Insert(x, "west-sussex") == absl::OkStatus());
  REQUIRE(blocks.Insert(Block("block-2", "establishment-8"), "east-sussex") == absl::OkStatus());
  CHECK(blocks.Insert(x, "west-sussex") ==
        absl::AlreadyExistsError("block contract block-1: already exists"));
  CHECK(blocks.Load("block-9", false).status() ==
        absl::NotFoundError("block contract block-9: not found"));

  absl::StatusOr<StoredBlockContract> loaded = blocks.Load("block-1", true);
  REQUIRE(loaded.ok());
  CHECK(loaded->version == 1);
  CHECK(loaded->lead_authority_id == "west-sussex");
  CHECK(Encoded(loaded->block) == Encoded(x));

  // A call-off, saved at the version read; a save at an older one is refused.
  BlockContract called = x;
  called.call_offs.push_back({.id = "call-off-1",
                              .children = {{"child-1", 12, Gender::kMale}},
                              .postcode_district = "BN3",
                              .start_date = Day(2027, 5, 1),
                              .planned_end_date = Day(2027, 7, 31),
                              .centroid = Centroid{.latitude = 50.83, .longitude = -0.17},
                              .made_at = Utc(2027, 4, 20, 9),
                              .made_by = {.user_id = "officer-1",
                                          .role = "ROLE_PLACING_OFFICER",
                                          .organisation_id = "brighton-and-hove"}});
  CHECK(*blocks.Save(called, 1) == 2);
  CHECK(blocks.Save(called, 1).status().code() == absl::StatusCode::kAborted);
  loaded = blocks.Load("block-1", false);
  CHECK(loaded->version == 2);
  CHECK(Encoded(loaded->block) == Encoded(called));

  CHECK(Ids(blocks.List({}, "", 10)) == Ids_{"block-1", "block-2"});
  CHECK(Ids(blocks.List({}, "block-1", 10)) == Ids_{"block-2"});
  CHECK(Ids(blocks.List({.establishment_id = "establishment-8"}, "", 10)) == Ids_{"block-2"});
  CHECK(Ids(blocks.List({.lead_authority_id = "west-sussex"}, "", 10)) == Ids_{"block-1"});
  CHECK(Ids(blocks.List({.placing_authority_id = "kent"}, "", 10)).empty());

  // The timer's schedule: ACTIVE blocks whose period ended before today.
  CHECK(blocks.PastTheirPeriod(Day(2028, 3, 31))->empty());
  CHECK(*blocks.PastTheirPeriod(Day(2028, 4, 1)) == Ids_{"block-1", "block-2"});
  CHECK(*blocks.ClaimActive("block-1"));
  CHECK_FALSE(*blocks.ClaimActive("block-9"));
  BlockContract ended = called;
  ended.state = BlockContractState::kEnded;
  ended.ended_on = Day(2028, 3, 31);
  ended.end_reason = "its period ran out";
  ended.ended_at = Utc(2028, 4, 1, 0);
  CHECK(*blocks.Save(ended, 2) == 3);
  CHECK(*blocks.PastTheirPeriod(Day(2028, 4, 1)) == Ids_{"block-2"});
  CHECK_FALSE(*blocks.ClaimActive("block-1"));
  CHECK(Encoded(blocks.Load("block-1", false)->block) == Encoded(ended));
}

TEST_CASE("direct awards: the repository in memory answers as PostgreSQL does") {
  InMemoryDirectAwardRepository memory;
  DirectAwardContract(memory);
  Schema schema;
  REQUIRE(schema.pool.InTransaction([](pqxx::work& tx) {
    PgDirectAwardRepository awards(tx);
    DirectAwardContract(awards);
    return absl::OkStatus();
  }) == absl::OkStatus());
}

TEST_CASE("block contracts: the repository in memory answers as PostgreSQL does") {
  InMemoryBlockContractRepository memory;
  BlockContractContract(memory);
  Schema schema;
  REQUIRE(schema.pool.InTransaction([](pqxx::work& tx) {
    PgBlockContractRepository blocks(tx);
    BlockContractContract(blocks);
    return absl::OkStatus();
  }) == absl::OkStatus());
}

}  // namespace
}  // namespace dps::referral
