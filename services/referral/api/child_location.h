// Where a child is placed from, as the API takes it: the district as authors type it ("rh12 ")
// in the form the domain checks ("RH12"), and the centroid the placement is measured from: the
// author's own, or the district's from the compiled ONS table.
#ifndef DPS_SERVICES_REFERRAL_API_CHILD_LOCATION_H_
#define DPS_SERVICES_REFERRAL_API_CHILD_LOCATION_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "dps/referral/v1/referral.pb.h"

namespace dps::referral {

// InvalidArgument naming `field`.centroid for a point off the globe, or
// `field`.postcode_district for a well-formed district not in use. A malformed district is left
// for the domain's check to name.
absl::Status PlaceDistrict(dps::referral::v1::ChildLocation& location, absl::string_view field);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_API_CHILD_LOCATION_H_
