// Distance and location band of the scoring engine's location criterion.
//
// HaversineMiles is the great-circle distance with the spec's earth radius (3958.8 miles).
// LocationBand takes miles in hundredths (the 2 dp figure shown to providers) and returns
// max(0, 5 - floor(miles / 10)): under 10 miles is 5, 10 to under 20 is 4, ..., 50 and over is 0.
// Example:
//   LocationBand(RoundMilesToHundredths(9.99)) == 5; LocationBand(1000) == 4  // 10.00 miles
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

// The band for a distance given in hundredths of a mile.
int LocationBand(int64_t miles_hundredths);

}  // namespace dps::scoring

#endif  // DPS_SERVICES_SCORING_DOMAIN_GEO_H_
