// Safeguarding alerts shared between the authorities of a system: raised by a placing officer,
// commissioner or the lead authority about an establishment, and moved on (severity, status)
// with a note by those who may see it (domain/alert.h). Each change is recorded with its history
// entry and announced in one transaction, through the repository, the register's reads and the
// events given to the use cases.
#ifndef DPS_SERVICES_QUALIFICATION_APP_SAFEGUARDING_ALERTS_H_
#define DPS_SERVICES_QUALIFICATION_APP_SAFEGUARDING_ALERTS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/auth/identity.h"
#include "services/qualification/app/announce.h"
#include "services/qualification/domain/alert.h"
#include "services/qualification/storage/alert_repository.h"

namespace dps::qualification {

// What a raise asks for; `severity` unset when the request named none.
struct AlertToRaise {
  std::string system_id;
  std::string establishment_id;
  std::optional<AlertSeverity> severity;
  std::string category;
  std::string summary;
};

// What an update asks for: a new severity, a new status, or both, with a note. `status_not_used`
// for a status the service does not use yet (SUBSTANTIATED, UNSUBSTANTIATED).
struct AlertUpdate {
  std::string alert_id;
  int64_t expected_version = 0;  // 0: whatever version is stored
  std::string note;
  std::optional<AlertSeverity> severity;
  std::optional<AlertStatus> status;
  bool status_not_used = false;
};

class AlertUseCases {
 public:
  AlertUseCases(AlertRepository& alerts, RegisterReads& register_reads, QualificationEvents& events)
      : alerts_(alerts), register_(register_reads), events_(events) {}

  // The alert raised by `caller` at `now`, recorded and announced ("qualification.alert.raised").
  // NotFound for an unknown system or establishment; InvalidArgument naming severity or category
  // when missing; then the domain's RaiseAlert rules.
  absl::StatusOr<StoredAlert> Raise(const AlertToRaise& raise,
                                    const platform::CallerIdentity& caller, absl::Time now);

  // The alert as `update` changes it, recorded and announced ("qualification.alert.updated").
  // NotFound for a caller who may not see it; Aborted at another version; InvalidArgument for a
  // missing note, nothing to change or a status not used yet; then the domain's rules.
  absl::StatusOr<StoredAlert> Update(const AlertUpdate& update,
                                     const platform::CallerIdentity& caller, absl::Time now);

  // The alert, to those who may see it in its system (CanSee) and to the officers of an
  // authority that can place with its establishment through another system
  // (CanSeeThroughMembership); NotFound to anyone else.
  absl::StatusOr<StoredAlert> Read(const std::string& id, const platform::CallerIdentity& caller);

  // The alert a suspension of `establishment_id` in `system_id` is for: one of that system's
  // alerts (another system's is NotFound, as for anyone who may not see it) about that
  // establishment (InvalidArgument naming alert_id otherwise). Whether it may suspend is the
  // domain's SuspendForAlert.
  absl::StatusOr<Alert> ForSuspension(const std::string& alert_id, const std::string& system_id,
                                      const std::string& establishment_id);

  // Whether `caller` may list the alerts of `system_id`, and how far the list reaches. Every alert
  // of a system is visible to everyone who may see any (domain/alert.h), so the check on a blank
  // one of the system decides for the whole list: PermissionDenied otherwise. Without a system,
  // an authority's officers list every alert they may read (those of the systems their authority
  // takes part in, and those about those systems' members); the lead's staff act for one system
  // at a time (InvalidArgument "system_id: required").
  struct ListScope {
    bool through_memberships = false;  // the alerts of other systems about the members too
  };
  absl::StatusOr<ListScope> ScopeOfList(const std::string& system_id,
                                        const platform::CallerIdentity& caller);

 private:
  AlertRepository& alerts_;
  RegisterReads& register_;
  QualificationEvents& events_;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_APP_SAFEGUARDING_ALERTS_H_
