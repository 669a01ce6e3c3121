#include "services/qualification/api/establishment_spec.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "platform/codes/codes.h"
#include "services/qualification/domain/errors.h"

namespace dps::qualification {

namespace v1 = ::dps::qualification::v1;

absl::Status ValidateEstablishment(const v1::EstablishmentSpec& spec) {
  if (spec.name().empty()) return InvalidField("spec.name", "required");
  if (spec.address().postcode().empty()) return InvalidField("spec.address.postcode", "required");
  const double lat = spec.location().latitude();
  const double lon = spec.location().longitude();
  if (!(lat >= -90 && lat <= 90)) {
    return InvalidField("spec.location.latitude", absl::StrCat("must be -90 to 90, got ", lat));
  }
  if (!(lon >= -180 && lon <= 180)) {
    return InvalidField("spec.location.longitude", absl::StrCat("must be -180 to 180, got ", lon));
  }
  if (lat == 0 && lon == 0) return InvalidField("spec.location", "required");
  if (spec.age_min_years() < 0 || spec.age_min_years() > 25) {
    return InvalidField("spec.age_min_years",
                        absl::StrCat("must be 0-25, got ", spec.age_min_years()));
  }
  if (spec.age_max_years() < spec.age_min_years() || spec.age_max_years() > 25) {
    return InvalidField("spec.age_max_years",
                        absl::StrCat("must be age_min_years-25, got ", spec.age_max_years()));
  }
  if (spec.registered_places() < 0) {
    return InvalidField("spec.registered_places", "must not be negative");
  }
  // By the rule the lots' vocabularies and the eligibility query use, so a specialism or
  // placement type registered here is one a referral can ask for.
  const std::pair<const google::protobuf::RepeatedPtrField<std::string>*, absl::string_view>
      code_lists[] = {{&spec.specialism_codes(), "spec.specialism_codes"},
                      {&spec.placement_type_codes(), "spec.placement_type_codes"}};
  for (const auto& [codes, field] : code_lists) {
    for (int i = 0; i < codes->size(); ++i) {
      if (absl::Status s = platform::CheckCode(absl::StrCat(field, "[", i, "]"), codes->Get(i));
          !s.ok()) {
        return s;
      }
    }
  }
  if (spec.inspectorate() == v1::INSPECTORATE_UNSPECIFIED) {
    return InvalidField("spec.inspectorate", "required");
  }
  if (spec.inspectorate() == v1::INSPECTORATE_NONE) {
    // Care and education are inspected; only interventions are regulated elsewhere.
    const bool interventions_only =
        !spec.provision_types().empty() &&
        std::all_of(spec.provision_types().begin(), spec.provision_types().end(), [](int type) {
          return type == dps::common::v1::PROVISION_TYPE_BESPOKE_INTERVENTION;
        });
    if (!interventions_only) {
      return InvalidField("spec.inspectorate",
                          "INSPECTORATE_NONE is only for an establishment whose every provision "
                          "type is PROVISION_TYPE_BESPOKE_INTERVENTION");
    }
    if (!spec.inspectorate_ref().empty()) {
      return InvalidField("spec.inspectorate_ref",
                          "must be empty when the establishment has no inspectorate");
    }
  }
  return absl::OkStatus();
}

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
