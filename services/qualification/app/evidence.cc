#include "services/qualification/app/evidence.h"

#include <utility>

#include "dps/common/v1/common.pb.h"
#include "platform/pg/documents.h"
#include "platform/proto/proto_time.h"
#include "services/qualification/app/access.h"
#include "services/qualification/domain/errors.h"

namespace dps::qualification {

absl::StatusOr<Evidence> EvidenceUseCases::Add(const EvidenceToAdd& add,
                                               const platform::CallerIdentity& caller,
                                               absl::Time now) {
  if (absl::Status s = RequireProvider(caller, add.provider_id); !s.ok()) return s;
  if (absl::Status s = CheckEvidenceDocument(add); !s.ok()) return s;
  absl::StatusOr<CriterionRef> criterion = register_.Criterion(add.criterion_id);
  if (!criterion.ok()) return criterion.status();
  if (absl::Status s = CheckEvidenceExpiry(add, criterion->evidence_expires, criterion->code);
      !s.ok()) {
    return s;
  }
  if (!add.establishment_id.empty()) {
    absl::StatusOr<EstablishmentRef> establishment = register_.Establishment(add.establishment_id);
    if (!establishment.ok()) return establishment.status();
    if (establishment->provider_id != add.provider_id) {
      return InvalidField("establishment_id", "belongs to another provider");
    }
  }
  Evidence evidence = NewEvidence(platform::NewId("evi"), add, now);
  if (absl::Status s = evidence_.Insert(evidence); !s.ok()) return s;
  absl::StatusOr<std::vector<Evidence>> others = evidence_.OthersInForce(evidence);
  if (!others.ok()) return others.status();
  if (absl::Status s = evidence_.Supersede(RenewedBy(evidence, *others), evidence.id); !s.ok()) {
    return s;
  }
  return evidence;
}

absl::StatusOr<int> EvidenceUseCases::ExpireDue(absl::Time now, int limit,
                                                const std::string& actor) {
  absl::StatusOr<std::vector<std::string>> due =
      evidence_.ExpiredBy(absl::ToCivilDay(now, absl::UTCTimeZone()), limit);
  if (!due.ok()) return due.status();
  for (const std::string& id : *due) {
    absl::StatusOr<Evidence> evidence = evidence_.LoadForUpdate(id);
    if (!evidence.ok()) return evidence.status();
    const std::string reason = Expire(*evidence);
    if (absl::Status s = evidence_.Save(*evidence); !s.ok()) return s;
    absl::StatusOr<std::vector<std::string>> suspended =
        memberships_.SuspendRestingOn(*evidence, reason, now, actor);
    if (!suspended.ok()) return suspended.status();
    dps::events::v1::EventEnvelope event;
    auto* announced = event.mutable_evidence_expired();
    for (const std::string& membership_id : *suspended) {
      announced->add_membership_ids(membership_id);
    }
    announced->set_evidence_id(evidence->id);
    announced->set_provider_id(evidence->provider_id);
    announced->set_establishment_id(evidence->establishment_id);
    announced->set_criterion_id(evidence->criterion_id);
    // The first day it no longer holds: the day after its last valid one.
    *announced->mutable_expired_on() = platform::ToDate(*evidence->expires_on + 1);
    if (absl::Status s = events_.Announce("qualification.evidence.expired", "evidence",
                                          evidence->id, "", std::move(event));
        !s.ok()) {
      return s;
    }
  }
  return static_cast<int>(due->size());
}

absl::StatusOr<EvidenceUseCases::ListScope> EvidenceUseCases::ScopeOfList(
    const std::string& provider_id, const std::string& system_id,
    const platform::CallerIdentity& caller) {
  if (provider_id.empty()) return InvalidField("provider_id", "required");
  if (caller.role == dps::common::v1::ROLE_PROVIDER_USER) {
    if (absl::Status s = RequireProvider(caller, provider_id); !s.ok()) return s;
  } else if (caller.role != dps::common::v1::ROLE_SERVICE && system_id.empty()) {
    // Lead-authority staff read the evidence a system they lead rests on, not a provider's whole
    // file.
    return InvalidField("system_id",
                        "required for authority staff: the system whose evidence to list");
  }
  ListScope scope;
  if (system_id.empty()) return scope;
  absl::StatusOr<PurchasingSystem> system = register_.System(system_id);
  if (!system.ok()) return system.status();
  if (caller.role != dps::common::v1::ROLE_PROVIDER_USER &&
      caller.role != dps::common::v1::ROLE_SERVICE) {
    if (absl::Status s = RequireLeadOf(caller, *system); !s.ok()) return s;
  }
  scope.warning_days = system->evidence_expiry_warning_days;
  return scope;
}

}  // namespace dps::qualification
