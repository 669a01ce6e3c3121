#include "services/qualification/app/memberships.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/qualification/app/access.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/errors.h"

namespace dps::qualification {
namespace {

absl::Status AnnounceMembership(QualificationEvents& events, absl::string_view type,
                                const Membership& membership,
                                dps::events::v1::EventEnvelope envelope) {
  return events.Announce(type, "membership", membership.id, membership.system_id,
                         std::move(envelope));
}

}  // namespace

absl::Status AnnounceSuspended(QualificationEvents& events, const Membership& membership) {
  dps::events::v1::EventEnvelope envelope;
  auto& suspended = *envelope.mutable_membership_suspended();
  NameMembership(membership, suspended);
  if (!membership.failed_items.empty()) {
    const FailedItem& latest = membership.failed_items.back();
    suspended.set_reason(ToApi(latest.cause));
    suspended.set_detail(latest.reason);
  }
  for (const FailedItem& item : membership.failed_items) {
    suspended.add_failed_criterion_ids(item.item);
  }
  return AnnounceMembership(events, "qualification.membership.suspended", membership,
                            std::move(envelope));
}

absl::Status AnnounceReinstated(QualificationEvents& events, const Membership& membership,
                                const std::string& reason) {
  dps::events::v1::EventEnvelope envelope;
  auto& reinstated = *envelope.mutable_membership_reinstated();
  NameMembership(membership, reinstated);
  reinstated.set_reason(reason);
  return AnnounceMembership(events, "qualification.membership.reinstated", membership,
                            std::move(envelope));
}

absl::Status AnnounceExcluded(QualificationEvents& events, const Membership& membership,
                              const std::string& reason) {
  dps::events::v1::EventEnvelope envelope;
  auto& excluded = *envelope.mutable_membership_excluded();
  NameMembership(membership, excluded);
  excluded.set_reason(reason);
  return AnnounceMembership(events, "qualification.membership.excluded", membership,
                            std::move(envelope));
}

absl::Status AnnouncePricesChanged(QualificationEvents& events, const Membership& membership,
                                   const std::string& application_id,
                                   int64_t ceiling_fee_before_pence, absl::Time at) {
  dps::events::v1::EventEnvelope envelope;
  auto& changed = *envelope.mutable_membership_prices_changed();
  NameMembership(membership, changed);
  changed.set_application_id(application_id);
  changed.mutable_ceiling_fee_before()->set_pence(ceiling_fee_before_pence);
  changed.mutable_ceiling_fee_after()->set_pence(membership.prices.weekly_fee_pence);
  *changed.mutable_effective_at() = ToTimestamp(at);
  return AnnounceMembership(events, "qualification.membership.prices_changed", membership,
                            std::move(envelope));
}

absl::Status RestOnCited(MembershipRepository& memberships, const ApplicationOutcome& application,
                         const std::string& membership_id, const std::string& establishment_id,
                         const std::vector<std::string>& criteria) {
  for (const std::string& criterion : criteria) {
    std::vector<std::string> evidence;
    for (const ApplicationOutcome::Cited& cited : application.cited) {
      if (cited.criterion_id == criterion &&
          (cited.establishment_id.empty() || cited.establishment_id == establishment_id)) {
        evidence.insert(evidence.end(), cited.evidence_ids.begin(), cited.evidence_ids.end());
      }
    }
    if (absl::Status s = memberships.RestOn(membership_id, criterion, evidence); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<Membership> MembershipUseCases::Read(const std::string& id,
                                                    const platform::CallerIdentity& caller) {
  absl::StatusOr<Membership> membership = memberships_.Load(id);
  if (!membership.ok()) return membership.status();
  if (caller.role == dps::common::v1::ROLE_PROVIDER_USER) {
    if (membership->provider_id != caller.organisation_id) {
      return absl::NotFoundError(absl::StrCat("membership ", id, ": not found"));
    }
    return membership;
  }
  absl::StatusOr<PurchasingSystem> system = register_.System(membership->system_id);
  if (!system.ok()) return system.status();
  if (absl::Status s = RequireAuthorityOf(caller, *system); !s.ok()) return s;
  return membership;
}

absl::Status MembershipUseCases::MayChangeMembershipsOf(const std::string& system_id,
                                                        const platform::CallerIdentity& caller) {
  absl::StatusOr<PurchasingSystem> system = register_.System(system_id);
  if (!system.ok()) return system.status();
  if (caller.role == dps::common::v1::ROLE_SERVICE) return absl::OkStatus();
  return RequireLeadOf(caller, *system);
}

absl::StatusOr<Membership> MembershipUseCases::LoadForLead(const std::string& id,
                                                           const platform::CallerIdentity& caller) {
  absl::StatusOr<Membership> membership = memberships_.LoadForUpdate(id);
  if (!membership.ok()) return membership.status();
  if (absl::Status s = MayChangeMembershipsOf(membership->system_id, caller); !s.ok()) return s;
  return membership;
}

absl::StatusOr<std::vector<Membership>> MembershipUseCases::Suspend(
    const EstablishmentSuspension& suspension, const platform::CallerIdentity& caller,
    absl::Time now) {
  if (absl::Status s = MayChangeMembershipsOf(suspension.system_id, caller); !s.ok()) return s;
  absl::StatusOr<std::vector<Membership>> memberships =
      memberships_.OfEstablishmentInSystem(suspension.system_id, suspension.establishment_id);
  if (!memberships.ok()) return memberships.status();
  for (size_t i = 0; i < suspension.lot_ids.size(); ++i) {
    if (std::none_of(memberships->begin(), memberships->end(),
                     [&](const Membership& m) { return m.lot_code == suspension.lot_ids[i]; })) {
      return InvalidField(absl::StrCat("lot_ids[", i, "]"),
                          "the establishment has no membership of this lot");
    }
  }
  std::vector<Membership> suspended;
  for (Membership& membership : *memberships) {
    const bool named = suspension.lot_ids.empty() ||
                       std::find(suspension.lot_ids.begin(), suspension.lot_ids.end(),
                                 membership.lot_code) != suspension.lot_ids.end();
    if (!named || membership.state == MembershipState::kExcluded) continue;
    if (absl::Status s =
            suspension.alert.has_value()
                ? SuspendForAlert(membership, *suspension.alert, now, caller.user_id)
                : qualification::Suspend(membership, suspension.cause, suspension.items,
                                         suspension.detail, now, caller.user_id);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = memberships_.Save(membership); !s.ok()) return s;
    if (absl::Status s = AnnounceSuspended(events_, membership); !s.ok()) return s;
    suspended.push_back(std::move(membership));
  }
  if (suspended.empty()) {
    return Forbidden("establishment", "has no membership in the system that can be suspended");
  }
  return suspended;
}

absl::StatusOr<Membership> MembershipUseCases::Reinstate(const std::string& membership_id,
                                                         const std::string& reason,
                                                         const std::string& application_id,
                                                         const platform::CallerIdentity& caller,
                                                         absl::Time now) {
  if (reason.empty()) return InvalidField("reason", "required");
  absl::StatusOr<Membership> membership = LoadForLead(membership_id, caller);
  if (!membership.ok()) return membership.status();
  absl::StatusOr<Lot> lot = register_.Lot(membership->lot_code);
  if (!lot.ok()) return lot.status();
  std::vector<PassedItem> passed;
  // Reinstatement needs a pass for every failed item, so once reinstated the membership rests
  // on the application's answers to all of them.
  std::vector<std::string> resubmitted;
  std::optional<ApplicationOutcome> application;
  if (!application_id.empty()) {
    absl::StatusOr<ApplicationOutcome> read = register_.Application(application_id);
    if (!read.ok()) return read.status();
    application = *std::move(read);
    if (!application->decided || application->system_id != membership->system_id) {
      return InvalidField("application_id",
                          "must be a decided application of the membership's system");
    }
    for (const ApplicationOutcome::Passed& p : application->passed) {
      if (p.establishment_id == membership->establishment_id) {
        passed.push_back({.item = p.criterion_id, .passed_at = application->decided_at});
      }
    }
    for (const FailedItem& item : membership->failed_items) resubmitted.push_back(item.item);
  }
  // What the lead lifts itself: its own concerns, and criteria the lot no longer asks.
  for (std::string& item : ItemsTheLeadLifts(*membership, *lot)) {
    passed.push_back({.item = std::move(item), .passed_at = now});
  }
  if (absl::Status s = qualification::Reinstate(*membership, passed, now, caller.user_id);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = memberships_.Save(*membership); !s.ok()) return s;
  // The expiry timer now watches the evidence of those answers, not what they replace.
  if (application.has_value()) {
    if (absl::Status s = RestOnCited(memberships_, *application, membership->id,
                                     membership->establishment_id, resubmitted);
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = AnnounceReinstated(events_, *membership, reason); !s.ok()) return s;
  return membership;
}

absl::StatusOr<Membership> MembershipUseCases::Exclude(const std::string& membership_id,
                                                       const std::string& reason,
                                                       const platform::CallerIdentity& caller,
                                                       absl::Time now) {
  absl::StatusOr<Membership> membership = LoadForLead(membership_id, caller);
  if (!membership.ok()) return membership.status();
  if (absl::Status s = qualification::Exclude(*membership, reason, now, caller.user_id); !s.ok()) {
    return s;
  }
  if (absl::Status s = memberships_.Save(*membership); !s.ok()) return s;
  if (absl::Status s = AnnounceExcluded(events_, *membership, reason); !s.ok()) return s;
  return membership;
}

}  // namespace dps::qualification
