// dps-audit: checks an audit export offline, by the rule written in audit.proto, so that whoever
// receives an export (a court, an expert, another council) needs nothing of ours but this.
//
//   dps-audit verify EXPORT [--checkpoint=SIZE:HASH]...
//
// EXPORT is the JSON-lines file ExportAuditLog produced (export_file.h). Each --checkpoint is a
// chain size and the head hash recorded for it elsewhere (a signed checkpoint, an earlier
// manifest): a chain rewritten from some entry on, every hash recomputed, still disagrees with
// them. Prints "intact: N entries, last hash H" and exits 0, or names the first bad entry and
// the kind of fault ("entry 42: edited: ...") and exits 1; 2 for a usage error or an unreadable
// file.
#include <fstream>
#include <iostream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "platform/audit/export_file.h"

namespace {

constexpr char kUsage[] = "usage: dps-audit verify EXPORT [--checkpoint=SIZE:HASH]...\n";

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
  for (int i = 3; i < argc; ++i) {
    const std::string arg = argv[i];
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
  audit::Expectations expect = audit::ExpectationsOf(*file);
  expect.checkpoints.insert(expect.checkpoints.end(), checkpoints.begin(), checkpoints.end());
  const audit::Verdict verdict = audit::Verify(file->entries, expect);
  if (!verdict.intact()) {
    std::cout << verdict.detail << "\n";
    return 1;
  }
  std::cout << "intact: " << verdict.entries_checked << " entries, last hash " << verdict.last_hash
            << "\n";
  return 0;
}
