#include "services/qualification/timers/evidence_expiry.h"

#include "services/qualification/app/evidence.h"
#include "services/qualification/app/membership_changes.h"
#include "services/qualification/storage/pg_evidence_repository.h"
#include "services/qualification/storage/pg_register_reads.h"

namespace dps::qualification {
namespace {

constexpr int kBatch = 50;
constexpr char kTimerUser[] = "evidence-expiry-timer";

}  // namespace

absl::StatusOr<int> EvidenceExpiryTimer::RunOnce() {
  const platform::CallerIdentity timer{
      .user_id = kTimerUser, .role = dps::common::v1::ROLE_SERVICE, .organisation_id = "dps"};
  int expired_total = 0;
  while (true) {
    int expired = 0;
    const absl::Time now = clock_.Now();
    absl::Status status = pool_.InTransaction([&](pqxx::work& tx) -> absl::Status {
      Call call{.tx = tx, .caller = timer, .request_id = "", .now = now};
      PgEvidenceRepository evidence(tx);
      PgRegisterReads register_reads(tx);
      RecordedMemberships memberships(call);
      platform::OutboxEvents events = QualificationOutbox(call);
      absl::StatusOr<int> batch = EvidenceUseCases(evidence, register_reads, memberships, events)
                                      .ExpireDue(now, kBatch, kTimerUser);
      if (!batch.ok()) return batch.status();
      expired = *batch;
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    expired_total += expired;
    if (expired < kBatch) return expired_total;
  }
}

}  // namespace dps::qualification
