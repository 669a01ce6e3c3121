// Safeguarding alerts shared between the authorities of a system: raised by a placing officer,
// commissioner or the lead authority about an establishment, and moved on (severity, status)
// with a note by those who may see it (domain/alert.h). Each change is recorded with its history
// entry and announced, in the caller's transaction.
#ifndef DPS_SERVICES_QUALIFICATION_APP_SAFEGUARDING_ALERTS_H_
#define DPS_SERVICES_QUALIFICATION_APP_SAFEGUARDING_ALERTS_H_

#include "absl/status/statusor.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "services/qualification/app/announce.h"

namespace dps::qualification {

// The alert `request` raises, recorded and announced ("qualification.alert.raised").
absl::StatusOr<v1::SafeguardingAlert> RecordRaisedAlert(
    Call& call, const v1::RaiseSafeguardingAlertRequest& request);

// The alert as `request` changes it (at its expected version), recorded and announced
// ("qualification.alert.updated"). NotFound for a caller who may not see it.
absl::StatusOr<v1::SafeguardingAlert> ApplyAlertUpdate(
    Call& call, const v1::UpdateSafeguardingAlertRequest& request);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_APP_SAFEGUARDING_ALERTS_H_
