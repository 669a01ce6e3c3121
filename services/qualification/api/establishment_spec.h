// An establishment's editable part (EstablishmentSpec): how it is written into the record, shared
// by CreateEstablishment and UpdateEstablishment (the rules it is checked by first are the
// domain's CheckEstablishment, domain/establishment.h).
#ifndef DPS_SERVICES_QUALIFICATION_API_ESTABLISHMENT_SPEC_H_
#define DPS_SERVICES_QUALIFICATION_API_ESTABLISHMENT_SPEC_H_

#include "absl/status/status.h"
#include "dps/qualification/v1/qualification.pb.h"

namespace dps::qualification {

// Replaces the record's editable fields with the spec's; id, provider and version are kept.
void ApplyEstablishmentSpec(const dps::qualification::v1::EstablishmentSpec& spec,
                            dps::qualification::v1::Establishment& establishment);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_API_ESTABLISHMENT_SPEC_H_
