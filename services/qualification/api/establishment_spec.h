// An establishment's editable part (EstablishmentSpec): its check and how it is written into the
// record, shared by CreateEstablishment and UpdateEstablishment.
#ifndef DPS_SERVICES_QUALIFICATION_API_ESTABLISHMENT_SPEC_H_
#define DPS_SERVICES_QUALIFICATION_API_ESTABLISHMENT_SPEC_H_

#include "absl/status/status.h"
#include "dps/qualification/v1/qualification.pb.h"

namespace dps::qualification {

// InvalidArgument naming the field ("spec.location.latitude: must be -90 to 90, got 91").
absl::Status ValidateEstablishment(const dps::qualification::v1::EstablishmentSpec& spec);

// Replaces the record's editable fields with the spec's; id, provider and version are kept.
void ApplyEstablishmentSpec(const dps::qualification::v1::EstablishmentSpec& spec,
                            dps::qualification::v1::Establishment& establishment);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_API_ESTABLISHMENT_SPEC_H_
