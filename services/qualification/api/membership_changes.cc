#include "services/qualification/api/membership_changes.h"

#include "services/qualification/api/convert.h"
#include "services/qualification/storage/records.h"

namespace dps::qualification {

absl::StatusOr<bool> ChangeMembership(Call& call, v1::Membership& record,
                                      const MembershipChangeFn& change) {
  absl::StatusOr<std::vector<ScoreEntry>> scores = ScoresOf(call.tx, record.id());
  if (!scores.ok()) return scores.status();
  absl::StatusOr<Membership> domain = ToDomainMembership(record, *scores);
  if (!domain.ok()) return domain.status();
  const size_t scores_before = domain->scores.size();
  absl::StatusOr<bool> changed = change(*domain);
  if (!changed.ok() || !*changed) return changed;
  for (size_t i = scores_before; i < domain->scores.size(); ++i) {
    if (absl::Status s = AddScore(call.tx, record.id(), domain->scores[i]); !s.ok()) return s;
  }
  UpdateFromDomain(*domain, record);
  if (absl::Status s = SaveMembership(call.tx, record); !s.ok()) return s;
  return true;
}

absl::Status AnnounceSuspended(Call& call, const v1::Membership& membership) {
  dps::events::v1::EventEnvelope event;
  auto* suspended = event.mutable_membership_suspended();
  suspended->set_membership_id(membership.id());
  suspended->set_lot_id(membership.lot_id());
  suspended->set_establishment_id(membership.establishment_id());
  suspended->set_provider_id(membership.provider_id());
  if (!membership.suspensions().empty()) {
    const v1::Suspension& latest = membership.suspensions(membership.suspensions_size() - 1);
    suspended->set_reason(latest.reason());
    suspended->set_detail(latest.detail());
  }
  for (const v1::Suspension& s : membership.suspensions()) {
    for (const std::string& item : s.failed_criterion_ids()) {
      suspended->add_failed_criterion_ids(item);
    }
  }
  return Announce(call, "qualification.membership.suspended", "membership", membership.id(),
                  membership.system_id(), std::move(event));
}

absl::Status AnnounceReinstated(Call& call, const v1::Membership& membership,
                                const std::string& reason) {
  dps::events::v1::EventEnvelope event;
  auto* reinstated = event.mutable_membership_reinstated();
  reinstated->set_membership_id(membership.id());
  reinstated->set_lot_id(membership.lot_id());
  reinstated->set_establishment_id(membership.establishment_id());
  reinstated->set_provider_id(membership.provider_id());
  reinstated->set_reason(reason);
  return Announce(call, "qualification.membership.reinstated", "membership", membership.id(),
                  membership.system_id(), std::move(event));
}

absl::Status AnnounceExcluded(Call& call, const v1::Membership& membership,
                              const std::string& reason) {
  dps::events::v1::EventEnvelope event;
  auto* excluded = event.mutable_membership_excluded();
  excluded->set_membership_id(membership.id());
  excluded->set_lot_id(membership.lot_id());
  excluded->set_establishment_id(membership.establishment_id());
  excluded->set_provider_id(membership.provider_id());
  excluded->set_reason(reason);
  return Announce(call, "qualification.membership.excluded", "membership", membership.id(),
                  membership.system_id(), std::move(event));
}

}  // namespace dps::qualification
