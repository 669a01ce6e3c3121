// AuditLogService over a real schema and a loopback gRPC channel: who reads what, paging, the
// export and its manifest (read back by the offline checker's own reader), and Verify catching an
// edited entry, a chain rewritten from an entry on (by a signed checkpoint), a chain cut short,
// a forged checkpoint, and a stale anchor.
#include <grpcpp/grpcpp.h>

#include <catch2/catch.hpp>
#include <sstream>

#include "absl/strings/str_format.h"
#include "dps/audit/v1/audit.grpc.pb.h"
#include "google/protobuf/util/json_util.h"
#include "platform/audit/export_file.h"
#include "platform/audit/log.h"
#include "platform/audit/service.h"
#include "platform/auth/testing/test_identity.h"
#include "platform/events/outbox_migrations.h"
#include "platform/testing/test_env.h"

namespace dps::platform::audit {
namespace {

namespace av1 = ::dps::audit::v1;
using auth::KeySet;
using auth::testing::TestIdentityProvider;
using dps::common::v1::Role;

const TestIdentityProvider& Idp() { return TestIdentityProvider::Shared(); }

// Entry i (from 1) of a small world: two systems led by "lead-a" and "lead-b"; odd entries are
// about authority "brighton", even ones about "kent".
Entry WorldEntry(int i) {
  Entry e;
  e.entry_id = absl::StrFormat("00000000-0000-4000-8000-%012d", i);
  e.recorded_at = absl::FromUnixSeconds(1'796'000'000 + i * 60);
  e.actor_user_id = i % 2 ? "officer-b" : "officer-k";
  e.actor_role = "ROLE_PLACING_OFFICER";
  e.actor_organisation_id = i % 2 ? "brighton" : "kent";
  e.request_id = absl::StrCat("req-", i);
  e.action = i % 3 == 0 ? "ipa.sign" : "referral.publish";
  e.aggregate_type = i % 3 == 0 ? "ipa" : "referral";
  e.aggregate_id = absl::StrCat("agg-", i);
  e.system_id = i <= 6 ? "system-a" : "system-b";
  e.authority_id = i % 2 ? "brighton" : "kent";
  e.to_state = "OPEN";
  e.details_json = absl::StrCat(R"({"n":)", i, "}");
  return e;
}

struct Fixture {
  explicit Fixture(int entries = 9, int batch_size = 4)
      : pool({.url = db.url(), .schema = "referral", .size = 4}) {
    REQUIRE(pool.WithConnection([](pqxx::connection& c) {
                  const MigrationSet sets[] = {{"platform", OutboxMigrations()}};
                  return ApplyMigrations(c, "referral", sets);
                })
                .ok());
    Add(1, entries);
    absl::StatusOr<KeySet> keys = KeySet::FromJson(key.PublicJwks());
    REQUIRE(keys.ok());
    key_set = std::make_shared<const KeySet>(*keys);
    service = std::make_unique<AuditLogService>(
        AuditLogService::Options{.service = "referral",
                                 .systems_led_by = [](pqxx::work&, const std::string& organisation)
                                     -> absl::StatusOr<std::vector<std::string>> {
                                   if (organisation == "lead-a")
                                     return std::vector<std::string>{"system-a"};
                                   if (organisation == "lead-b")
                                     return std::vector<std::string>{"system-b"};
                                   return std::vector<std::string>{};
                                 },
                                 .checkpoint_keys = [this] { return key_set; },
                                 .batch_size = batch_size},
        pool, Idp().authenticator(), clock);
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service.get());
    server = builder.BuildAndStart();
    REQUIRE(server != nullptr);
    stub = av1::AuditLogService::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  }
  ~Fixture() { server->Shutdown(); }

  void Add(int from, int to) {
    REQUIRE(pool.InTransaction([&](pqxx::work& tx) -> absl::Status {
                  for (int i = from; i <= to; ++i) {
                    if (absl::Status s = StageEntry(tx, WorldEntry(i)); !s.ok()) return s;
                  }
                  return ChainPending(tx).status();
                })
                .ok());
  }
  void Checkpoint() {
    REQUIRE(pool.InTransaction([&](pqxx::work& tx) {
                  return IssueCheckpoint(tx, key, "referral", clock.Now()).status();
                })
                .ok());
  }
  // As the table's owner with its guard off: what someone with the database could do.
  void Tamper(const std::string& table, const std::string& sql) {
    REQUIRE(pool.InTransaction([&](pqxx::work& tx) {
                  tx.exec0(absl::StrCat("ALTER TABLE ", table, " DISABLE TRIGGER USER"));
                  tx.exec0(sql);
                  tx.exec0(absl::StrCat("ALTER TABLE ", table, " ENABLE TRIGGER USER"));
                  return absl::OkStatus();
                })
                .ok());
  }
  // Entries from `from` on, each rehashed from its stored content: a rewrite that the chain
  // alone would not show.
  void Rehash(int64_t from) {
    std::vector<Entry> entries;
    REQUIRE(pool.InTransaction([&](pqxx::work& tx) {
                  absl::StatusOr<std::vector<Entry>> all = LoadChain(tx, 1, 0);
                  entries = *all;
                  return all.status();
                })
                .ok());
    for (size_t i = from - 1; i < entries.size(); ++i) {
      Append(i == 0 ? nullptr : &entries[i - 1], entries[i]);
      Tamper("audit_log",
             absl::StrFormat("UPDATE audit_log SET prev_hash = '%s', content_hash = '%s', "
                             "hash = '%s' WHERE sequence = %d",
                             entries[i].prev_hash, entries[i].content_hash, entries[i].hash,
                             entries[i].sequence));
    }
  }

  av1::VerifyAuditChainResponse VerifyAll(int64_t anchor_sequence = 0,
                                          const std::string& anchor_hash = "") {
    grpc::ClientContext context;
    Idp().Authorize(context, kService);
    av1::VerifyAuditChainRequest request;
    request.set_service("referral");
    request.set_anchor_sequence(anchor_sequence);
    request.set_anchor_hash(anchor_hash);
    av1::VerifyAuditChainResponse response;
    const grpc::Status status = stub->VerifyAuditChain(&context, request, &response);
    REQUIRE(status.error_message() == "");
    return response;
  }

  static inline const CallerIdentity kService{"ops", Role::ROLE_SERVICE, "dps"};

  testing::TestDatabase db;
  PgPool pool;
  SystemClock clock;
  auth::PrivateKey key = *auth::PrivateKey::Generate("referral-audit");
  std::shared_ptr<const KeySet> key_set;
  std::unique_ptr<AuditLogService> service;
  std::unique_ptr<grpc::Server> server;
  std::unique_ptr<av1::AuditLogService::Stub> stub;
};

std::vector<int64_t> Sequences(const av1::ListAuditEntriesResponse& response) {
  std::vector<int64_t> out;
  for (const av1::AuditEntry& e : response.entries()) out.push_back(e.sequence());
  return out;
}

grpc::Status List(Fixture& f, const CallerIdentity& caller, av1::ListAuditEntriesRequest request,
                  av1::ListAuditEntriesResponse& response) {
  grpc::ClientContext context;
  Idp().Authorize(context, caller);
  request.set_service("referral");
  return f.stub->ListAuditEntries(&context, request, &response);
}

TEST_CASE("each reader lists the entries of their own scope, and only those") {
  Fixture f;
  av1::ListAuditEntriesResponse response;
  SECTION("operations tooling reads everything, in sequence order") {
    REQUIRE(List(f, Fixture::kService, {}, response).ok());
    CHECK(Sequences(response) == std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9});
    CHECK(response.entries(0).details_json() == R"({"n":1})");
    CHECK(response.entries(0).hash().size() == 64);
  }
  SECTION("a lead authority's admin reads the systems it leads") {
    REQUIRE(List(f, {"admin", Role::ROLE_LEAD_AUTHORITY_ADMIN, "lead-b"}, {}, response).ok());
    CHECK(Sequences(response) == std::vector<int64_t>{7, 8, 9});
    av1::ListAuditEntriesRequest other;
    other.set_system_id("system-a");
    const grpc::Status refused =
        List(f, {"admin", Role::ROLE_LEAD_AUTHORITY_ADMIN, "lead-b"}, other, response);
    CHECK(refused.error_code() == grpc::StatusCode::PERMISSION_DENIED);
    CHECK(refused.error_message() ==
          "system_id: you may read the entries of the purchasing systems your authority leads "
          "only");
  }
  SECTION("an auditor of an authority leading nothing reads nothing") {
    REQUIRE(List(f, {"auditor", Role::ROLE_AUDITOR, "kent"}, {}, response).ok());
    CHECK(response.entries().empty());
  }
  SECTION("a placing officer reads their own authority's entries") {
    REQUIRE(List(f, {"po", Role::ROLE_PLACING_OFFICER, "kent"}, {}, response).ok());
    CHECK(Sequences(response) == std::vector<int64_t>{2, 4, 6, 8});
    av1::ListAuditEntriesRequest other;
    other.set_authority_id("brighton");
    CHECK(List(f, {"po", Role::ROLE_PLACING_OFFICER, "kent"}, other, response).error_code() ==
          grpc::StatusCode::PERMISSION_DENIED);
  }
  SECTION("providers and evaluators read nothing") {
    for (Role role : {Role::ROLE_PROVIDER_USER, Role::ROLE_EVALUATOR}) {
      const grpc::Status refused = List(f, {"u", role, "org"}, {}, response);
      CHECK(refused.error_code() == grpc::StatusCode::PERMISSION_DENIED);
    }
  }
  SECTION("without a token nobody reads anything") {
    grpc::ClientContext context;
    CHECK(f.stub->ListAuditEntries(&context, {}, &response).error_code() ==
          grpc::StatusCode::UNAUTHENTICATED);
  }
}

TEST_CASE("lists filter, page, and refuse what they cannot serve") {
  Fixture f;
  av1::ListAuditEntriesResponse response;
  av1::ListAuditEntriesRequest request;
  SECTION("filters") {
    request.set_action_prefix("ipa.");
    REQUIRE(List(f, Fixture::kService, request, response).ok());
    CHECK(Sequences(response) == std::vector<int64_t>{3, 6, 9});
    request.Clear();
    request.set_aggregate_type("referral");
    request.set_aggregate_id("agg-4");
    REQUIRE(List(f, Fixture::kService, request, response).ok());
    CHECK(Sequences(response) == std::vector<int64_t>{4});
    request.Clear();
    request.set_actor_user_id("officer-b");
    request.set_system_id("system-b");
    REQUIRE(List(f, Fixture::kService, request, response).ok());
    CHECK(Sequences(response) == std::vector<int64_t>{7, 9});
    request.Clear();
    request.mutable_recorded_after()->set_seconds(1'796'000'000 + 2 * 60);
    request.mutable_recorded_before()->set_seconds(1'796'000'000 + 5 * 60);
    REQUIRE(List(f, Fixture::kService, request, response).ok());
    CHECK(Sequences(response) == std::vector<int64_t>{3, 4});
  }
  SECTION("pages follow each other without loss or repetition") {
    request.mutable_page()->set_page_size(4);
    std::vector<int64_t> seen;
    for (int pages = 0; pages < 5; ++pages) {
      response.Clear();
      REQUIRE(List(f, Fixture::kService, request, response).ok());
      for (int64_t s : Sequences(response)) seen.push_back(s);
      if (response.page().next_page_token().empty()) break;
      request.mutable_page()->set_page_token(response.page().next_page_token());
    }
    CHECK(seen == std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9});
  }
  SECTION("a token from another filter, and a page too large") {
    request.mutable_page()->set_page_size(2);
    REQUIRE(List(f, Fixture::kService, request, response).ok());
    request.mutable_page()->set_page_token(response.page().next_page_token());
    request.set_aggregate_type("ipa");
    const grpc::Status moved = List(f, Fixture::kService, request, response);
    CHECK(moved.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(moved.error_message().rfind("page.page_token:", 0) == 0);
    request.Clear();
    request.mutable_page()->set_page_size(501);
    CHECK(List(f, Fixture::kService, request, response).error_code() ==
          grpc::StatusCode::INVALID_ARGUMENT);
  }
  SECTION("another service's chain") {
    grpc::ClientContext context;
    Idp().Authorize(context, Fixture::kService);
    request.set_service("contracts");
    const grpc::Status status = f.stub->ListAuditEntries(&context, request, &response);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message() ==
          "service: this is the referral chain; ask the service that keeps the other");
  }
}

TEST_CASE("an entry outside the reader's scope is not found") {
  Fixture f;
  const auto get = [&](const CallerIdentity& caller, int64_t sequence, av1::AuditEntry& entry) {
    grpc::ClientContext context;
    Idp().Authorize(context, caller);
    av1::GetAuditEntryRequest request;
    request.set_sequence(sequence);
    return f.stub->GetAuditEntry(&context, request, &entry);
  };
  av1::AuditEntry entry;
  REQUIRE(get({"po", Role::ROLE_COMMISSIONER, "kent"}, 4, entry).ok());
  CHECK(entry.aggregate_id() == "agg-4");
  const grpc::Status hidden = get({"po", Role::ROLE_COMMISSIONER, "kent"}, 5, entry);
  CHECK(hidden.error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK(hidden.error_message() == "audit entry 5 of the referral chain not found");
  CHECK(get(Fixture::kService, 10, entry).error_code() == grpc::StatusCode::NOT_FOUND);
  const grpc::Status zero = get(Fixture::kService, 0, entry);
  CHECK(zero.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(zero.error_message() == "sequence: must be 1 or more");
}

// The export as the gateway writes it: one JSON line per message.
std::string ExportAsFile(Fixture& f, const CallerIdentity& caller, int64_t from, int64_t to,
                         grpc::Status& status) {
  grpc::ClientContext context;
  Idp().Authorize(context, caller);
  av1::ExportAuditLogRequest request;
  request.set_from_sequence(from);
  request.set_to_sequence(to);
  auto reader = f.stub->ExportAuditLog(&context, request);
  std::string file;
  av1::ExportAuditLogResponse item;
  while (reader->Read(&item)) {
    std::string line;
    REQUIRE(google::protobuf::util::MessageToJsonString(item, &line).ok());
    file += line + "\n";
  }
  status = reader->Finish();
  return file;
}

TEST_CASE(
    "an export streams the segment, redacts what the reader may not see, and closes "
    "with a manifest the offline checker accepts") {
  Fixture f;
  grpc::Status status;
  std::istringstream in(ExportAsFile(f, {"po", Role::ROLE_PLACING_OFFICER, "kent"}, 3, 0, status));
  REQUIRE(status.ok());
  absl::StatusOr<ExportFile> file = ReadExport(in);
  REQUIRE(file.ok());
  REQUIRE(file->entries.size() == 7);
  CHECK(file->entries[0].sequence == 3);
  CHECK(file->entries[0].redacted);  // brighton's
  CHECK(file->entries[0].details_json.empty());
  CHECK_FALSE(file->entries[1].redacted);  // kent's
  CHECK(file->entries[1].aggregate_id == "agg-4");
  REQUIRE(file->has_manifest);
  CHECK(file->manifest.first_sequence() == 3);
  CHECK(file->manifest.last_sequence() == 9);
  CHECK(file->manifest.entry_count() == 7);
  CHECK(file->manifest.exported_by().organisation_id() == "kent");
  CHECK(Verify(file->entries, ExpectationsOf(*file)).intact());

  SECTION("a range beyond the chain is refused") {
    ExportAsFile(f, Fixture::kService, 1, 10, status);
    CHECK(status.error_code() == grpc::StatusCode::OUT_OF_RANGE);
    ExportAsFile(f, Fixture::kService, 5, 4, status);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message() == "to_sequence: must not be before from_sequence");
  }
}

TEST_CASE("Verify holds an intact chain, batch after batch, with its checkpoints") {
  Fixture f(9, 4);
  f.Checkpoint();
  f.Add(10, 11);
  f.Checkpoint();
  const av1::VerifyAuditChainResponse response = f.VerifyAll();
  CHECK(response.intact());
  CHECK(response.entries_checked() == 11);
  CHECK(response.first_broken_sequence() == 0);
  CHECK(response.last_hash().size() == 64);
  CHECK(response.detail() == "intact: 11 entries checked against 2 checkpoints");
}

TEST_CASE("Verify names the first bad entry and its fault") {
  Fixture f(9, 4);
  f.Checkpoint();  // size 9
  SECTION("an edited entry") {
    f.Tamper("audit_log", "UPDATE audit_log SET reason = 'changed' WHERE sequence = 6");
    const auto response = f.VerifyAll();
    CHECK_FALSE(response.intact());
    CHECK(response.first_broken_sequence() == 6);
    CHECK(response.detail() == "entry 6: edited: its content does not give its content_hash");
  }
  SECTION(
      "a chain rewritten from an entry on, every hash recomputed: only the checkpoint "
      "shows it") {
    f.Tamper("audit_log", "UPDATE audit_log SET reason = 'changed' WHERE sequence = 6");
    f.Rehash(6);
    const auto response = f.VerifyAll();
    CHECK_FALSE(response.intact());
    CHECK(response.first_broken_sequence() == 9);
    CHECK(response.detail().find("entry 9: disagrees with a checkpoint") == 0);
  }
  SECTION("the newest entries deleted") {
    f.Tamper("audit_log", "DELETE FROM audit_log WHERE sequence >= 8");
    const auto response = f.VerifyAll();
    CHECK_FALSE(response.intact());
    CHECK(response.first_broken_sequence() == 8);
    CHECK(response.detail() == "entry 8: truncated: missing: the chain ends before entry 9");
  }
  SECTION("an entry deleted in the middle") {
    f.Tamper("audit_log", "DELETE FROM audit_log WHERE sequence = 5");
    const auto response = f.VerifyAll();
    CHECK(response.first_broken_sequence() == 5);
    CHECK(response.detail().find("entry 5: gap") == 0);
  }
  SECTION("a checkpoint forged in the table") {
    // A character well inside the signature: every bit of it counts (the last character of
    // an ES256 signature's base64url carries 4 unused bits, so changing it may change nothing).
    f.Tamper("audit_checkpoints",
             "UPDATE audit_checkpoints SET jws = overlay(jws PLACING CASE WHEN "
             "substr(jws, length(jws) - 10, 1) = 'A' THEN 'B' ELSE 'A' END "
             "FROM length(jws) - 10 FOR 1)");
    const auto response = f.VerifyAll();
    CHECK_FALSE(response.intact());
    CHECK(response.detail().find("a kept checkpoint is not one this service signed") == 0);
  }
  SECTION("an anchor the reader kept from an earlier manifest") {
    const std::string kept = f.VerifyAll().last_hash();
    CHECK(f.VerifyAll(9, kept).intact());
    CHECK(f.VerifyAll(9, std::string(64, 'b')).first_broken_sequence() == 9);
  }
}

TEST_CASE("Verify refuses a malformed request") {
  Fixture f;
  const auto verify = [&](av1::VerifyAuditChainRequest request) {
    grpc::ClientContext context;
    Idp().Authorize(context, Fixture::kService);
    av1::VerifyAuditChainResponse response;
    return f.stub->VerifyAuditChain(&context, request, &response);
  };
  av1::VerifyAuditChainRequest request;
  request.set_anchor_sequence(3);
  request.set_anchor_hash("xyz");
  CHECK(verify(request).error_message() == "anchor_hash: must be 64 lowercase hex digits");
  request.Clear();
  request.set_anchor_hash(std::string(64, 'a'));
  CHECK(verify(request).error_message() == "anchor_sequence: required with anchor_hash");
  request.Clear();
  request.set_from_sequence(-1);
  CHECK(verify(request).error_message() == "from_sequence: must be 0 (the start) or more");
}

TEST_CASE("checkpoints are issued only when the chain has grown, one per size") {
  Fixture f(3);
  f.Checkpoint();
  f.Checkpoint();
  f.Add(4, 4);
  f.Checkpoint();
  std::vector<std::string> kept;
  REQUIRE(f.pool
              .InTransaction([&](pqxx::work& tx) {
                absl::StatusOr<std::vector<std::string>> all = LoadCheckpointJws(tx, 0, 0);
                kept = *all;
                return all.status();
              })
              .ok());
  REQUIRE(kept.size() == 2);
  absl::StatusOr<SignedCheckpoint> last = VerifyCheckpoint(kept[1], *f.key_set, "referral");
  REQUIRE(last.ok());
  CHECK(last->checkpoint.size == 4);
  // Kept for good: the table refuses to lose one.
  CHECK_FALSE(f.pool
                  .InTransaction([&](pqxx::work& tx) {
                    tx.exec0("DELETE FROM audit_checkpoints");
                    return absl::OkStatus();
                  })
                  .ok());
}

}  // namespace
}  // namespace dps::platform::audit
