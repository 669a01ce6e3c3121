#include "platform/audit/chain.h"

#include <catch2/catch.hpp>
#include <vector>

namespace dps::platform::audit {
namespace {

absl::Time At(int minute) {
  return absl::FromCivil(absl::CivilSecond(2027, 4, 1, 9, minute, 0), absl::UTCTimeZone());
}

Entry Signed() {
  Entry e;
  e.service = "contracts";
  e.entry_id = "7f1c2a9e-0000-4000-8000-000000000001";
  e.recorded_at = At(30);
  e.actor_user_id = "officer-1";
  e.actor_role = "ROLE_PLACING_OFFICER";
  e.actor_organisation_id = "west-sussex";
  e.request_id = "req-1";
  e.action = "ipa.signed";
  e.aggregate_type = "ipa";
  e.aggregate_id = "ipa-1";
  e.system_id = "system-1";
  e.authority_id = "west-sussex";
  e.from_state = "ISSUED";
  e.to_state = "SIGNED";
  e.details_json = R"({"version_number":1})";
  return e;
}

// Five entries chained from the start.
std::vector<Entry> Chain() {
  std::vector<Entry> chain;
  for (int i = 0; i < 5; ++i) {
    Entry e = Signed();
    e.recorded_at = At(30 + i);
    e.aggregate_id = "ipa-" + std::to_string(i + 1);
    Append(chain.empty() ? nullptr : &chain.back(), e);
    chain.push_back(e);
  }
  return chain;
}

TEST_CASE("the hashes follow the rule written in audit.proto") {
  Entry e = Signed();
  Append(nullptr, e);
  // Computed independently (Python's hashlib over the netstrings audit.proto lists).
  CHECK(e.sequence == 1);
  CHECK(e.prev_hash == kGenesisHash);
  CHECK(e.content_hash == "ecab2b5f7dcb676e9cd15d78799310bae7f01b0cb137f63b5b03c73cac09a8d7");
  CHECK(e.hash == "636c7776c718674646b622add6befebeec8a562575d37486dfd286139b1e6eb1");
  CHECK(Netstring("héllo") == "6:héllo,");
  CHECK(FormatRecordedAt(At(30) + absl::Nanoseconds(5)) == "2027-04-01T09:30:00.000000005Z");
}

TEST_CASE("an untouched chain is intact") {
  const std::vector<Entry> chain = Chain();
  const Verdict v = Verify(chain, {});
  CHECK(v.intact());
  CHECK(v.entries_checked == 5);
  CHECK(v.last_hash == chain.back().hash);
  CHECK(Verify({}, {}).intact());
}

TEST_CASE("an edited entry is named as edited") {
  std::vector<Entry> chain = Chain();
  chain[2].reason = "backdated";
  Verdict v = Verify(chain, {});
  CHECK(v.fault == Fault::kEdited);
  CHECK(v.sequence == 3);
  CHECK(v.detail == "entry 3: edited: its content does not give its content_hash");
  CHECK(v.entries_checked == 2);
  // Its content hash recomputed too: its own hash no longer follows.
  chain[2].content_hash = ContentHash(chain[2]);
  v = Verify(chain, {});
  CHECK(v.fault == Fault::kEdited);
  CHECK(v.detail == "entry 3: edited: its hash is not that of its prev_hash and content");
  // Its hash recomputed as well: the next entry's link breaks.
  chain[2].hash = LinkHash(chain[2].prev_hash, chain[2].content_hash);
  v = Verify(chain, {});
  CHECK(v.fault == Fault::kBrokenLink);
  CHECK(v.detail == "entry 4: broken link: prev_hash does not match the hash of entry 3");
}

TEST_CASE("a deleted entry is a gap and a moved one is reordered") {
  std::vector<Entry> deleted = Chain();
  deleted.erase(deleted.begin() + 2);
  Verdict v = Verify(deleted, {});
  CHECK(v.fault == Fault::kGap);
  CHECK(v.sequence == 3);
  CHECK(v.detail == "entry 3: gap: missing: the next entry found is 4");

  std::vector<Entry> swapped = Chain();
  std::swap(swapped[1], swapped[2]);
  v = Verify(swapped, {});
  CHECK(v.fault == Fault::kReordered);
  CHECK(v.detail == "entry 3: reordered: found where entry 2 belongs");

  // Renumbered in place so the order looks right: the content no longer hashes.
  std::vector<Entry> renumbered = Chain();
  std::swap(renumbered[1].sequence, renumbered[2].sequence);
  std::swap(renumbered[1], renumbered[2]);
  v = Verify(renumbered, {});
  CHECK(v.fault == Fault::kEdited);
  CHECK(v.sequence == 2);
}

TEST_CASE("a chain rewritten from an entry on is caught by a checkpoint") {
  const std::vector<Entry> original = Chain();
  // Whoever can write the table edits entry 2 and recomputes every hash after it.
  std::vector<Entry> rewritten(original.begin(), original.begin() + 1);
  for (size_t i = 1; i < original.size(); ++i) {
    Entry e = original[i];
    if (i == 1) e.reason = "changed after the event";
    Append(&rewritten.back(), e);
    rewritten.push_back(e);
  }
  CHECK(Verify(rewritten, {}).intact());  // the chain alone cannot tell
  Expectations expect;
  expect.checkpoints = {{.size = 4, .head_hash = original[3].hash, .at = At(40)}};
  CHECK(Verify(original, expect).intact());
  const Verdict v = Verify(rewritten, expect);
  CHECK(v.fault == Fault::kCheckpointMismatch);
  CHECK(v.sequence == 4);
  CHECK(v.detail ==
        "entry 4: disagrees with a checkpoint: the checkpoint of 2027-04-01T09:40:00.000000000Z "
        "recorded another hash for it");
}

TEST_CASE("a chain that stops short of what was recorded is truncated") {
  std::vector<Entry> chain = Chain();
  chain.resize(3);
  Expectations expect;
  expect.checkpoints = {{.size = 5, .head_hash = Chain()[4].hash, .at = At(40)}};
  Verdict v = Verify(chain, expect);
  CHECK(v.fault == Fault::kTruncated);
  CHECK(v.sequence == 4);
  CHECK(v.detail == "entry 4: truncated: missing: the chain ends before entry 5");
  // An export's manifest naming its last entry does the same.
  v = Verify(chain, {.last_sequence = 5});
  CHECK(v.fault == Fault::kTruncated);
  // A range that ends earlier on purpose is not.
  CHECK(Verify(chain, {.last_sequence = 3, .checkpoints = expect.checkpoints}).intact());
}

TEST_CASE("a segment links to the hash before it, and redacted entries keep the chain checkable") {
  std::vector<Entry> chain = Chain();
  std::vector<Entry> segment(chain.begin() + 2, chain.end());
  segment[1].redacted = true;
  segment[1].reason = "";  // its content is withheld: only its hashes are exported
  segment[1].details_json = "";
  Verdict v = Verify(segment, {.first_sequence = 3, .first_prev_hash = chain[1].hash});
  CHECK(v.intact());
  v = Verify(segment, {.first_sequence = 3, .first_prev_hash = chain[0].hash});
  CHECK(v.fault == Fault::kBrokenLink);
  CHECK(v.detail == "entry 3: broken link: prev_hash is not the hash it must follow");
}

}  // namespace
}  // namespace dps::platform::audit
