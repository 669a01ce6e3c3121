#include "services/qualification/app/membership_changes.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/qualification/app/access.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/storage/records.h"

namespace dps::qualification {

absl::StatusOr<Lot> LotOfMembership(Call& call, const v1::Membership& membership) {
  v1::Lot lot;
  if (absl::Status s = LoadDoc(call.tx, "lots", "lot", membership.lot_id(), false, lot); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::vector<v1::Criterion>> criteria = CriteriaOf(call.tx, membership.system_id());
  if (!criteria.ok()) return criteria.status();
  return ToDomainLot(lot, *criteria);
}

absl::StatusOr<bool> ChangeMembership(Call& call, v1::Membership& record,
                                      const MembershipChangeFn& change) {
  absl::StatusOr<std::vector<ScoreEntry>> scores = ScoresOf(call.tx, record.id());
  if (!scores.ok()) return scores.status();
  absl::StatusOr<Membership> domain = ToDomainMembership(record, *scores);
  if (!domain.ok()) return domain.status();
  const size_t scores_before = domain->scores.size();
  const absl::Time audited_before = domain->last_audit_at;
  absl::StatusOr<bool> changed = change(*domain);
  if (!changed.ok() || !*changed) return changed;
  for (size_t i = scores_before; i < domain->scores.size(); ++i) {
    if (absl::Status s = AddScore(call.tx, record.id(), domain->scores[i]); !s.ok()) return s;
  }
  UpdateFromDomain(*domain, record);
  if (domain->last_audit_at != audited_before) {
    // An audit was recorded: the next falls due under the system's interval as it is now.
    v1::PurchasingSystem system;
    if (absl::Status s = LoadSystem(call.tx, record.system_id(), false, system); !s.ok()) {
      return s;
    }
    SetNextAuditDue(*domain, AuditIntervalMonths(system.rules()), record);
  }
  if (absl::Status s = SaveMembership(call.tx, record); !s.ok()) return s;
  return true;
}

absl::Status RestOnEvidence(Call& call, const v1::Application& application,
                            const v1::Membership& membership,
                            const std::vector<std::string>& criteria) {
  for (const std::string& criterion : criteria) {
    if (absl::Status s = UnlinkEvidence(call.tx, membership.id(), criterion); !s.ok()) return s;
  }
  for (const v1::CriterionResponse& r : application.responses()) {
    if (!r.establishment_id().empty() && r.establishment_id() != membership.establishment_id()) {
      continue;
    }
    if (std::find(criteria.begin(), criteria.end(), r.criterion_id()) == criteria.end()) continue;
    for (const std::string& evidence_id : r.evidence_ids()) {
      if (absl::Status s = LinkEvidence(call.tx, membership.id(), evidence_id, r.criterion_id());
          !s.ok()) {
        return s;
      }
    }
  }
  return absl::OkStatus();
}

absl::Status AnnounceSuspended(Call& call, const v1::Membership& membership) {
  dps::events::v1::EventEnvelope event;
  auto* suspended = event.mutable_membership_suspended();
  NameMembership(membership, *suspended);
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
  NameMembership(membership, *reinstated);
  reinstated->set_reason(reason);
  return Announce(call, "qualification.membership.reinstated", "membership", membership.id(),
                  membership.system_id(), std::move(event));
}

absl::Status AnnounceExcluded(Call& call, const v1::Membership& membership,
                              const std::string& reason) {
  dps::events::v1::EventEnvelope event;
  auto* excluded = event.mutable_membership_excluded();
  NameMembership(membership, *excluded);
  excluded->set_reason(reason);
  return Announce(call, "qualification.membership.excluded", "membership", membership.id(),
                  membership.system_id(), std::move(event));
}

absl::Status AnnouncePricesChanged(Call& call, const v1::Membership& membership,
                                   const std::string& application_id,
                                   const dps::common::v1::Money& ceiling_fee_before) {
  dps::events::v1::EventEnvelope event;
  auto* changed = event.mutable_membership_prices_changed();
  NameMembership(membership, *changed);
  changed->set_application_id(application_id);
  *changed->mutable_ceiling_fee_before() = ceiling_fee_before;
  *changed->mutable_ceiling_fee_after() = membership.commercial().ceiling_fee();
  *changed->mutable_effective_at() = ToTimestamp(call.now);
  return Announce(call, "qualification.membership.prices_changed", "membership", membership.id(),
                  membership.system_id(), std::move(event));
}

absl::StatusOr<int> RecordedMemberships::CountNotExcluded(const std::string& system_id,
                                                          const std::string& establishment_id) {
  absl::StatusOr<std::vector<v1::Membership>> memberships =
      MembershipsOfEstablishment(call_.tx, system_id, establishment_id);
  if (!memberships.ok()) return memberships.status();
  return static_cast<int>(std::count_if(
      memberships->begin(), memberships->end(),
      [](const v1::Membership& m) { return m.state() != v1::MEMBERSHIP_STATE_EXCLUDED; }));
}

absl::Status RecordedMemberships::ChangeEach(const Audit& audit, bool suspends,
                                             const MembershipChangeFn& change) {
  absl::StatusOr<std::vector<v1::Membership>> memberships =
      MembershipsOfEstablishment(call_.tx, audit.system_id, audit.establishment_id);
  if (!memberships.ok()) return memberships.status();
  for (v1::Membership& membership : *memberships) {
    if (membership.state() == v1::MEMBERSHIP_STATE_EXCLUDED) continue;
    absl::StatusOr<bool> changed = ChangeMembership(call_, membership, change);
    if (!changed.ok()) return changed.status();
    if (suspends) {
      if (absl::Status s = AnnounceSuspended(call_, membership); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

absl::Status RecordedMemberships::RecordPassed(const Audit& audit) {
  return ChangeEach(audit, false, [&](Membership& m) -> absl::StatusOr<bool> {
    if (absl::Status s = RecordAudit(m, *audit.completed_at, audit.auditor.user_id, audit.summary);
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
  absl::StatusOr<std::vector<EvidenceLink>> links = MembershipsRelyingOn(call_.tx, evidence.id);
  if (!links.ok()) return links.status();
  std::vector<std::string> suspended;
  for (const EvidenceLink& link : *links) {
    v1::Membership membership;
    if (absl::Status s =
            LoadDoc(call_.tx, "memberships", "membership", link.membership_id, true, membership);
        !s.ok()) {
      return s;
    }
    if (membership.state() == v1::MEMBERSHIP_STATE_EXCLUDED) continue;
    absl::StatusOr<bool> changed =
        ChangeMembership(call_, membership, [&](Membership& m) -> absl::StatusOr<bool> {
          if (absl::Status s = Suspend(m, SuspensionCause::kEvidenceExpiry, {link.criterion_id},
                                       reason, at, actor, evidence.id);
              !s.ok()) {
            return s;
          }
          return true;
        });
    if (!changed.ok()) return changed.status();
    if (absl::Status s = AnnounceSuspended(call_, membership); !s.ok()) return s;
    suspended.push_back(membership.id());
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
    absl::StatusOr<std::vector<v1::Membership>> memberships =
        MembershipsOfEstablishment(call_.tx, system_id, rating.establishment_id);
    if (!memberships.ok()) return memberships.status();
    for (v1::Membership& membership : *memberships) {
      absl::StatusOr<bool> suspended = ChangeMembership(call_, membership, [&](Membership& m) {
        return ApplyInspectionGrade(m, InspectionGrade::kInadequate, *item, rating.recorded_at,
                                    actor, rating.id);
      });
      if (!suspended.ok()) return suspended.status();
      if (!*suspended) continue;
      if (absl::Status s = AnnounceSuspended(call_, membership); !s.ok()) return s;
      ++suspensions;
    }
  }
  return suspensions;
}

absl::Status LoadMembershipForLead(Call& call, const std::string& id, v1::Membership& membership) {
  if (absl::Status s = LoadDoc(call.tx, "memberships", "membership", id, true, membership);
      !s.ok()) {
    return s;
  }
  if (call.caller.role == dps::common::v1::ROLE_SERVICE) return absl::OkStatus();
  v1::PurchasingSystem system;
  if (absl::Status s = LoadSystem(call.tx, membership.system_id(), false, system); !s.ok()) {
    return s;
  }
  return RequireLeadOf(call.caller, system);
}

absl::StatusOr<v1::Membership> RecordedAdjustmentStore::LoadMembershipForLead(
    const std::string& id) {
  v1::Membership membership;
  if (absl::Status s = qualification::LoadMembershipForLead(call_, id, membership); !s.ok()) {
    return s;
  }
  return membership;
}

absl::StatusOr<v1::PurchasingSystem> RecordedAdjustmentStore::LoadSystem(const std::string& id) {
  v1::PurchasingSystem system;
  if (absl::Status s = qualification::LoadSystem(call_.tx, id, false, system); !s.ok()) return s;
  return system;
}

absl::Status RecordedAdjustmentStore::ChangeMembership(
    v1::Membership& membership, const std::function<absl::Status(Membership&)>& change) {
  return qualification::ChangeMembership(call_, membership,
                                         [&](Membership& m) -> absl::StatusOr<bool> {
                                           if (absl::Status s = change(m); !s.ok()) return s;
                                           return true;
                                         })
      .status();
}

absl::Status RecordedAdjustmentStore::SaveAndAnnounce(const v1::ScoreAdjustment& adjustment,
                                                      const v1::Membership& membership) {
  if (absl::Status s = InsertScoreAdjustment(call_.tx, adjustment, membership); !s.ok()) return s;
  dps::events::v1::EventEnvelope event;
  auto* adjusted = event.mutable_qualification_score_adjusted();
  adjusted->set_membership_id(membership.id());
  adjusted->set_adjustment_id(adjustment.id());
  adjusted->set_establishment_id(membership.establishment_id());
  adjusted->set_score_before(adjustment.score_before());
  adjusted->set_score_after(adjustment.score_after());
  *adjusted->mutable_effective_at() = adjustment.effective_at();
  adjusted->set_reason(adjustment.reason());
  return Announce(call_, "qualification.membership.score_adjusted", "membership", membership.id(),
                  membership.system_id(), std::move(event));
}

}  // namespace dps::qualification
