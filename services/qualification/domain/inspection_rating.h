// Which inspection of an establishment is its current rating. Ratings reach the register out of
// order (an older inspectorate file imported after a newer one, a report entered by hand after the
// next file was imported), so the current rating is the latest inspection, not the latest row
// recorded. The same rule as the Ofsted importer's (ratings/rating_changes.h): an older file
// never undoes a newer inspection.
#ifndef DPS_SERVICES_QUALIFICATION_DOMAIN_INSPECTION_RATING_H_
#define DPS_SERVICES_QUALIFICATION_DOMAIN_INSPECTION_RATING_H_

#include <optional>

#include "absl/time/civil_time.h"

namespace dps::qualification {

// Whether an inspection on `inspected_on` is older than `current_inspected_on`, that of the
// establishment's current rating, so that it must not replace it (nor suspend, nor count as a
// change). An inspection of the same day is not older: it replaces (a grade corrected after a
// challenge). An undated one (not yet inspected) is older than any dated one, and no dated one is
// older than an undated current rating.
bool IsOlderInspection(std::optional<absl::CivilDay> inspected_on,
                       std::optional<absl::CivilDay> current_inspected_on);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_DOMAIN_INSPECTION_RATING_H_
