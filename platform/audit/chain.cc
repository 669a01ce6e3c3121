#include "platform/audit/chain.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "platform/crypto/sha256.h"

namespace dps::platform::audit {

std::string Netstring(absl::string_view bytes) {
  return absl::StrCat(bytes.size(), ":", bytes, ",");
}

std::string FormatRecordedAt(absl::Time at) {
  return absl::FormatTime("%Y-%m-%d%ET%H:%M:%E9SZ", at, absl::UTCTimeZone());
}

std::string ContentHash(const Entry& e) {
  std::string fields = Netstring(e.service);
  fields += Netstring(absl::StrCat(e.sequence));
  fields += Netstring(e.entry_id);
  fields += Netstring(FormatRecordedAt(e.recorded_at));
  // The rest in audit.proto's order.
  for (const std::string* field :
       {&e.actor_user_id, &e.actor_role, &e.actor_organisation_id, &e.request_id, &e.action,
        &e.aggregate_type, &e.aggregate_id, &e.system_id, &e.authority_id, &e.from_state,
        &e.to_state, &e.reason, &e.details_json}) {
    fields += Netstring(*field);
  }
  return Sha256Hex(fields);
}

std::string LinkHash(absl::string_view prev_hash, absl::string_view content_hash) {
  return Sha256Hex(absl::StrCat(Netstring(prev_hash), Netstring(content_hash)));
}

void Append(const Entry* previous, Entry& next) {
  next.sequence = previous == nullptr ? 1 : previous->sequence + 1;
  next.prev_hash = previous == nullptr ? kGenesisHash : previous->hash;
  next.content_hash = ContentHash(next);
  next.hash = LinkHash(next.prev_hash, next.content_hash);
}

absl::string_view FaultName(Fault fault) {
  switch (fault) {
    case Fault::kNone:
      return "intact";
    case Fault::kReordered:
      return "reordered";
    case Fault::kGap:
      return "gap";
    case Fault::kEdited:
      return "edited";
    case Fault::kBrokenLink:
      return "broken link";
    case Fault::kTruncated:
      return "truncated";
    case Fault::kCheckpointMismatch:
      return "disagrees with a checkpoint";
  }
  return "unknown";
}

namespace {

Verdict Bad(Fault fault, int64_t sequence, std::string detail, const Verdict& so_far) {
  Verdict v = so_far;
  v.fault = fault;
  v.sequence = sequence;
  v.detail = absl::StrCat("entry ", sequence, ": ", FaultName(fault), ": ", detail);
  return v;
}

}  // namespace

Verdict Verify(const std::vector<Entry>& entries, const Expectations& expect) {
  Verdict verdict;
  int64_t expected_sequence = expect.first_sequence;
  std::string prev_hash = expect.first_prev_hash;
  for (const Entry& e : entries) {
    if (e.sequence < expected_sequence) {
      return Bad(Fault::kReordered, e.sequence,
                 absl::StrCat("found where entry ", expected_sequence, " belongs"), verdict);
    }
    if (e.sequence > expected_sequence) {
      // The entry that belongs here further on means the order was changed, not an entry lost.
      const bool later = std::any_of(&e, entries.data() + entries.size(), [&](const Entry& x) {
        return x.sequence == expected_sequence;
      });
      if (later) {
        return Bad(Fault::kReordered, e.sequence,
                   absl::StrCat("found where entry ", expected_sequence, " belongs"), verdict);
      }
      return Bad(Fault::kGap, expected_sequence,
                 absl::StrCat("missing: the next entry found is ", e.sequence), verdict);
    }
    if (!e.redacted && ContentHash(e) != e.content_hash) {
      return Bad(Fault::kEdited, e.sequence, "its content does not give its content_hash", verdict);
    }
    if (!prev_hash.empty() && e.prev_hash != prev_hash) {
      return Bad(Fault::kBrokenLink, e.sequence,
                 e.sequence == expect.first_sequence
                     ? std::string("prev_hash is not the hash it must follow")
                     : absl::StrCat("prev_hash does not match the hash of entry ", e.sequence - 1),
                 verdict);
    }
    if (LinkHash(e.prev_hash, e.content_hash) != e.hash) {
      return Bad(Fault::kEdited, e.sequence, "its hash is not that of its prev_hash and content",
                 verdict);
    }
    for (const Checkpoint& checkpoint : expect.checkpoints) {
      if (checkpoint.size == e.sequence && checkpoint.head_hash != e.hash) {
        return Bad(Fault::kCheckpointMismatch, e.sequence,
                   absl::StrCat("the checkpoint of ", FormatRecordedAt(checkpoint.at),
                                " recorded another hash for it"),
                   verdict);
      }
    }
    prev_hash = e.hash;
    ++expected_sequence;
    ++verdict.entries_checked;
    verdict.last_hash = e.hash;
  }
  // What was recorded to exist must be there.
  int64_t must_reach = expect.last_sequence;
  if (must_reach == 0) {
    for (const Checkpoint& checkpoint : expect.checkpoints) {
      must_reach = std::max(must_reach, checkpoint.size);
    }
  }
  if (must_reach >= expected_sequence) {
    return Bad(Fault::kTruncated, expected_sequence,
               absl::StrCat("missing: the chain ends before entry ", must_reach), verdict);
  }
  return verdict;
}

}  // namespace dps::platform::audit
