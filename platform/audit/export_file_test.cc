// The export file and `dps-audit verify` over it (the binary's path comes from the build).
#include "platform/audit/export_file.h"

#include <google/protobuf/util/json_util.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "platform/audit/checkpoint.h"
#include "platform/proto/proto_time.h"

namespace dps::platform::audit {
namespace {

namespace av1 = ::dps::audit::v1;

std::vector<Entry> Chain(int n) {
  std::vector<Entry> chain;
  for (int i = 0; i < n; ++i) {
    Entry e;
    e.service = "contracts";
    e.entry_id = "entry-" + std::to_string(i + 1);
    e.recorded_at = absl::FromUnixSeconds(1'806'000'000 + i);
    e.actor_user_id = "officer-1";
    e.actor_role = "ROLE_PLACING_OFFICER";
    e.actor_organisation_id = "west-sussex";
    e.action = "ipa.signed";
    e.aggregate_type = "ipa";
    e.aggregate_id = "ipa-" + std::to_string(i + 1);
    e.details_json = R"({"version_number":1})";
    Append(chain.empty() ? nullptr : &chain.back(), e);
    chain.push_back(e);
  }
  return chain;
}

std::string Line(const google::protobuf::Message& m) {
  std::string json;
  REQUIRE(google::protobuf::util::MessageToJsonString(m, &json).ok());
  return json + "\n";
}

// The export of `chain` with its manifest, as ExportAuditLog streams it.
std::string ExportOf(const std::vector<Entry>& chain, const std::vector<Entry>& described) {
  std::string out;
  for (const Entry& e : chain) {
    av1::ExportAuditLogResponse item;
    *item.mutable_entry() = ToProto(e);
    out += Line(item);
  }
  av1::ExportAuditLogResponse item;
  av1::ExportManifest& m = *item.mutable_manifest();
  m.set_service("contracts");
  m.set_first_sequence(described.front().sequence);
  m.set_last_sequence(described.back().sequence);
  m.set_entry_count(static_cast<int64_t>(described.size()));
  m.set_first_prev_hash(described.front().prev_hash);
  m.set_last_hash(described.back().hash);
  *m.mutable_exported_at() = ToTimestamp(absl::FromUnixSeconds(1'806'100'000));
  out += Line(item);
  return out;
}

TEST_CASE("an export reads back as the entries and manifest written") {
  const std::vector<Entry> chain = Chain(3);
  std::istringstream in(ExportOf(chain, chain));
  absl::StatusOr<ExportFile> file = ReadExport(in);
  REQUIRE(file.ok());
  REQUIRE(file->entries.size() == 3);
  CHECK(file->entries[2].hash == chain[2].hash);
  CHECK(file->entries[2].recorded_at == chain[2].recorded_at);
  CHECK(file->has_manifest);
  CHECK(Verify(file->entries, ExpectationsOf(*file)).intact());
}

TEST_CASE("an export that is not one is refused naming the line") {
  std::istringstream garbage("{\"entry\":{\"sequence\":\"1\"}}\nnot json\n");
  CHECK(ReadExport(garbage).status().message().substr(0, 8) == "line 2: ");
  const std::vector<Entry> chain = Chain(1);
  std::istringstream after(ExportOf(chain, chain) + ExportOf(chain, chain));
  CHECK(ReadExport(after).status().message() == "line 3: something follows the manifest");
  std::istringstream unknown("{\"entry\":{\"sequence\":\"1\",\"colour\":\"red\"}}\n");
  CHECK(!ReadExport(unknown).ok());
}

// `chain` with entry 2 edited and every hash from there on recomputed: a rewrite the chain alone
// cannot show.
std::vector<Entry> RewrittenFromSecond(const std::vector<Entry>& chain) {
  std::vector<Entry> rewritten(chain.begin(), chain.begin() + 1);
  for (size_t i = 1; i < chain.size(); ++i) {
    Entry e = chain[i];
    if (i == 1) e.reason = "changed afterwards";
    Append(&rewritten.back(), e);
    rewritten.push_back(e);
  }
  return rewritten;
}

// Runs dps-audit on `contents` with `args`; returns its exit code and puts its output in `out`.
int RunVerify(const std::string& contents, const std::string& args, std::string& out) {
  char name[] = "/tmp/dps-audit-test.XXXXXX";
  const int fd = mkstemp(name);
  REQUIRE(fd >= 0);
  close(fd);
  const std::string path = name;
  std::ofstream(path) << contents;
  FILE* pipe = popen(
      (std::string(DPS_AUDIT_BINARY) + " verify " + path + " " + args + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  out.clear();
  char buffer[512];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  const int status = pclose(pipe);
  std::remove(path.c_str());
  return WEXITSTATUS(status);
}

TEST_CASE("dps-audit verify names the first bad entry and the kind of fault") {
  const std::vector<Entry> chain = Chain(5);
  std::string out;
  CHECK(RunVerify(ExportOf(chain, chain), "", out) == 0);
  CHECK(out == "intact: 5 entries, last hash " + chain[4].hash + "\n");

  std::vector<Entry> edited = chain;
  edited[1].actor_user_id = "someone-else";
  CHECK(RunVerify(ExportOf(edited, chain), "", out) == 1);
  CHECK(out == "entry 2: edited: its content does not give its content_hash\n");

  std::vector<Entry> deleted = chain;
  deleted.erase(deleted.begin() + 3);
  CHECK(RunVerify(ExportOf(deleted, chain), "", out) == 1);
  CHECK(out == "entry 4: gap: missing: the next entry found is 5\n");

  std::vector<Entry> reordered = chain;
  std::swap(reordered[2], reordered[3]);
  CHECK(RunVerify(ExportOf(reordered, chain), "", out) == 1);
  CHECK(out == "entry 4: reordered: found where entry 3 belongs\n");

  std::vector<Entry> truncated(chain.begin(), chain.begin() + 3);
  CHECK(RunVerify(ExportOf(truncated, chain), "", out) == 1);
  CHECK(out == "entry 4: truncated: missing: the chain ends before entry 5\n");

  // Rewritten from entry 2 on, manifest and all: only a checkpoint kept elsewhere tells.
  const std::vector<Entry> rewritten = RewrittenFromSecond(chain);
  CHECK(RunVerify(ExportOf(rewritten, rewritten), "", out) == 0);
  CHECK(RunVerify(ExportOf(rewritten, rewritten), "--checkpoint=3:" + chain[2].hash, out) == 1);
  CHECK(out.rfind("entry 3: disagrees with a checkpoint: ", 0) == 0);

  CHECK(RunVerify("", "--checkpoint=3:abc", out) == 2);
  CHECK(RunVerify("nonsense\n", "", out) == 2);
}

// A file holding `contents`, removed when the test ends.
struct TempFile {
  explicit TempFile(const std::string& contents) {
    char name[] = "/tmp/dps-audit-file.XXXXXX";
    const int fd = mkstemp(name);
    REQUIRE(fd >= 0);
    close(fd);
    path = name;
    std::ofstream(path) << contents;
  }
  ~TempFile() { std::remove(path.c_str()); }
  std::string path;
};

TEST_CASE("dps-audit verify checks the service's signed checkpoints before trusting them") {
  const std::vector<Entry> chain = Chain(5);
  absl::StatusOr<auth::PrivateKey> key = auth::PrivateKey::Generate("contracts-1");
  REQUIRE(key.ok());
  const TempFile jwks(key->PublicJwks());
  const auto signed_at = [&](int64_t size, const std::string& hash) {
    absl::StatusOr<SignedCheckpoint> made = SignCheckpoint(
        *key, "contracts", {.size = size, .head_hash = hash, .at = absl::FromUnixSeconds(1)});
    REQUIRE(made.ok());
    return made->jws + "\n";
  };
  // Rewritten from entry 2 on, manifest and all, after checkpoints of sizes 3 and 9 were issued.
  const std::vector<Entry> rewritten = RewrittenFromSecond(chain);
  const TempFile checkpoints(signed_at(3, chain[2].hash) + signed_at(9, std::string(64, 'c')));
  std::string out;
  const std::string args = "--checkpoints=" + checkpoints.path + " --jwks=" + jwks.path;
  CHECK(RunVerify(ExportOf(chain, chain), args, out) == 0);
  CHECK(RunVerify(ExportOf(rewritten, rewritten), args, out) == 1);
  CHECK(out.rfind("entry 3: disagrees with a checkpoint: ", 0) == 0);

  // A checkpoint signed by anyone else is the finding.
  absl::StatusOr<auth::PrivateKey> stranger = auth::PrivateKey::Generate("contracts-1");
  REQUIRE(stranger.ok());
  absl::StatusOr<SignedCheckpoint> forged = SignCheckpoint(
      *stranger, "contracts", {.size = 3, .head_hash = rewritten[2].hash, .at = absl::Now()});
  REQUIRE(forged.ok());
  const TempFile forged_file(forged->jws + "\n");
  CHECK(RunVerify(ExportOf(rewritten, rewritten),
                  "--checkpoints=" + forged_file.path + " --jwks=" + jwks.path, out) == 1);
  CHECK(out == forged_file.path + ": line 1: checkpoint: bad signature\n");

  CHECK(RunVerify(ExportOf(chain, chain), "--checkpoints=" + checkpoints.path, out) == 2);
}

}  // namespace
}  // namespace dps::platform::audit
