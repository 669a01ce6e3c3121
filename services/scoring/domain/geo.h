// Distance and location band of the scoring engine's location criterion.
//
// HaversineMiles is the great-circle distance with the earth radius of docs/rules.md section 6
// (3958.8 miles). LocationBand takes the distance itself, not the 2 dp figure shown to providers,
// and returns max(0, 5 - floor(miles / 10)): "0 to under 10 miles = 5", so 9.996 miles is band 5
// though it is shown as 10.00; 10 to under 20 is 4, ..., 50 and over is 0. Example:
//   LocationBand(9.996) == 5; LocationBand(10.0) == 4
#ifndef DPS_SERVICES_SCORING_DOMAIN_GEO_H_
#define DPS_SERVICES_SCORING_DOMAIN_GEO_H_

#include <cstdint>

#include "services/scoring/domain/competition.h"

namespace dps::scoring {

inline constexpr double kEarthRadiusMiles = 3958.8;
inline constexpr int kTopLocationBand = 5;

// Great-circle distance in miles between two valid WGS84 points.
double HaversineMiles(GeoPoint from, GeoPoint to);

// `miles` (>= 0) rounded half up to whole hundredths of a mile.
int64_t RoundMilesToHundredths(double miles);

// The band for a distance in miles (>= 0).
int LocationBand(double miles);

}  // namespace dps::scoring

#endif  // DPS_SERVICES_SCORING_DOMAIN_GEO_H_
