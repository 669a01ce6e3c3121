// The qualification domain's errors take the platform's two shapes (platform/errors/errors.h):
// `field: rule` (InvalidArgument) and `entity: why` (FailedPrecondition).

#ifndef DPS_SERVICES_QUALIFICATION_DOMAIN_ERRORS_H_
#define DPS_SERVICES_QUALIFICATION_DOMAIN_ERRORS_H_

#include "platform/errors/errors.h"

namespace dps::qualification {

using platform::Forbidden;
using platform::InvalidField;

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_DOMAIN_ERRORS_H_
