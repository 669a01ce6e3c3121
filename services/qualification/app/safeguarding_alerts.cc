#include "services/qualification/app/safeguarding_alerts.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "platform/pg/documents.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/errors.h"

namespace dps::qualification {
namespace {

absl::Status NotFound(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("alert ", id, ": not found"));
}

// The history entries from `first` on were written by `caller`, in the role it acts in.
void SignHistory(Alert& alert, size_t first, const platform::CallerIdentity& caller) {
  for (size_t i = first; i < alert.history.size(); ++i) {
    alert.history[i].role = dps::common::v1::Role_Name(caller.role);
  }
}

}  // namespace

absl::StatusOr<StoredAlert> AlertUseCases::Raise(const AlertToRaise& raise,
                                                 const platform::CallerIdentity& caller,
                                                 absl::Time now) {
  absl::StatusOr<PurchasingSystem> system = register_.System(raise.system_id);
  if (!system.ok()) return system.status();
  absl::StatusOr<EstablishmentRef> establishment = register_.Establishment(raise.establishment_id);
  if (!establishment.ok()) return establishment.status();
  if (!raise.severity) return InvalidField("severity", "required");
  if (raise.category.empty()) return InvalidField("category", "required");
  absl::StatusOr<Alert> raised = RaiseAlert(*system, ToDomainCaller(caller, *system),
                                            {.id = platform::NewId("alert"),
                                             .establishment_id = establishment->id,
                                             .provider_id = establishment->provider_id,
                                             .severity = *raise.severity,
                                             .category = raise.category,
                                             .summary = raise.summary},
                                            now);
  if (!raised.ok()) return raised.status();
  SignHistory(*raised, 0, caller);
  if (absl::Status s = alerts_.Insert(*raised); !s.ok()) return s;
  dps::events::v1::EventEnvelope event;
  auto* announced = event.mutable_safeguarding_alert_raised();
  announced->set_alert_id(raised->id);
  announced->set_establishment_id(raised->establishment_id);
  announced->set_provider_id(raised->provider_id);
  announced->set_raised_by_authority_id(raised->raised_by_authority);
  announced->set_severity(ToApi(raised->severity));
  announced->set_status(ToApi(raised->status));
  announced->set_category(raised->category);
  if (absl::Status s = events_.Announce("qualification.alert.raised", "alert", raised->id,
                                        system->id, std::move(event));
      !s.ok()) {
    return s;
  }
  return StoredAlert{.alert = *std::move(raised), .version = 1};
}

absl::StatusOr<StoredAlert> AlertUseCases::Update(const AlertUpdate& update,
                                                  const platform::CallerIdentity& caller,
                                                  absl::Time now) {
  absl::StatusOr<StoredAlert> stored = alerts_.Load(update.alert_id, /*for_update=*/true);
  if (!stored.ok()) return stored.status();
  Alert& alert = stored->alert;
  absl::StatusOr<PurchasingSystem> system = register_.System(alert.system_id);
  if (!system.ok()) return system.status();
  const Caller as = ToDomainCaller(caller, *system);
  if (!CanSee(*system, alert, as)) return NotFound(alert.id);
  if (absl::Status s = platform::CheckVersion("alert", update.expected_version, stored->version);
      !s.ok()) {
    return s;
  }
  if (update.note.empty()) return InvalidField("note", "required: why it changed");
  if (!update.severity && !update.status && !update.status_not_used) {
    return InvalidField("severity", "give a new severity, a new status, or both");
  }
  const AlertSeverity previous_severity = alert.severity;
  const AlertStatus previous_status = alert.status;
  const size_t first_new = alert.history.size();
  if (update.severity) {
    if (absl::Status s =
            ChangeAlertSeverity(alert, *system, as, *update.severity, update.note, now);
        !s.ok()) {
      return s;
    }
  }
  if (update.status_not_used) {
    return InvalidField("status",
                        "SUBSTANTIATED and UNSUBSTANTIATED are not used yet: close the alert "
                        "and say which in the note");
  }
  if (update.status) {
    if (absl::Status s = ChangeAlertStatus(alert, *system, as, *update.status, update.note, now);
        !s.ok()) {
      return s;
    }
  }
  SignHistory(alert, first_new, caller);
  absl::StatusOr<int64_t> saved = alerts_.Save(alert, stored->version);
  if (!saved.ok()) return saved.status();
  stored->version = *saved;
  dps::events::v1::EventEnvelope event;
  auto* updated = event.mutable_safeguarding_alert_updated();
  updated->set_alert_id(alert.id);
  updated->set_establishment_id(alert.establishment_id);
  updated->set_previous_severity(ToApi(previous_severity));
  updated->set_severity(ToApi(alert.severity));
  updated->set_previous_status(ToApi(previous_status));
  updated->set_status(ToApi(alert.status));
  if (absl::Status s = events_.Announce("qualification.alert.updated", "alert", alert.id,
                                        system->id, std::move(event));
      !s.ok()) {
    return s;
  }
  return stored;
}

absl::StatusOr<StoredAlert> AlertUseCases::Read(const std::string& id,
                                                const platform::CallerIdentity& caller) {
  absl::StatusOr<StoredAlert> stored = alerts_.Load(id, /*for_update=*/false);
  if (!stored.ok()) return stored.status();
  absl::StatusOr<PurchasingSystem> system = register_.System(stored->alert.system_id);
  if (!system.ok()) return system.status();
  if (CanSee(*system, stored->alert, ToDomainCaller(caller, *system))) return stored;
  // An authority that can place with the establishment through another system sees the alert
  // too (domain/alert.h, CanSeeThroughMembership).
  absl::StatusOr<std::vector<PurchasingSystem>> member_of =
      register_.SystemsWithMember(stored->alert.establishment_id);
  if (!member_of.ok()) return member_of.status();
  for (const PurchasingSystem& other : *member_of) {
    if (CanSeeThroughMembership(other, ToDomainCaller(caller, other))) return stored;
  }
  return NotFound(id);
}

absl::StatusOr<Alert> AlertUseCases::ForSuspension(const std::string& alert_id,
                                                   const std::string& system_id,
                                                   const std::string& establishment_id) {
  absl::StatusOr<StoredAlert> stored = alerts_.Load(alert_id, /*for_update=*/false);
  if (!stored.ok()) return stored.status();
  if (stored->alert.system_id != system_id) return NotFound(alert_id);
  if (stored->alert.establishment_id != establishment_id) {
    return InvalidField("alert_id",
                        absl::StrCat("is about establishment ", stored->alert.establishment_id,
                                     ", not ", establishment_id));
  }
  return stored->alert;
}

absl::StatusOr<AlertUseCases::ListScope> AlertUseCases::ScopeOfList(
    const std::string& system_id, const platform::CallerIdentity& caller) {
  const bool officer = caller.role == dps::common::v1::ROLE_PLACING_OFFICER ||
                       caller.role == dps::common::v1::ROLE_COMMISSIONER;
  if (system_id.empty()) {
    if (!officer) return InvalidField("system_id", "required");
    return ListScope{.through_memberships = true};
  }
  absl::StatusOr<PurchasingSystem> system = register_.System(system_id);
  if (!system.ok()) return system.status();
  Alert probe;
  probe.system_id = system->id;
  if (!CanSee(*system, probe, ToDomainCaller(caller, *system))) {
    return absl::PermissionDeniedError(absl::StrCat(
        "organisation ", caller.organisation_id, " may not see the alerts of system ", system->id));
  }
  return ListScope{.through_memberships = officer};
}

}  // namespace dps::qualification
