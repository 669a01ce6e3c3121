#include "services/qualification/app/safeguarding_alerts.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "platform/auth/identity.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/alert.h"
#include "services/qualification/domain/errors.h"
#include "services/qualification/storage/records.h"

namespace dps::qualification {
namespace {

void AppendHistory(const Alert& domain, const Call& call, v1::SafeguardingAlert& alert) {
  for (const AlertChange& change : domain.history) {
    dps::common::v1::HistoryEntry* entry = alert.add_history();
    *entry->mutable_at() = ToTimestamp(change.at);
    *entry->mutable_actor() = platform::ActorOf(call.caller);
    entry->set_from_state(change.from);
    entry->set_to_state(change.to);
    entry->set_reason(change.reason);
  }
}

}  // namespace

absl::StatusOr<v1::SafeguardingAlert> RecordRaisedAlert(
    Call& call, const v1::RaiseSafeguardingAlertRequest& request) {
  v1::PurchasingSystem system;
  if (absl::Status s = LoadSystem(call.tx, request.system_id(), false, system); !s.ok()) {
    return s;
  }
  v1::Establishment establishment;
  if (absl::Status s = LoadDoc(call.tx, "establishments", "establishment",
                               request.establishment_id(), false, establishment);
      !s.ok()) {
    return s;
  }
  if (request.severity() == v1::ALERT_SEVERITY_UNSPECIFIED) {
    return InvalidField("severity", "required");
  }
  if (request.category().empty()) return InvalidField("category", "required");
  absl::StatusOr<PurchasingSystem> domain_system = ToDomainSystem(system, {}, {});
  if (!domain_system.ok()) return domain_system.status();
  const std::string id = NewId("alert");
  absl::StatusOr<Alert> raised = RaiseAlert(*domain_system, ToDomainCaller(call.caller, system),
                                            {.id = id,
                                             .establishment_id = establishment.id(),
                                             .provider_id = establishment.provider_id(),
                                             .severity = ToDomain(request.severity()),
                                             .summary = request.summary()},
                                            call.now);
  if (!raised.ok()) return raised.status();
  v1::SafeguardingAlert alert;
  alert.set_id(id);
  alert.set_system_id(system.id());
  alert.set_establishment_id(establishment.id());
  alert.set_provider_id(establishment.provider_id());
  alert.set_raised_by_authority_id(call.caller.organisation_id);
  alert.set_severity(request.severity());
  alert.set_status(v1::ALERT_STATUS_OPEN);
  alert.set_category(request.category());
  alert.set_summary(request.summary());
  *alert.mutable_raised_at() = ToTimestamp(call.now);
  alert.set_version(1);
  AppendHistory(*raised, call, alert);
  if (absl::Status s = InsertAlert(call.tx, alert); !s.ok()) return s;
  dps::events::v1::EventEnvelope event;
  auto* announced = event.mutable_safeguarding_alert_raised();
  announced->set_alert_id(alert.id());
  announced->set_establishment_id(alert.establishment_id());
  announced->set_provider_id(alert.provider_id());
  announced->set_raised_by_authority_id(alert.raised_by_authority_id());
  announced->set_severity(alert.severity());
  announced->set_status(alert.status());
  announced->set_category(alert.category());
  if (absl::Status s = Announce(call, "qualification.alert.raised", "alert", alert.id(),
                                system.id(), std::move(event));
      !s.ok()) {
    return s;
  }
  return alert;
}

absl::StatusOr<v1::SafeguardingAlert> ApplyAlertUpdate(
    Call& call, const v1::UpdateSafeguardingAlertRequest& request) {
  v1::SafeguardingAlert alert;
  if (absl::Status s =
          LoadDoc(call.tx, "safeguarding_alerts", "alert", request.alert_id(), true, alert);
      !s.ok()) {
    return s;
  }
  v1::PurchasingSystem system;
  if (absl::Status s = LoadSystem(call.tx, alert.system_id(), false, system); !s.ok()) {
    return s;
  }
  absl::StatusOr<PurchasingSystem> domain_system = ToDomainSystem(system, {}, {});
  if (!domain_system.ok()) return domain_system.status();
  const Caller caller = ToDomainCaller(call.caller, system);
  Alert domain = ToDomainAlert(alert);
  if (!CanSee(*domain_system, domain, caller)) {
    return absl::NotFoundError(absl::StrCat("alert ", alert.id(), ": not found"));
  }
  if (absl::Status s = CheckVersion("alert", request.expected_version(), alert.version());
      !s.ok()) {
    return s;
  }
  if (request.note().empty()) return InvalidField("note", "required: why it changed");
  if (request.severity() == v1::ALERT_SEVERITY_UNSPECIFIED &&
      request.status() == v1::ALERT_STATUS_UNSPECIFIED) {
    return InvalidField("severity", "give a new severity, a new status, or both");
  }
  const v1::AlertSeverity previous_severity = alert.severity();
  const v1::AlertStatus previous_status = alert.status();
  if (request.severity() != v1::ALERT_SEVERITY_UNSPECIFIED) {
    if (absl::Status s = ChangeAlertSeverity(
            domain, *domain_system, caller, ToDomain(request.severity()), request.note(), call.now);
        !s.ok()) {
      return s;
    }
    alert.set_severity(request.severity());
  }
  if (request.status() != v1::ALERT_STATUS_UNSPECIFIED) {
    AlertStatus to;
    switch (request.status()) {
      case v1::ALERT_STATUS_OPEN:
        to = AlertStatus::kOpen;
        break;
      case v1::ALERT_STATUS_UNDER_INVESTIGATION:
        to = AlertStatus::kUnderReview;
        break;
      case v1::ALERT_STATUS_CLOSED:
        to = AlertStatus::kClosed;
        break;
      default:
        return InvalidField("status",
                            "SUBSTANTIATED and UNSUBSTANTIATED are not used yet: close the "
                            "alert and say which in the note");
    }
    if (absl::Status s =
            ChangeAlertStatus(domain, *domain_system, caller, to, request.note(), call.now);
        !s.ok()) {
      return s;
    }
    alert.set_status(ToApi(domain.status));
  }
  AppendHistory(domain, call, alert);
  if (absl::Status s = SaveAlert(call.tx, alert); !s.ok()) return s;
  dps::events::v1::EventEnvelope event;
  auto* updated = event.mutable_safeguarding_alert_updated();
  updated->set_alert_id(alert.id());
  updated->set_establishment_id(alert.establishment_id());
  updated->set_previous_severity(previous_severity);
  updated->set_severity(alert.severity());
  updated->set_previous_status(previous_status);
  updated->set_status(alert.status());
  if (absl::Status s = Announce(call, "qualification.alert.updated", "alert", alert.id(),
                                system.id(), std::move(event));
      !s.ok())
    return s;
  return alert;
}

}  // namespace dps::qualification
