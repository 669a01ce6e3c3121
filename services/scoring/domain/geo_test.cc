#include "services/scoring/domain/geo.h"

#include <catch2/catch.hpp>
#include <cmath>

namespace dps::scoring {
namespace {

TEST_CASE("haversine miles match the worked example to 2 dp", "[geo]") {
  const GeoPoint child{51.1092, -0.1872};
  CHECK(RoundMilesToHundredths(HaversineMiles(child, {51.0629, -0.3259})) == 682);
  CHECK(RoundMilesToHundredths(HaversineMiles(child, {50.8225, -0.1372})) == 1993);
  CHECK(RoundMilesToHundredths(HaversineMiles(child, {51.5074, -0.1278})) == 2763);
  CHECK(RoundMilesToHundredths(HaversineMiles(child, {51.2362, -0.5704})) == 1878);
}

TEST_CASE("haversine is zero for the same point and symmetric", "[geo]") {
  const GeoPoint a{51.1092, -0.1872};
  const GeoPoint b{53.4808, -2.2426};
  CHECK(HaversineMiles(a, a) == 0.0);
  CHECK(HaversineMiles(a, b) == Approx(HaversineMiles(b, a)).epsilon(1e-12));
}

TEST_CASE("haversine stays finite for antipodal points", "[geo]") {
  const double miles = HaversineMiles({0, 0}, {0, 180});
  CHECK(miles == Approx(3.14159265358979 * kEarthRadiusMiles).epsilon(1e-9));
}

TEST_CASE("location band edges", "[geo]") {
  CHECK(LocationBand(0) == 5);
  CHECK(LocationBand(9.99) == 5);
  CHECK(LocationBand(10.0) == 4);
  CHECK(LocationBand(19.99) == 4);
  CHECK(LocationBand(20.0) == 3);
  CHECK(LocationBand(49.99) == 1);
  CHECK(LocationBand(50.0) == 0);
  CHECK(LocationBand(250.0) == 0);
}

TEST_CASE("the band follows the distance itself and not the 2 dp figure shown", "[geo]") {
  // "0 to under 10 miles = 5": 9.996 miles is shown as 10.00 and is still band 5.
  CHECK(RoundMilesToHundredths(9.996) == 1000);
  CHECK(LocationBand(9.996) == 5);
  CHECK(LocationBand(9.999999) == 5);
  CHECK(LocationBand(std::nextafter(10.0, 0.0)) == 5);
  for (double edge : {20.0, 30.0, 40.0, 50.0}) {
    INFO(edge);
    CHECK(LocationBand(std::nextafter(edge, 0.0)) == LocationBand(edge) + 1);
  }
}

TEST_CASE("every band edge: just under, exactly at and just over", "[geo]") {
  // "0 to under 10 miles = 5, 10 to under 20 = 4, ..., 50 and over = 0".
  for (int k = 1; k <= 5; ++k) {
    const double edge = 10.0 * k;
    const int below = kTopLocationBand - k + 1;
    INFO("edge " << edge);
    CHECK(LocationBand(std::nextafter(edge, 0.0)) == below);
    CHECK(LocationBand(edge - 0.004) == below);  // shown as the edge itself, to 2 dp
    CHECK(RoundMilesToHundredths(edge - 0.004) == std::llround(edge * 100));
    CHECK(LocationBand(edge) == below - 1);
    CHECK(LocationBand(std::nextafter(edge, 100.0)) == below - 1);
    CHECK(LocationBand(edge + 0.004) == below - 1);
  }
}

}  // namespace
}  // namespace dps::scoring
