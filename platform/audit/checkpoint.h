// Signed checkpoints of an audit chain: "on <at>, the <service> chain held <size> entries and
// entry <size> had hash <head_hash>", signed by the service's own key (the key it signs its
// service tokens with; only the public half is published, in the services' key set).
//
// A chain alone proves nothing against whoever can rewrite the whole table: they can recompute
// every hash from the entry they change onwards. They cannot sign, so a checkpoint issued before
// the rewrite still names the old head hash, and Verify (chain.h) reports the disagreement. The
// service issues one on a schedule whenever its chain has grown (platform/service/runtime.cc),
// keeps it in its schema's audit_checkpoints table and appends it to a file outside the database
// when one is configured, so deleting checkpoints from the table does not remove them all.
//
// The JWS: header {"alg":"ES256","kid":...,"typ":"dps-audit-checkpoint"}, payload
// {"service":"referral","size":42,"head_hash":"ab..","at":"2026-12-05T10:00:00.000000000Z"}.
// The typ and the payload's shape keep a checkpoint from passing as a token and back: a token's
// typ is "JWT" and a checkpoint has no audience, role or expiry.
#ifndef DPS_PLATFORM_AUDIT_CHECKPOINT_H_
#define DPS_PLATFORM_AUDIT_CHECKPOINT_H_

#include <istream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "platform/audit/chain.h"
#include "platform/auth/keys.h"

namespace dps::platform::audit {

inline constexpr char kCheckpointType[] = "dps-audit-checkpoint";

struct SignedCheckpoint {
  std::string service;
  Checkpoint checkpoint;
  std::string jws;  // the compact JWS, as issued
};

// Signs `checkpoint` of `service`'s chain.
absl::StatusOr<SignedCheckpoint> SignCheckpoint(const auth::PrivateKey& key,
                                                absl::string_view service,
                                                const Checkpoint& checkpoint);

// Checks a checkpoint's signature against `keys`, its type, and that it is of `service`'s chain.
// InvalidArgument naming the rule otherwise ("checkpoint: bad signature", "checkpoint: of the
// contracts chain, not referral"); NotFound when signed by a key `keys` does not hold.
absl::StatusOr<SignedCheckpoint> VerifyCheckpoint(absl::string_view jws, const auth::KeySet& keys,
                                                  absl::string_view service);

// Reads a file of checkpoints, one JWS per line (blank lines skipped), and verifies each;
// InvalidArgument "line N: ..." on the first that fails.
absl::StatusOr<std::vector<SignedCheckpoint>> ReadCheckpoints(std::istream& in,
                                                              const auth::KeySet& keys,
                                                              absl::string_view service);

}  // namespace dps::platform::audit

#endif  // DPS_PLATFORM_AUDIT_CHECKPOINT_H_
