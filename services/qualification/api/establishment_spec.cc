#include "services/qualification/api/establishment_spec.h"

namespace dps::qualification {

namespace v1 = ::dps::qualification::v1;

void ApplyEstablishmentSpec(const v1::EstablishmentSpec& spec, v1::Establishment& establishment) {
  establishment.set_name(spec.name());
  *establishment.mutable_address() = spec.address();
  *establishment.mutable_location() = spec.location();
  *establishment.mutable_provision_types() = spec.provision_types();
  establishment.set_inspectorate(spec.inspectorate());
  establishment.set_inspectorate_ref(spec.inspectorate_ref());
  establishment.set_dfe_number(spec.dfe_number());
  establishment.set_age_min_years(spec.age_min_years());
  establishment.set_age_max_years(spec.age_max_years());
  *establishment.mutable_genders_accepted() = spec.genders_accepted();
  *establishment.mutable_specialism_codes() = spec.specialism_codes();
  *establishment.mutable_placement_type_codes() = spec.placement_type_codes();
  establishment.set_registered_places(spec.registered_places());
  *establishment.mutable_contacts() = spec.contacts();
}

}  // namespace dps::qualification
