#include "services/scoring/domain/geo.h"

#include <algorithm>
#include <cmath>

namespace dps::scoring {

namespace {

constexpr double kRadiansPerDegree = 3.14159265358979323846 / 180.0;

}  // namespace

double HaversineMiles(GeoPoint from, GeoPoint to) {
  const double lat1 = from.latitude * kRadiansPerDegree;
  const double lat2 = to.latitude * kRadiansPerDegree;
  const double sin_half_dlat = std::sin((lat2 - lat1) / 2);
  const double sin_half_dlon = std::sin((to.longitude - from.longitude) * kRadiansPerDegree / 2);
  const double a = sin_half_dlat * sin_half_dlat +
                   std::cos(lat1) * std::cos(lat2) * sin_half_dlon * sin_half_dlon;
  // Clamp: rounding can push `a` a hair above 1 for antipodal points, and asin would return NaN.
  return 2 * kEarthRadiusMiles * std::asin(std::sqrt(std::min(1.0, a)));
}

int64_t RoundMilesToHundredths(double miles) { return std::llround(miles * 100); }

int LocationBand(double miles) {
  // Compared, not divided, so no rounding of miles / 10 can move a distance across an edge.
  int band = kTopLocationBand;
  for (double edge = 10; band > 0 && miles >= edge; edge += 10) --band;
  return band;
}

}  // namespace dps::scoring
