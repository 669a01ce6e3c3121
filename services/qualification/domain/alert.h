// Safeguarding alerts against an establishment, shared between the councils of a purchasing
// system (docs/rules.md section 8; West London Alliance seed: "one LA's safeguarding alert visible
// to all LAs on the system").
//
// An alert has a severity (LOW, MEDIUM, HIGH, SERIOUS), a status (OPEN, UNDER_REVIEW, CLOSED) and a
// history of every change. Any participating authority raises one; CanSee() decides who may read
// it; a SERIOUS alert that is not closed may lead the lead authority to suspend the establishment
// (SuspendForAlert).
//
// Visibility (a decision, see README.md): every participating authority's placing officers and
// commissioners, and the lead authority's admins and auditors of that system, see every alert of
// the system. Evaluators do not (they score method statements, not conduct). The provider
// concerned does not see alerts through this service: an alert may record a concern still under
// investigation (LADO, police), and disclosure to the provider is a decision made by people under
// the local safeguarding procedures. What a provider does see is a suspension of its membership,
// with the items to resubmit.

#ifndef DPS_SERVICES_QUALIFICATION_DOMAIN_ALERT_H_
#define DPS_SERVICES_QUALIFICATION_DOMAIN_ALERT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/qualification/domain/membership.h"
#include "services/qualification/domain/purchasing_system.h"

namespace dps::qualification {

enum class AlertSeverity { kLow, kMedium, kHigh, kSerious };
enum class AlertStatus { kOpen, kUnderReview, kClosed };

absl::string_view AlertSeverityName(AlertSeverity severity);
absl::string_view AlertStatusName(AlertStatus status);

// The roles of docs/rules.md section 2.
enum class Role {
  kLeadAdmin,
  kEvaluator,
  kPlacingOfficer,
  kCommissioner,
  kProviderUser,
  kAuditor,
};

// Who is asking. `organisation_id` is the caller's authority or provider; `system_id` scopes the
// roles that belong to one purchasing system (lead admin, evaluator, auditor).
struct Caller {
  Role role = Role::kPlacingOfficer;
  std::string organisation_id;
  std::string system_id;
  std::string user_id;
};

struct AlertChange {
  absl::Time at;
  std::string user_id;
  std::string organisation_id;
  std::string
      role;  // the role the change was made in, a dps.common.v1.Role name; set by the caller
  std::string from;  // Status or severity name; empty when raised.
  std::string to;
  std::string reason;
};

struct Alert {
  std::string id;
  std::string system_id;
  std::string establishment_id;
  std::string provider_id;
  std::string raised_by_authority;
  AlertSeverity severity = AlertSeverity::kLow;
  AlertStatus status = AlertStatus::kOpen;
  std::string category;  // e.g. "missing from care", "allegation against staff"
  std::string summary;
  absl::Time raised_at;
  std::vector<AlertChange> history;
};

// The longest alert summary: what happened, in a line or two of a list; the detail stays with
// the authority that raised it.
inline constexpr size_t kMaxAlertSummaryLength = 1000;

struct NewAlert {
  std::string id;
  std::string establishment_id;
  std::string provider_id;
  AlertSeverity severity = AlertSeverity::kLow;
  std::string category;
  std::string summary;
};

// An OPEN alert raised by `caller`: a placing officer or commissioner of a participating
// authority, or a lead admin of the system. PermissionDenied for anyone else; InvalidArgument for
// an empty id, establishment, provider or summary, a summary over kMaxAlertSummaryLength or one
// that identifies a child (platform/text/child_identity.h).
absl::StatusOr<Alert> RaiseAlert(const PurchasingSystem& system, const Caller& caller,
                                 NewAlert alert, absl::Time at);

// Whether `caller` may read `alert` (see the header comment).
bool CanSee(const PurchasingSystem& system, const Alert& alert, const Caller& caller);

// Whether `caller` may read an alert of another system about an establishment that holds a
// membership (in any state) of `member_system`: yes for the placing officers and commissioners of
// an authority taking part in `member_system`. An alert about an establishment reaches every
// council that can place with it, whichever of its systems raised the alert (West London runs
// fostering, residential and SEN systems for the same councils); a suspended or excluded member
// may still have children placed with it. Lead admins, auditors, evaluators and providers keep
// the scope CanSee gives them.
bool CanSeeThroughMembership(const PurchasingSystem& member_system, const Caller& caller);

// Whether `caller` may change `alert`: the raising authority's officers and commissioners, and the
// system's lead admins.
bool CanChange(const PurchasingSystem& system, const Alert& alert, const Caller& caller);

// OPEN -> UNDER_REVIEW, OPEN or UNDER_REVIEW -> CLOSED, CLOSED -> OPEN (reopened on new
// information). Every change needs a reason. FailedPrecondition for any other move;
// PermissionDenied unless CanChange().
absl::Status ChangeAlertStatus(Alert& alert, const PurchasingSystem& system, const Caller& caller,
                               AlertStatus to, std::string reason, absl::Time at);

// Escalates or de-escalates an alert that is not CLOSED, with a reason.
absl::Status ChangeAlertSeverity(Alert& alert, const PurchasingSystem& system, const Caller& caller,
                                 AlertSeverity to, std::string reason, absl::Time at);

// The item a suspension for `alert` names; reinstatement needs it resubmitted (the lead
// authority's review concluded and passed).
std::string AlertItem(const Alert& alert);

// Suspends the membership of the alert's establishment for a SERIOUS alert that is not CLOSED.
// FailedPrecondition for any other alert; InvalidArgument when the membership is for another
// establishment.
absl::Status SuspendForAlert(Membership& membership, const Alert& alert, absl::Time at,
                             absl::string_view actor);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_DOMAIN_ALERT_H_
