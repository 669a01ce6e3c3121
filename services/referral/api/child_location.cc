#include "services/referral/api/child_location.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "services/referral/domain/child.h"
#include "services/referral/geo/postcode_districts.h"

namespace dps::referral {

absl::Status PlaceDistrict(v1::ChildLocation& location, absl::string_view field) {
  std::string district(absl::StripAsciiWhitespace(location.postcode_district()));
  absl::AsciiStrToUpper(&district);
  location.set_postcode_district(district);
  if (location.has_centroid()) {
    const double latitude = location.centroid().latitude();
    const double longitude = location.centroid().longitude();
    if (!(latitude >= -90 && latitude <= 90) || !(longitude >= -180 && longitude <= 180)) {
      return platform::InvalidField(absl::StrCat(field, ".centroid"),
                                    "must be a WGS84 point: latitude -90 to 90, longitude -180 "
                                    "to 180");
    }
    return absl::OkStatus();
  }
  if (district.empty()) return absl::OkStatus();
  // A malformed district is the domain's to name; only a well-formed one is looked up.
  if (!ValidatePostcodeDistrict("", district).ok()) return absl::OkStatus();
  const std::optional<Centroid> centroid = PostcodeDistricts::Compiled().Find(district);
  if (!centroid) {
    return platform::InvalidField(
        absl::StrCat(field, ".postcode_district"),
        absl::StrCat("'", district, "' is not a postcode district in use"));
  }
  location.mutable_centroid()->set_latitude(centroid->latitude);
  location.mutable_centroid()->set_longitude(centroid->longitude);
  return absl::OkStatus();
}

}  // namespace dps::referral
