#include "platform/audit/service.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "platform/audit/checkpoint.h"
#include "platform/audit/export_file.h"
#include "platform/audit/log.h"
#include "platform/grpc/caller.h"
#include "platform/proto/proto_time.h"
#include "platform/grpc/request_checks.h"
#include "platform/grpc/status.h"
#include "platform/pg/documents.h"

namespace dps::platform::audit {
namespace {

namespace av1 = ::dps::audit::v1;
using dps::common::v1::Role;

absl::Status InvalidField(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

bool IsLowerHexHash(const std::string& text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// The sequences a range request asks for: from 0 or 1 is the start, to 0 is the latest.
struct Range {
  int64_t from = 1;
  int64_t to = 0;  // 0: the head when the call began
};

absl::StatusOr<Range> RangeOf(int64_t from, int64_t to) {
  if (from < 0) return InvalidField("from_sequence", "must be 0 (the start) or more");
  if (to < 0) return InvalidField("to_sequence", "must be 0 (the latest) or more");
  Range range{.from = std::max<int64_t>(from, 1), .to = to};
  if (range.to != 0 && range.to < range.from) {
    return InvalidField("to_sequence", "must not be before from_sequence");
  }
  return range;
}

}  // namespace

absl::StatusOr<ReadScope> ScopeOf(pqxx::work& tx, const CallerIdentity& caller,
                                  const SystemsLedBy& systems_led_by) {
  ReadScope scope;
  switch (caller.role) {
    case Role::ROLE_SERVICE:
      scope.everything = true;
      return scope;
    case Role::ROLE_LEAD_AUTHORITY_ADMIN:
    case Role::ROLE_AUDITOR: {
      absl::StatusOr<std::vector<std::string>> systems = systems_led_by(tx, caller.organisation_id);
      if (!systems.ok()) return systems.status();
      scope.system_ids = *std::move(systems);
      return scope;
    }
    case Role::ROLE_PLACING_OFFICER:
    case Role::ROLE_COMMISSIONER:
      scope.authority_id = caller.organisation_id;
      return scope;
    default:
      return absl::PermissionDeniedError(
          absl::StrCat("role ", dps::common::v1::Role_Name(caller.role),
                       " may not read the audit log (lead authority admins and auditors, "
                       "placing officers and commissioners may)"));
  }
}

bool InScope(const Entry& entry, const ReadScope& scope) {
  if (scope.everything) return true;
  if (!scope.authority_id.empty() && entry.authority_id == scope.authority_id) return true;
  return !entry.system_id.empty() && std::find(scope.system_ids.begin(), scope.system_ids.end(),
                                               entry.system_id) != scope.system_ids.end();
}

Entry Redacted(const Entry& entry) {
  Entry out;
  out.service = entry.service;
  out.sequence = entry.sequence;
  out.prev_hash = entry.prev_hash;
  out.content_hash = entry.content_hash;
  out.hash = entry.hash;
  out.redacted = true;
  return out;
}

absl::StatusOr<std::pair<CallerIdentity, ReadScope>> AuditLogService::Admit(
    const grpc::ServerContext& context, const google::protobuf::Message& request,
    const std::string& service) {
  absl::StatusOr<CallerIdentity> caller = CallerOf(context, authenticator_);
  if (!caller.ok()) return caller.status();
  if (absl::Status s = CheckRequest(request); !s.ok()) return s;
  if (!service.empty() && service != options_.service) {
    return InvalidField("service", absl::StrCat("this is the ", options_.service,
                                                " chain; ask the service that keeps the other"));
  }
  ReadScope scope;
  absl::Status s = pool_.InTransaction([&](pqxx::work& tx) -> absl::Status {
    absl::StatusOr<ReadScope> found = ScopeOf(tx, *caller, options_.systems_led_by);
    if (!found.ok()) return found.status();
    scope = *std::move(found);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return std::make_pair(*std::move(caller), std::move(scope));
}

grpc::Status AuditLogService::GetAuditEntry(grpc::ServerContext* context,
                                            const av1::GetAuditEntryRequest* request,
                                            av1::AuditEntry* response) {
  auto admitted = Admit(*context, *request, request->service());
  if (!admitted.ok()) return ToGrpcStatus(admitted.status());
  if (request->sequence() < 1) {
    return ToGrpcStatus(InvalidField("sequence", "must be 1 or more"));
  }
  std::optional<Entry> entry;
  absl::Status s = pool_.InTransaction([&](pqxx::work& tx) -> absl::Status {
    absl::StatusOr<std::optional<Entry>> found = GetEntry(tx, request->sequence());
    if (!found.ok()) return found.status();
    entry = *std::move(found);
    return absl::OkStatus();
  });
  if (!s.ok()) return ToGrpcStatus(s);
  // An entry the caller may not read is as absent as one never written: its existence alone
  // says something happened to a record they cannot see.
  if (!entry.has_value() || !InScope(*entry, admitted->second)) {
    return ToGrpcStatus(absl::NotFoundError(absl::StrCat(
        "audit entry ", request->sequence(), " of the ", options_.service, " chain not found")));
  }
  *response = ToProto(*entry);
  return grpc::Status::OK;
}

grpc::Status AuditLogService::ListAuditEntries(grpc::ServerContext* context,
                                               const av1::ListAuditEntriesRequest* request,
                                               av1::ListAuditEntriesResponse* response) {
  auto admitted = Admit(*context, *request, request->service());
  if (!admitted.ok()) return ToGrpcStatus(admitted.status());
  const ReadScope& scope = admitted->second;
  absl::StatusOr<Page> page = ToPage(*request);
  if (!page.ok()) return ToGrpcStatus(page.status());

  EntryFilter filter;
  filter.aggregate_type = request->aggregate_type();
  filter.aggregate_id = request->aggregate_id();
  filter.actor_user_id = request->actor_user_id();
  filter.authority_id = request->authority_id();
  filter.action_prefix = request->action_prefix();
  if (request->has_recorded_after())
    filter.recorded_after = FromTimestamp(request->recorded_after());
  if (request->has_recorded_before()) {
    filter.recorded_before = FromTimestamp(request->recorded_before());
  }
  if (!page->after_id.empty() && !absl::SimpleAtoi(page->after_id, &filter.after_sequence)) {
    return ToGrpcStatus(InvalidField("page.page_token", "not a token this list gave"));
  }
  if (!request->system_id().empty()) filter.system_ids = {request->system_id()};
  filter.any_system = request->system_id().empty();
  // Held to the caller's scope: a filter naming what lies outside it is refused, an open one
  // narrowed.
  if (!scope.everything) {
    if (!scope.authority_id.empty()) {
      if (!filter.authority_id.empty() && filter.authority_id != scope.authority_id) {
        return ToGrpcStatus(absl::PermissionDeniedError(
            "authority_id: you may read the entries of your own authority only"));
      }
      filter.authority_id = scope.authority_id;
    } else {
      if (!filter.any_system && std::find(scope.system_ids.begin(), scope.system_ids.end(),
                                          request->system_id()) == scope.system_ids.end()) {
        return ToGrpcStatus(absl::PermissionDeniedError(
            "system_id: you may read the entries of the purchasing systems your authority leads "
            "only"));
      }
      if (filter.any_system) filter.system_ids = scope.system_ids;
      filter.any_system = false;
    }
  }
  filter.limit = page->size + 1;
  std::vector<Entry> entries;
  absl::Status s = pool_.InTransaction([&](pqxx::work& tx) -> absl::Status {
    absl::StatusOr<std::vector<Entry>> found = ListEntries(tx, filter);
    if (!found.ok()) return found.status();
    entries = *std::move(found);
    return absl::OkStatus();
  });
  if (!s.ok()) return ToGrpcStatus(s);
  size_t bytes = 0;
  int count = 0;
  for (const Entry& entry : entries) {
    if (page->Full(count, bytes)) {
      response->mutable_page()->set_next_page_token(
          page->TokenAfter(absl::StrCat(response->entries(count - 1).sequence())));
      break;
    }
    av1::AuditEntry* out = response->add_entries();
    *out = ToProto(entry);
    bytes += out->ByteSizeLong();
    ++count;
  }
  return grpc::Status::OK;
}

grpc::Status AuditLogService::ExportAuditLog(
    grpc::ServerContext* context, const av1::ExportAuditLogRequest* request,
    grpc::ServerWriter<av1::ExportAuditLogResponse>* writer) {
  auto admitted = Admit(*context, *request, request->service());
  if (!admitted.ok()) return ToGrpcStatus(admitted.status());
  const auto& [caller, scope] = *admitted;
  absl::StatusOr<Range> range = RangeOf(request->from_sequence(), request->to_sequence());
  if (!range.ok()) return ToGrpcStatus(range.status());

  Checkpoint head;
  absl::Status s = pool_.InTransaction([&](pqxx::work& tx) -> absl::Status {
    absl::StatusOr<Checkpoint> found = ChainHead(tx);
    if (!found.ok()) return found.status();
    head = *std::move(found);
    return absl::OkStatus();
  });
  if (!s.ok()) return ToGrpcStatus(s);
  const int64_t last = range->to == 0 ? head.size : range->to;
  if (last > head.size) {
    return ToGrpcStatus(absl::OutOfRangeError(absl::StrCat(
        "to_sequence: the ", options_.service, " chain holds ", head.size, " entries")));
  }

  av1::ExportManifest manifest;
  manifest.set_service(options_.service);
  int64_t next = range->from;
  while (next <= last) {
    if (context->IsCancelled()) return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled");
    std::vector<Entry> batch;
    s = pool_.InTransaction([&](pqxx::work& tx) -> absl::Status {
      absl::StatusOr<std::vector<Entry>> found = LoadChain(tx, next, last, options_.batch_size);
      if (!found.ok()) return found.status();
      batch = *std::move(found);
      return absl::OkStatus();
    });
    if (!s.ok()) return ToGrpcStatus(s);
    if (batch.empty()) break;  // the rest is missing; the manifest says where the export ends
    for (const Entry& entry : batch) {
      if (manifest.entry_count() == 0) {
        manifest.set_first_sequence(entry.sequence);
        manifest.set_first_prev_hash(entry.prev_hash);
      }
      av1::ExportAuditLogResponse item;
      *item.mutable_entry() = ToProto(InScope(entry, scope) ? entry : Redacted(entry));
      if (!writer->Write(item)) {
        return grpc::Status(grpc::StatusCode::CANCELLED, "the reader went away");
      }
      manifest.set_last_sequence(entry.sequence);
      manifest.set_last_hash(entry.hash);
      manifest.set_entry_count(manifest.entry_count() + 1);
    }
    next = batch.back().sequence + 1;
  }
  *manifest.mutable_exported_at() = ToTimestamp(clock_.Now());
  *manifest.mutable_exported_by() = ActorOf(caller);
  av1::ExportAuditLogResponse closing;
  *closing.mutable_manifest() = manifest;
  writer->Write(closing);
  return grpc::Status::OK;
}

grpc::Status AuditLogService::VerifyAuditChain(grpc::ServerContext* context,
                                               const av1::VerifyAuditChainRequest* request,
                                               av1::VerifyAuditChainResponse* response) {
  auto admitted = Admit(*context, *request, request->service());
  if (!admitted.ok()) return ToGrpcStatus(admitted.status());
  absl::StatusOr<Range> range = RangeOf(request->from_sequence(), request->to_sequence());
  if (!range.ok()) return ToGrpcStatus(range.status());
  if (request->anchor_sequence() < 0) {
    return ToGrpcStatus(InvalidField("anchor_sequence", "must be 0 (none) or more"));
  }
  if (request->anchor_sequence() > 0 && !IsLowerHexHash(request->anchor_hash())) {
    return ToGrpcStatus(InvalidField("anchor_hash", "must be 64 lowercase hex digits"));
  }
  if (request->anchor_sequence() == 0 && !request->anchor_hash().empty()) {
    return ToGrpcStatus(InvalidField("anchor_sequence", "required with anchor_hash"));
  }

  // The checkpoints kept for the range, each checked against the services' keys. One whose
  // signature fails was not issued by us: the checkpoints themselves were tampered with. One
  // signed by a key no longer trusted cannot be judged, so it is left out and said so.
  std::vector<Checkpoint> checkpoints;
  std::string untrusted;
  absl::Status s = pool_.InTransaction([&](pqxx::work& tx) -> absl::Status {
    absl::StatusOr<std::vector<std::string>> kept = LoadCheckpointJws(tx, range->from, range->to);
    if (!kept.ok()) return kept.status();
    const std::shared_ptr<const auth::KeySet> keys = options_.checkpoint_keys();
    int unknown_keys = 0;
    for (const std::string& jws : *kept) {
      absl::StatusOr<SignedCheckpoint> checked = VerifyCheckpoint(jws, *keys, options_.service);
      if (checked.ok()) {
        checkpoints.push_back(checked->checkpoint);
        continue;
      }
      if (absl::IsNotFound(checked.status())) {
        ++unknown_keys;
        continue;
      }
      response->set_intact(false);
      response->set_detail(absl::StrCat("a kept checkpoint is not one this service signed (",
                                        checked.status().message(),
                                        "): the checkpoints have been tampered with"));
      return absl::OkStatus();
    }
    if (unknown_keys > 0) {
      untrusted = absl::StrCat(" (", unknown_keys,
                               " checkpoints signed by keys no longer trusted were not used)");
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return ToGrpcStatus(s);
  if (!response->detail().empty()) return grpc::Status::OK;
  if (request->anchor_sequence() > 0) {
    checkpoints.push_back(
        {.size = request->anchor_sequence(), .head_hash = request->anchor_hash()});
  }

  // Batch by batch, each linked to the last hash of the one before; a checkpoint is judged in
  // the batch that holds its size, and those beyond the last entry in the final batch (where they
  // show a chain cut short).
  Expectations expect;
  expect.first_sequence = range->from;
  expect.first_prev_hash = range->from == 1 ? kGenesisHash : "";
  Verdict verdict;
  int64_t checked = 0;
  std::string last_hash;
  while (true) {
    if (context->IsCancelled()) return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled");
    std::vector<Entry> batch;
    s = pool_.InTransaction([&](pqxx::work& tx) -> absl::Status {
      absl::StatusOr<std::vector<Entry>> found =
          LoadChain(tx, expect.first_sequence, range->to, options_.batch_size);
      if (!found.ok()) return found.status();
      batch = *std::move(found);
      return absl::OkStatus();
    });
    if (!s.ok()) return ToGrpcStatus(s);
    const bool final_batch = static_cast<int>(batch.size()) < options_.batch_size ||
                             (range->to != 0 && batch.back().sequence >= range->to);
    const int64_t batch_last = batch.empty() ? expect.first_sequence - 1 : batch.back().sequence;
    expect.checkpoints.clear();
    for (const Checkpoint& c : checkpoints) {
      if (c.size >= expect.first_sequence && (final_batch || c.size <= batch_last)) {
        expect.checkpoints.push_back(c);
      }
    }
    expect.last_sequence = final_batch ? range->to : batch_last;
    verdict = Verify(batch, expect);
    checked += verdict.entries_checked;
    if (!verdict.last_hash.empty()) last_hash = verdict.last_hash;
    if (!verdict.intact() || final_batch) break;
    expect.first_sequence = batch_last + 1;
    expect.first_prev_hash = verdict.last_hash;
  }
  response->set_intact(verdict.intact());
  response->set_entries_checked(checked);
  response->set_first_broken_sequence(verdict.intact() ? 0 : verdict.sequence);
  response->set_last_hash(last_hash);
  response->set_detail(
      verdict.intact()
          ? absl::StrCat("intact: ", checked, " entries checked against ", checkpoints.size(),
                         checkpoints.size() == 1 ? " checkpoint" : " checkpoints", untrusted)
          : absl::StrCat(verdict.detail, untrusted));
  return grpc::Status::OK;
}

}  // namespace dps::platform::audit
