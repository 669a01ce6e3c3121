#include "services/referral/clients/eligibility_query.h"

#include "platform/proto/proto_time.h"

namespace dps::referral {

dps::qualification::v1::EligibilityQuery EligibilityQueryFor(
    const dps::referral::v1::Referral& referral, double radius_miles, absl::Time as_of) {
  dps::qualification::v1::EligibilityQuery query;
  query.set_system_id(referral.spec().system_id());
  query.set_lot_id(referral.spec().lot_id());
  *query.mutable_location() = referral.spec().location().centroid();
  query.set_radius_miles(radius_miles);
  for (const dps::referral::v1::ChildProfile& child : referral.spec().children()) {
    query.add_child_ages_years(child.age_years());
    query.add_child_genders(child.gender());
  }
  *query.mutable_filters() = referral.spec().filters();
  *query.mutable_as_of() = platform::ToTimestamp(as_of);
  return query;
}

}  // namespace dps::referral
