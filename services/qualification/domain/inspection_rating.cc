#include "services/qualification/domain/inspection_rating.h"

namespace dps::qualification {

bool IsOlderInspection(std::optional<absl::CivilDay> inspected_on,
                       std::optional<absl::CivilDay> current_inspected_on) {
  if (!current_inspected_on.has_value()) return false;
  return !inspected_on.has_value() || *inspected_on < *current_inspected_on;
}

}  // namespace dps::qualification
