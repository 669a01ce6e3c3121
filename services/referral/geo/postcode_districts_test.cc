#include "services/referral/geo/postcode_districts.h"

#include <catch2/catch.hpp>

namespace dps::referral {
namespace {

TEST_CASE("the compiled table places districts in use and leaves out retired ones") {
  const PostcodeDistricts& districts = PostcodeDistricts::Compiled();
  // Districts with active postcodes and a position, across the UK.
  CHECK(districts.size() == 2947);
  const std::optional<Centroid> horsham = districts.Find("RH12");
  REQUIRE(horsham.has_value());
  CHECK(horsham->latitude == Approx(51.0749));
  CHECK(horsham->longitude == Approx(-0.328772));
  CHECK(districts.Find("CF10").has_value());
  CHECK_FALSE(districts.Find("AB1").has_value());  // retired: no active postcodes
  CHECK_FALSE(districts.Find("ZZ99").has_value());
}

TEST_CASE("a malformed row is refused with its line number") {
  const char* csv =
      "district,latitude,longitude,town,uk_region,active_postcodes\n"
      "RH12,51.0749,-0.328772,\"Horsham, Rusper\",South East,1373\n"
      "RH13,north,-0.3,Horsham,South East,12\n";
  const absl::StatusOr<PostcodeDistricts> parsed = PostcodeDistricts::Parse(csv);
  CHECK(parsed.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(parsed.status().message() ==
        "postcode districts, line 3: malformed row 'RH13,north,-0.3,Horsham,South East,12'");
  const absl::StatusOr<PostcodeDistricts> good = PostcodeDistricts::Parse(
      "district,latitude,longitude,town,uk_region,active_postcodes\r\n"
      "RH12,51.0749,-0.328772,\"Horsham, Rusper\",South East,1373\r\n");
  REQUIRE(good.ok());
  CHECK(good->size() == 1);
}

}  // namespace
}  // namespace dps::referral
