#include "platform/audit/export_file.h"

#include <google/protobuf/util/json_util.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "platform/proto/proto_time.h"

namespace dps::platform::audit {

namespace av1 = ::dps::audit::v1;

Entry EntryOf(const av1::AuditEntry& e) {
  Entry out;
  out.service = e.service();
  out.sequence = e.sequence();
  out.entry_id = e.entry_id();
  out.recorded_at = FromTimestamp(e.recorded_at());
  out.actor_user_id = e.actor().user_id();
  out.actor_role = e.actor().role();
  out.actor_organisation_id = e.actor().organisation_id();
  out.request_id = e.request_id();
  out.action = e.action();
  out.aggregate_type = e.aggregate_type();
  out.aggregate_id = e.aggregate_id();
  out.system_id = e.system_id();
  out.authority_id = e.authority_id();
  out.from_state = e.from_state();
  out.to_state = e.to_state();
  out.reason = e.reason();
  out.details_json = e.details_json();
  out.prev_hash = e.prev_hash();
  out.hash = e.hash();
  out.content_hash = e.content_hash();
  out.redacted = e.redacted();
  return out;
}

av1::AuditEntry ToProto(const Entry& e) {
  av1::AuditEntry out;
  out.set_service(e.service);
  out.set_sequence(e.sequence);
  out.set_prev_hash(e.prev_hash);
  out.set_hash(e.hash);
  out.set_content_hash(e.content_hash);
  if (e.redacted) {
    out.set_redacted(true);
    return out;
  }
  out.set_entry_id(e.entry_id);
  *out.mutable_recorded_at() = ToTimestamp(e.recorded_at);
  out.mutable_actor()->set_user_id(e.actor_user_id);
  out.mutable_actor()->set_role(e.actor_role);
  out.mutable_actor()->set_organisation_id(e.actor_organisation_id);
  out.set_request_id(e.request_id);
  out.set_action(e.action);
  out.set_aggregate_type(e.aggregate_type);
  out.set_aggregate_id(e.aggregate_id);
  out.set_system_id(e.system_id);
  out.set_authority_id(e.authority_id);
  out.set_from_state(e.from_state);
  out.set_to_state(e.to_state);
  out.set_reason(e.reason);
  out.set_details_json(e.details_json);
  return out;
}

absl::StatusOr<ExportFile> ReadExport(std::istream& in, size_t max_line_bytes) {
  ExportFile file;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    if (line.size() > max_line_bytes) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", number, ": longer than ", max_line_bytes, " bytes"));
    }
    if (file.has_manifest) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", number, ": something follows the manifest"));
    }
    av1::ExportAuditLogResponse item;
    const auto parsed = google::protobuf::util::JsonStringToMessage(line, &item);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("line ", number,
                                                     ": not an ExportAuditLogResponse in JSON: ",
                                                     std::string(parsed.message()).substr(0, 200)));
    }
    if (item.has_entry()) {
      if (CheckTimestamps(item).ok()) {
        file.entries.push_back(EntryOf(item.entry()));
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("line ", number, ": recorded_at out of range"));
      }
    } else if (item.has_manifest()) {
      file.has_manifest = true;
      file.manifest = item.manifest();
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", number, ": neither an entry nor the manifest"));
    }
  }
  return file;
}

Expectations ExpectationsOf(const ExportFile& file) {
  Expectations expect;
  if (file.has_manifest) {
    expect.first_sequence = file.manifest.first_sequence();
    expect.first_prev_hash = file.manifest.first_prev_hash();
    expect.last_sequence = file.manifest.last_sequence();
    expect.checkpoints.push_back({.size = file.manifest.last_sequence(),
                                  .head_hash = file.manifest.last_hash(),
                                  .at = FromTimestamp(file.manifest.exported_at())});
    return expect;
  }
  expect.first_sequence = file.entries.empty() ? 1 : file.entries.front().sequence;
  expect.first_prev_hash = expect.first_sequence == 1 ? kGenesisHash : "";
  return expect;
}

}  // namespace dps::platform::audit
