#include "services/qualification/domain/evidence.h"

namespace dps::qualification {

bool Renews(const Evidence& renewal, const Evidence& earlier) {
  if (renewal.id == earlier.id || !earlier.in_force || !earlier.expires_on.has_value()) {
    return false;
  }
  if (renewal.provider_id != earlier.provider_id ||
      renewal.establishment_id != earlier.establishment_id ||
      renewal.criterion_id != earlier.criterion_id) {
    return false;
  }
  return !renewal.expires_on.has_value() || *earlier.expires_on < *renewal.expires_on;
}

}  // namespace dps::qualification
