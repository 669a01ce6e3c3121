#include "services/qualification/app/membership_changes.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/qualification/app/access.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/storage/pg_membership_repository.h"
#include "services/qualification/storage/records.h"

namespace dps::qualification {

absl::StatusOr<int> RecordedMemberships::CountNotExcluded(const std::string& system_id,
                                                          const std::string& establishment_id) {
  absl::StatusOr<std::vector<Membership>> memberships =
      memberships_.OfEstablishmentInSystem(system_id, establishment_id);
  if (!memberships.ok()) return memberships.status();
  return static_cast<int>(
      std::count_if(memberships->begin(), memberships->end(),
                    [](const Membership& m) { return m.state != MembershipState::kExcluded; }));
}

absl::Status RecordedMemberships::ChangeAndSave(Membership& membership, bool suspends,
                                                const MembershipChangeFn& change) {
  absl::StatusOr<bool> changed = change(membership);
  if (!changed.ok()) return changed.status();
  if (!*changed) return absl::OkStatus();
  if (absl::Status s = memberships_.Save(membership); !s.ok()) return s;
  if (!suspends) return absl::OkStatus();
  return AnnounceSuspended(events_, membership);
}

absl::Status RecordedMemberships::ChangeEach(const Audit& audit, bool suspends,
                                             const MembershipChangeFn& change) {
  absl::StatusOr<std::vector<Membership>> memberships =
      memberships_.OfEstablishmentInSystem(audit.system_id, audit.establishment_id);
  if (!memberships.ok()) return memberships.status();
  for (Membership& membership : *memberships) {
    if (membership.state == MembershipState::kExcluded) continue;
    if (absl::Status s = ChangeAndSave(membership, suspends, change); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status RecordedMemberships::RecordPassed(const Audit& audit) {
  // The next audit falls due under the system's interval as it is now.
  v1::PurchasingSystem system;
  if (absl::Status s = LoadSystem(call_.tx, audit.system_id, false, system); !s.ok()) return s;
  const int interval_months = AuditIntervalMonths(system.rules());
  return ChangeEach(audit, false, [&](Membership& m) -> absl::StatusOr<bool> {
    if (absl::Status s = RecordAudit(m, *audit.completed_at, audit.auditor.user_id, audit.summary,
                                     interval_months);
        !s.ok()) {
      return s;
    }
    return true;
  });
}

absl::Status RecordedMemberships::SuspendForFailure(const Audit& audit,
                                                    const std::vector<std::string>& failed) {
  const std::string detail = absl::StrCat("audit ", audit.id, " failed: ", audit.summary);
  return ChangeEach(audit, true, [&](Membership& m) -> absl::StatusOr<bool> {
    if (absl::Status s = Suspend(m, SuspensionCause::kAuditFailed, failed, detail,
                                 *audit.completed_at, audit.auditor.user_id, audit.id);
        !s.ok()) {
      return s;
    }
    return true;
  });
}

absl::StatusOr<std::vector<std::string>> RecordedMemberships::SuspendRestingOn(
    const Evidence& evidence, const std::string& reason, absl::Time at, const std::string& actor) {
  absl::StatusOr<std::vector<EvidenceLink>> links = memberships_.RestingOn(evidence.id);
  if (!links.ok()) return links.status();
  std::vector<std::string> suspended;
  for (const EvidenceLink& link : *links) {
    absl::StatusOr<Membership> membership = memberships_.LoadForUpdate(link.membership_id);
    if (!membership.ok()) return membership.status();
    if (membership->state == MembershipState::kExcluded) continue;
    if (absl::Status s = ChangeAndSave(
            *membership, true,
            [&](Membership& m) -> absl::StatusOr<bool> {
              if (absl::Status s = Suspend(m, SuspensionCause::kEvidenceExpiry, {link.criterion_id},
                                           reason, at, actor, evidence.id);
                  !s.ok()) {
                return s;
              }
              return true;
            });
        !s.ok()) {
      return s;
    }
    suspended.push_back(membership->id);
  }
  return suspended;
}

absl::StatusOr<bool> RecordedMemberships::LeadsSystemWithMember(const std::string& establishment_id,
                                                                const std::string& lead_authority) {
  return qualification::LeadsSystemWithMember(call_.tx, establishment_id, lead_authority);
}

absl::StatusOr<int> RecordedMemberships::SuspendForInadequate(const InspectionRating& rating,
                                                              const std::string& lead_authority,
                                                              const std::string& actor) {
  absl::StatusOr<std::vector<std::string>> systems =
      SystemsWithMember(call_.tx, rating.establishment_id, lead_authority);
  if (!systems.ok()) return systems.status();
  int suspensions = 0;
  for (const std::string& system_id : *systems) {
    // The suspension names the system's inspection-rating criterion, so reinstatement asks for
    // exactly that to be resubmitted.
    absl::StatusOr<std::string> item = InspectionRatingCriterion(call_.tx, system_id);
    if (!item.ok()) return item.status();
    absl::StatusOr<std::vector<Membership>> memberships =
        memberships_.OfEstablishmentInSystem(system_id, rating.establishment_id);
    if (!memberships.ok()) return memberships.status();
    for (Membership& membership : *memberships) {
      bool suspended = false;
      if (absl::Status s = ChangeAndSave(membership, true,
                                         [&](Membership& m) -> absl::StatusOr<bool> {
                                           absl::StatusOr<bool> applied = ApplyInspectionGrade(
                                               m, InspectionGrade::kInadequate, *item,
                                               rating.recorded_at, actor, rating.id);
                                           suspended = applied.ok() && *applied;
                                           return applied;
                                         });
          !s.ok()) {
        return s;
      }
      if (suspended) ++suspensions;
    }
  }
  return suspensions;
}

absl::StatusOr<Membership> RecordedAdjustmentStore::LoadMembershipForLead(const std::string& id) {
  absl::StatusOr<Membership> membership = memberships_.LoadForUpdate(id);
  if (!membership.ok()) return membership.status();
  if (absl::Status s = use_cases_.MayChangeMembershipsOf(membership->system_id, call_.caller);
      !s.ok()) {
    return s;
  }
  return membership;
}

absl::StatusOr<v1::PurchasingSystem> RecordedAdjustmentStore::LoadSystem(const std::string& id) {
  v1::PurchasingSystem system;
  if (absl::Status s = qualification::LoadSystem(call_.tx, id, false, system); !s.ok()) return s;
  return system;
}

absl::Status RecordedAdjustmentStore::SaveMembership(Membership& membership) {
  return memberships_.Save(membership);
}

absl::Status RecordedAdjustmentStore::SaveAndAnnounce(const v1::ScoreAdjustment& adjustment,
                                                      const Membership& membership) {
  if (absl::Status s = InsertScoreAdjustment(call_.tx, adjustment, membership); !s.ok()) return s;
  dps::events::v1::EventEnvelope event;
  auto* adjusted = event.mutable_qualification_score_adjusted();
  adjusted->set_membership_id(membership.id);
  adjusted->set_adjustment_id(adjustment.id());
  adjusted->set_establishment_id(membership.establishment_id);
  adjusted->set_score_before(adjustment.score_before());
  adjusted->set_score_after(adjustment.score_after());
  *adjusted->mutable_effective_at() = adjustment.effective_at();
  adjusted->set_reason(adjustment.reason());
  return Announce(call_, "qualification.membership.score_adjusted", "membership", membership.id,
                  membership.system_id, std::move(event));
}

}  // namespace dps::qualification
