// An audit export as a file: one dps.audit.v1.ExportAuditLogResponse per line in the proto3 JSON
// mapping (what ExportAuditLog streams, as the gateway writes it), entries in sequence order,
// then the manifest. `dps-audit verify` reads it; the manifest's first prev_hash, last sequence
// and last hash become what the entries are checked against.
#ifndef DPS_PLATFORM_AUDIT_EXPORT_FILE_H_
#define DPS_PLATFORM_AUDIT_EXPORT_FILE_H_

#include <istream>
#include <vector>

#include "absl/status/statusor.h"
#include "dps/audit/v1/audit.pb.h"
#include "platform/audit/chain.h"

namespace dps::platform::audit {

// The chain's view of an exported entry.
Entry EntryOf(const dps::audit::v1::AuditEntry& entry);
// And back, as the service exports it (hashes as stored).
dps::audit::v1::AuditEntry ToProto(const Entry& entry);

struct ExportFile {
  std::vector<Entry> entries;
  bool has_manifest = false;
  dps::audit::v1::ExportManifest manifest;
};

// Reads an export. InvalidArgument "line N: ..." for a line that is not an
// ExportAuditLogResponse, or anything after the manifest. At most `max_line_bytes` a line.
absl::StatusOr<ExportFile> ReadExport(std::istream& in, size_t max_line_bytes = 1 << 20);

// What the export's own manifest says the entries must satisfy: from its first sequence and first
// prev_hash to its last sequence, whose hash must be its last hash. Without a manifest: from the
// first entry given, linking to whatever it names (nothing then says the export is complete).
Expectations ExpectationsOf(const ExportFile& file);

}  // namespace dps::platform::audit

#endif  // DPS_PLATFORM_AUDIT_EXPORT_FILE_H_
