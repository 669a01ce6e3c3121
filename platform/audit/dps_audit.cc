// dps-audit: checks an audit export offline, by the rule written in audit.proto, so that whoever
// receives an export (a court, an expert, another council) needs nothing of ours but this.
//
//   dps-audit verify EXPORT [--checkpoint=SIZE:HASH]... [--checkpoints=FILE --jwks=FILE]
//
// EXPORT is the JSON-lines file ExportAuditLog produced (export_file.h). Each --checkpoint is a
// chain size and the head hash recorded for it elsewhere (an earlier manifest, a note kept by the
// reader); --checkpoints is a file of the service's signed checkpoints (one JWS a line, as the
// service appends them), each checked against the services' public keys in --jwks before it is
// used. A chain rewritten from some entry on, every hash recomputed, still disagrees with them.
// Prints "intact: N entries, last hash H" and exits 0, or names the first bad entry and the kind of
// fault ("entry 42: edited: ...") and exits 1; 2 for a usage error or an unreadable file.
#include <fstream>
#include <iostream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "platform/audit/checkpoint.h"
#include "platform/audit/export_file.h"

namespace {

constexpr char kUsage[] =
    "usage: dps-audit verify EXPORT [--checkpoint=SIZE:HASH]... [--checkpoints=FILE "
    "--jwks=FILE]\n";

int Usage(const std::string& why) {
  std::cerr << "dps-audit: " << why << "\n" << kUsage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  namespace audit = dps::platform::audit;
  if (argc < 3 || std::string(argv[1]) != "verify") return Usage("nothing to do");
  const std::string path = argv[2];
  std::vector<audit::Checkpoint> checkpoints;
  std::string signed_file;
  std::string jwks_file;
  for (int i = 3; i < argc; ++i) {
    const std::string arg = argv[i];
    if (absl::StartsWith(arg, "--checkpoints=")) {
      signed_file = arg.substr(sizeof("--checkpoints=") - 1);
      continue;
    }
    if (absl::StartsWith(arg, "--jwks=")) {
      jwks_file = arg.substr(sizeof("--jwks=") - 1);
      continue;
    }
    constexpr char kFlag[] = "--checkpoint=";
    if (!absl::StartsWith(arg, kFlag)) return Usage("unknown argument " + arg.substr(0, 64));
    const std::string value = arg.substr(sizeof(kFlag) - 1);
    const size_t colon = value.find(':');
    audit::Checkpoint checkpoint;
    if (colon == std::string::npos || !absl::SimpleAtoi(value.substr(0, colon), &checkpoint.size) ||
        checkpoint.size < 1 || value.size() - colon - 1 != 64) {
      return Usage("--checkpoint must be SIZE:HASH, a size of 1 or more and a 64-digit hash");
    }
    checkpoint.head_hash = value.substr(colon + 1);
    checkpoints.push_back(checkpoint);
  }
  std::ifstream in(path);
  if (!in) return Usage("cannot read " + path);
  absl::StatusOr<audit::ExportFile> file = audit::ReadExport(in);
  if (!file.ok()) return Usage(path + ": " + std::string(file.status().message()));
  if (signed_file.empty() != jwks_file.empty()) {
    return Usage("--checkpoints and --jwks go together");
  }
  if (!signed_file.empty()) {
    absl::StatusOr<dps::platform::auth::KeySet> keys =
        dps::platform::auth::KeySet::FromFile(jwks_file);
    if (!keys.ok()) return Usage(std::string(keys.status().message()));
    std::ifstream signed_in(signed_file);
    if (!signed_in) return Usage("cannot read " + signed_file);
    // The chain the export is of, as its manifest (or else its first entry) names it.
    std::string service = file->manifest.service();
    if (service.empty() && !file->entries.empty()) service = file->entries.front().service;
    absl::StatusOr<std::vector<audit::SignedCheckpoint>> kept =
        audit::ReadCheckpoints(signed_in, *keys, service);
    if (!kept.ok()) {
      // A checkpoint that is not ours is itself the finding, not a usage error.
      std::cout << signed_file << ": " << kept.status().message() << "\n";
      return 1;
    }
    for (const audit::SignedCheckpoint& one : *kept) checkpoints.push_back(one.checkpoint);
  }
  audit::Expectations expect = audit::ExpectationsOf(*file);
  // Only checkpoints the export reaches: one beyond its last entry is of a later chain, unless
  // the export claims to reach it.
  for (const audit::Checkpoint& c : checkpoints) {
    if (c.size >= expect.first_sequence) expect.checkpoints.push_back(c);
  }
  const audit::Verdict verdict = audit::Verify(file->entries, expect);
  if (!verdict.intact()) {
    std::cout << verdict.detail << "\n";
    return 1;
  }
  std::cout << "intact: " << verdict.entries_checked << " entries, last hash " << verdict.last_hash
            << "\n";
  return 0;
}
