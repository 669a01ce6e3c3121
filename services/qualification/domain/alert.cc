#include "services/qualification/domain/alert.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "platform/text/child_identity.h"
#include "services/qualification/domain/errors.h"

namespace dps::qualification {
namespace {

constexpr absl::string_view kEntity = "alert";

bool IsAuthorityOfficer(Role role) {
  return role == Role::kPlacingOfficer || role == Role::kCommissioner;
}

// A lead admin, auditor or evaluator acts for one system only.
bool ActsForSystem(const PurchasingSystem& system, const Caller& caller) {
  return caller.system_id == system.id && caller.organisation_id == system.lead_authority;
}

absl::Status Denied(const Caller& caller, absl::string_view action) {
  return absl::PermissionDeniedError(
      absl::StrCat("alert: ", caller.organisation_id, " may not ", action));
}

void Record(Alert& alert, const Caller& caller, absl::Time at, std::string from, std::string to,
            std::string reason) {
  alert.history.push_back(AlertChange{.at = at,
                                      .user_id = caller.user_id,
                                      .organisation_id = caller.organisation_id,
                                      .from = std::move(from),
                                      .to = std::move(to),
                                      .reason = std::move(reason)});
}

bool IsAllowedMove(AlertStatus from, AlertStatus to) {
  switch (from) {
    case AlertStatus::kOpen:
      return to == AlertStatus::kUnderReview || to == AlertStatus::kClosed;
    case AlertStatus::kUnderReview:
      return to == AlertStatus::kClosed;
    case AlertStatus::kClosed:
      return to == AlertStatus::kOpen;
  }
  return false;
}

}  // namespace

absl::string_view AlertSeverityName(AlertSeverity severity) {
  switch (severity) {
    case AlertSeverity::kLow:
      return "LOW";
    case AlertSeverity::kMedium:
      return "MEDIUM";
    case AlertSeverity::kHigh:
      return "HIGH";
    case AlertSeverity::kSerious:
      return "SERIOUS";
  }
  return "UNKNOWN";
}

absl::string_view AlertStatusName(AlertStatus status) {
  switch (status) {
    case AlertStatus::kOpen:
      return "OPEN";
    case AlertStatus::kUnderReview:
      return "UNDER_REVIEW";
    case AlertStatus::kClosed:
      return "CLOSED";
  }
  return "UNKNOWN";
}

absl::StatusOr<Alert> RaiseAlert(const PurchasingSystem& system, const Caller& caller,
                                 NewAlert alert, absl::Time at) {
  const bool may_raise = (IsAuthorityOfficer(caller.role) &&
                          IsParticipatingAuthority(system, caller.organisation_id)) ||
                         (caller.role == Role::kLeadAdmin && ActsForSystem(system, caller));
  if (!may_raise) return Denied(caller, "raise an alert in this system");
  if (alert.id.empty()) return InvalidField("id", "must not be empty");
  if (alert.establishment_id.empty()) return InvalidField("establishment_id", "must not be empty");
  if (alert.provider_id.empty()) return InvalidField("provider_id", "must not be empty");
  if (alert.summary.empty()) return InvalidField("summary", "must not be empty");
  // Every authority of the system reads the summary, so it says what happened without naming
  // the child concerned, at a length a list can show.
  if (alert.summary.size() > kMaxAlertSummaryLength) {
    return InvalidField("summary", absl::StrCat("must be at most ", kMaxAlertSummaryLength,
                                                " characters, got ", alert.summary.size()));
  }
  if (absl::Status s = platform::RejectChildIdentifiers("summary", alert.summary); !s.ok()) {
    return s;
  }
  Alert out;
  out.id = std::move(alert.id);
  out.system_id = system.id;
  out.establishment_id = std::move(alert.establishment_id);
  out.provider_id = std::move(alert.provider_id);
  out.raised_by_authority = caller.organisation_id;
  out.severity = alert.severity;
  out.status = AlertStatus::kOpen;
  out.category = std::move(alert.category);
  out.summary = std::move(alert.summary);
  out.raised_at = at;
  Record(out, caller, at, "", std::string(AlertStatusName(AlertStatus::kOpen)),
         absl::StrCat("raised, ", AlertSeverityName(out.severity)));
  return out;
}

bool CanSee(const PurchasingSystem& system, const Alert& alert, const Caller& caller) {
  if (alert.system_id != system.id) return false;
  switch (caller.role) {
    case Role::kPlacingOfficer:
    case Role::kCommissioner:
      return IsParticipatingAuthority(system, caller.organisation_id);
    case Role::kLeadAdmin:
    case Role::kAuditor:
      return ActsForSystem(system, caller);
    case Role::kEvaluator:
    case Role::kProviderUser:
      return false;
  }
  return false;
}

bool CanSeeThroughMembership(const PurchasingSystem& member_system, const Caller& caller) {
  return IsAuthorityOfficer(caller.role) &&
         IsParticipatingAuthority(member_system, caller.organisation_id);
}

bool CanChange(const PurchasingSystem& system, const Alert& alert, const Caller& caller) {
  if (alert.system_id != system.id) return false;
  if (caller.role == Role::kLeadAdmin) return ActsForSystem(system, caller);
  return IsAuthorityOfficer(caller.role) && caller.organisation_id == alert.raised_by_authority;
}

absl::Status ChangeAlertStatus(Alert& alert, const PurchasingSystem& system, const Caller& caller,
                               AlertStatus to, std::string reason, absl::Time at) {
  if (!CanChange(system, alert, caller)) return Denied(caller, "change this alert");
  if (!IsAllowedMove(alert.status, to)) {
    return Forbidden(kEntity, absl::StrCat("cannot move from ", AlertStatusName(alert.status),
                                           " to ", AlertStatusName(to)));
  }
  if (reason.empty()) return InvalidField("reason", "a status change needs a reason");
  Record(alert, caller, at, std::string(AlertStatusName(alert.status)),
         std::string(AlertStatusName(to)), std::move(reason));
  alert.status = to;
  return absl::OkStatus();
}

absl::Status ChangeAlertSeverity(Alert& alert, const PurchasingSystem& system, const Caller& caller,
                                 AlertSeverity to, std::string reason, absl::Time at) {
  if (!CanChange(system, alert, caller)) return Denied(caller, "change this alert");
  if (alert.status == AlertStatus::kClosed) {
    return Forbidden(kEntity, "cannot change the severity of a CLOSED alert: reopen it first");
  }
  if (alert.severity == to) {
    return Forbidden(kEntity, absl::StrCat("the severity is already ", AlertSeverityName(to)));
  }
  if (reason.empty()) return InvalidField("reason", "a severity change needs a reason");
  Record(alert, caller, at, std::string(AlertSeverityName(alert.severity)),
         std::string(AlertSeverityName(to)), std::move(reason));
  alert.severity = to;
  return absl::OkStatus();
}

std::string AlertItem(const Alert& alert) { return absl::StrCat("safeguarding-alert:", alert.id); }

absl::Status SuspendForAlert(Membership& membership, const Alert& alert, absl::Time at,
                             absl::string_view actor) {
  if (alert.severity != AlertSeverity::kSerious) {
    return Forbidden(kEntity, absl::StrCat("only a SERIOUS alert suspends, this one is ",
                                           AlertSeverityName(alert.severity)));
  }
  if (alert.status == AlertStatus::kClosed) {
    return Forbidden(kEntity, "a CLOSED alert suspends no one");
  }
  if (membership.establishment_id != alert.establishment_id) {
    return InvalidField("membership.establishment_id",
                        absl::StrCat("alert is against \"", alert.establishment_id, "\", not \"",
                                     membership.establishment_id, "\""));
  }
  return Suspend(membership, SuspensionCause::kSafeguardingAlert, {AlertItem(alert)},
                 absl::StrCat("serious safeguarding alert ", alert.id, ": ", alert.summary), at,
                 actor, alert.id);
}

}  // namespace dps::qualification
