// The audit log in a real schema: entries staged with each event in the change's transaction,
// chained afterwards, verified by the chain's rule, and tampering caught and named.
#include <catch2/catch.hpp>
#include <thread>

#include "dps/events/v1/events.pb.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "dps/referral/v1/referral.pb.h"
#include "platform/audit/event_entry.h"
#include "platform/audit/log.h"
#include "platform/events/outbox.h"
#include "platform/events/outbox_migrations.h"
#include "platform/proto/proto_time.h"
#include "platform/testing/test_env.h"

namespace dps::platform::audit {
namespace {

namespace ev = ::dps::events::v1;

// A contracts event as a use case writes it: an IPA of West Sussex signed by its officer.
std::string SignedEnvelope(const std::string& ipa_id, int minute) {
  ev::EventEnvelope envelope;
  envelope.set_type("contracts.ipa.signed");
  envelope.set_aggregate_type("ipa");
  envelope.set_aggregate_id(ipa_id);
  *envelope.mutable_occurred_at() = ToTimestamp(
      absl::FromCivil(absl::CivilSecond(2027, 4, 1, 9, minute, 0), absl::UTCTimeZone()) +
      absl::Nanoseconds(1'234'567));
  envelope.mutable_actor()->set_user_id("officer-1");
  envelope.mutable_actor()->set_role("ROLE_PLACING_OFFICER");
  envelope.mutable_actor()->set_organisation_id("west-sussex");
  envelope.set_system_id("system-1");
  ev::IpaSigned& signed_event = *envelope.mutable_ipa_signed();
  signed_event.set_ipa_id(ipa_id);
  signed_event.set_version_number(1);
  signed_event.set_document_sha256(std::string(64, 'a'));
  return envelope.SerializeAsString();
}

TEST_CASE("a change that announces nothing is recorded by its RPC and the record it answers") {
  dps::common::v1::Actor officer;
  officer.set_user_id("officer-1");
  officer.set_role("ROLE_PLACING_OFFICER");
  officer.set_organisation_id("brighton");
  const absl::Time at = absl::FromUnixNanos(1'800'000'000'123'456'789);

  dps::referral::v1::Referral draft;
  draft.set_id("referral-1");
  draft.mutable_spec()->set_system_id("system-1");
  draft.set_placing_authority_id("brighton");
  draft.set_state(dps::referral::v1::REFERRAL_STATE_DRAFT);
  draft.mutable_spec()->set_description("kept with the referral, not in the log");
  const Entry edited = EntryOfUnannouncedChange("UpdateReferral", officer, "req-1", at, draft);
  CHECK(edited.action == "UpdateReferral");
  CHECK(edited.aggregate_type == "referral");
  CHECK(edited.aggregate_id == "referral-1");
  CHECK(edited.system_id == "system-1");  // from spec.system_id
  CHECK(edited.authority_id == "brighton");
  CHECK(edited.to_state == "REFERRAL_STATE_DRAFT");
  CHECK(edited.from_state.empty());
  CHECK(edited.details_json == "{}");
  CHECK(edited.request_id == "req-1");
  CHECK(edited.actor_user_id == "officer-1");
  CHECK(edited.actor_role == "ROLE_PLACING_OFFICER");
  CHECK(edited.actor_organisation_id == "brighton");
  CHECK(edited.recorded_at == absl::FromUnixMicros(1'800'000'000'123'456));

  // An answer with no id, system or authority of its own: the officer's authority stands in.
  dps::referral::v1::OutcomeTask task;
  task.set_referral_id("referral-1");
  const Entry scored = EntryOfUnannouncedChange("ScoreOutcomeAnswer", officer, "req-2", at, task);
  CHECK(scored.aggregate_type == "outcome_task");
  CHECK(scored.aggregate_id.empty());
  CHECK(scored.system_id.empty());
  CHECK(scored.authority_id == "brighton");
  // A purchasing system is its own system.
  dps::qualification::v1::PurchasingSystem system;
  system.set_id("system-9");
  const Entry created =
      EntryOfUnannouncedChange("CreatePurchasingSystem", officer, "req-4", at, system);
  CHECK(created.aggregate_type == "purchasing_system");
  CHECK(created.system_id == "system-9");
  officer.set_role("ROLE_LEAD_AUTHORITY_ADMIN");
  CHECK(EntryOfUnannouncedChange("ScoreOutcomeAnswer", officer, "req-3", at, task)
            .authority_id.empty());
}

struct Fixture {
  Fixture() : pool({.url = db.url(), .schema = "contracts", .size = 4}) {
    REQUIRE(pool.WithConnection([](pqxx::connection& c) {
                  const MigrationSet sets[] = {{"platform", OutboxMigrations()}};
                  return ApplyMigrations(c, "contracts", sets);
                })
                .ok());
  }

  absl::Status Emit(pqxx::work& tx, const std::string& ipa_id, int minute) {
    return AppendToOutbox(tx, {.stream = "dps.contracts",
                               .type = "contracts.ipa.signed",
                               .aggregate_id = ipa_id,
                               .request_id = "req-" + ipa_id,
                               .payload = SignedEnvelope(ipa_id, minute)})
        .status();
  }
  void EmitCommitted(const std::string& ipa_id, int minute) {
    REQUIRE(pool.InTransaction([&](pqxx::work& tx) { return Emit(tx, ipa_id, minute); }).ok());
  }
  int Chain() {
    absl::StatusOr<int> chained = 0;
    REQUIRE(pool.InTransaction([&](pqxx::work& tx) {
                  chained = ChainPending(tx);
                  return chained.status();
                })
                .ok());
    return *chained;
  }
  std::vector<Entry> Load() {
    absl::StatusOr<std::vector<Entry>> entries;
    REQUIRE(pool.InTransaction([&](pqxx::work& tx) {
                  entries = LoadChain(tx, 1, 0);
                  return entries.status();
                })
                .ok());
    return *entries;
  }
  // As whoever owns the table (the tests connect as the superuser) and turns its guard off.
  void Tamper(const std::string& sql) {
    REQUIRE(pool.InTransaction([&](pqxx::work& tx) {
                  tx.exec0("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
                  tx.exec0(sql);
                  tx.exec0("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only");
                  return absl::OkStatus();
                })
                .ok());
  }

  testing::TestDatabase db;
  PgPool pool;
};

TEST_CASE("each event's entry is staged with it and chained by the rule of audit.proto") {
  Fixture f;
  f.EmitCommitted("ipa-1", 30);
  f.EmitCommitted("ipa-2", 31);
  // Rolled back with its change: no entry, and no gap in the chain.
  CHECK(f.pool
            .InTransaction([&](pqxx::work& tx) -> absl::Status {
              if (absl::Status s = f.Emit(tx, "ipa-3", 32); !s.ok()) return s;
              return absl::AbortedError("the change failed");
            })
            .code() == absl::StatusCode::kAborted);
  f.EmitCommitted("ipa-4", 33);
  CHECK(f.Load().empty());  // staged, not yet chained
  CHECK(f.Chain() == 3);
  CHECK(f.Chain() == 0);

  const std::vector<Entry> entries = f.Load();
  REQUIRE(entries.size() == 3);
  CHECK(Verify(entries, {}).intact());
  const Entry& first = entries[0];
  CHECK(first.service == "contracts");
  CHECK(first.sequence == 1);
  CHECK(first.action == "ipa.signed");
  CHECK(first.aggregate_type == "ipa");
  CHECK(first.aggregate_id == "ipa-1");
  CHECK(first.actor_user_id == "officer-1");
  CHECK(first.actor_role == "ROLE_PLACING_OFFICER");
  CHECK(first.actor_organisation_id == "west-sussex");
  CHECK(first.request_id == "req-ipa-1");
  CHECK(first.system_id == "system-1");
  // The event's time, to the microsecond PostgreSQL keeps.
  CHECK(FormatRecordedAt(first.recorded_at) == "2027-04-01T09:30:00.001234000Z");
  CHECK(first.details_json == R"({"document_sha256":")" + std::string(64, 'a') +
                                  R"(","ipa_id":"ipa-1","version_number":1})");
  CHECK(entries[2].aggregate_id == "ipa-4");
  CHECK(entries[2].sequence == 3);
}

TEST_CASE("writers staging at once are chained without a gap") {
  Fixture f;
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&f, w] {
      for (int i = 0; i < 10; ++i) {
        CHECK(f.pool
                  .InTransaction([&](pqxx::work& tx) {
                    return f.Emit(tx, "ipa-" + std::to_string(w) + "-" + std::to_string(i), i);
                  })
                  .ok());
      }
    });
  }
  // A chainer runs while they write, as the service's does.
  int chained = 0;
  for (int round = 0; round < 20; ++round) chained += f.Chain();
  for (std::thread& t : writers) t.join();
  chained += f.Chain();
  CHECK(chained == 40);
  const std::vector<Entry> entries = f.Load();
  REQUIRE(entries.size() == 40);
  CHECK(Verify(entries, {}).intact());
}

TEST_CASE("nobody changes or removes an entry through the service") {
  Fixture f;
  f.EmitCommitted("ipa-1", 30);
  REQUIRE(f.Chain() == 1);
  for (const char* sql :
       {"UPDATE audit_log SET reason = 'backdated'", "DELETE FROM audit_log", "TRUNCATE audit_log",
        "UPDATE audit_log SET sequence = NULL, hash = NULL"}) {
    INFO(sql);
    const absl::Status s = f.pool.InTransaction([&](pqxx::work& tx) {
      tx.exec0(sql);
      return absl::OkStatus();
    });
    CHECK_FALSE(s.ok());
    CHECK(std::string(s.message()).find("append-only") != std::string::npos);
  }
  CHECK(Verify(f.Load(), {}).intact());
}

TEST_CASE("an edited, a deleted and a reordered entry are each caught and named") {
  Fixture f;
  for (int i = 1; i <= 5; ++i) f.EmitCommitted("ipa-" + std::to_string(i), 30 + i);
  REQUIRE(f.Chain() == 5);
  const std::vector<Entry> original = f.Load();

  SECTION("edited") {
    f.Tamper("UPDATE audit_log SET actor_user_id = 'someone-else' WHERE sequence = 2");
    const Verdict v = Verify(f.Load(), {});
    CHECK(v.fault == Fault::kEdited);
    CHECK(v.detail == "entry 2: edited: its content does not give its content_hash");
  }
  SECTION("deleted") {
    f.Tamper("DELETE FROM audit_log WHERE sequence = 3");
    const Verdict v = Verify(f.Load(), {});
    CHECK(v.fault == Fault::kGap);
    CHECK(v.sequence == 3);
  }
  SECTION("reordered") {
    // Entries 2 and 4 swap places, each keeping its hashes.
    f.Tamper(
        "UPDATE audit_log SET sequence = CASE sequence WHEN 2 THEN 1004 ELSE 1002 END "
        "WHERE sequence IN (2, 4)");
    f.Tamper("UPDATE audit_log SET sequence = sequence - 1000 WHERE sequence > 1000");
    const Verdict v = Verify(f.Load(), {});
    CHECK(v.fault == Fault::kEdited);  // its sequence is part of what its hash covers
    CHECK(v.sequence == 2);
  }
  SECTION("rewritten from entry 2 on, every hash recomputed") {
    f.Tamper(
        "UPDATE audit_log SET reason = 'changed', sequence = NULL, prev_hash = NULL, "
        "content_hash = NULL, hash = NULL WHERE sequence >= 2");
    REQUIRE(f.Chain() == 4);
    CHECK(Verify(f.Load(), {}).intact());  // the chain alone cannot tell
    const Verdict v =
        Verify(f.Load(), {.checkpoints = {{.size = 5, .head_hash = original[4].hash, .at = {}}}});
    CHECK(v.fault == Fault::kCheckpointMismatch);
    CHECK(v.sequence == 5);
  }
}

}  // namespace
}  // namespace dps::platform::audit
