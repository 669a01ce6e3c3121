#include "services/qualification/domain/establishment.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "platform/codes/codes.h"
#include "services/qualification/domain/errors.h"

namespace dps::qualification {

bool OffersInterventionsOnly(const EstablishmentDetails& details) {
  return !details.provision_types.empty() &&
         std::all_of(
             details.provision_types.begin(), details.provision_types.end(),
             [](ProvisionType type) { return type == ProvisionType::kBespokeIntervention; });
}

absl::Status CheckEstablishment(const EstablishmentDetails& details, absl::string_view path) {
  auto field = [&](absl::string_view name) { return absl::StrCat(path, ".", name); };
  if (details.name.empty()) return InvalidField(field("name"), "required");
  if (details.address.postcode.empty()) return InvalidField(field("address.postcode"), "required");
  const double lat = details.latitude;
  const double lon = details.longitude;
  if (!(lat >= -90 && lat <= 90)) {
    return InvalidField(field("location.latitude"), absl::StrCat("must be -90 to 90, got ", lat));
  }
  if (!(lon >= -180 && lon <= 180)) {
    return InvalidField(field("location.longitude"),
                        absl::StrCat("must be -180 to 180, got ", lon));
  }
  if (lat == 0 && lon == 0) return InvalidField(field("location"), "required");
  if (details.age_min_years < 0 || details.age_min_years > kOldestPlacedAge) {
    return InvalidField(field("age_min_years"), absl::StrCat("must be 0-", kOldestPlacedAge,
                                                             ", got ", details.age_min_years));
  }
  if (details.age_max_years < details.age_min_years || details.age_max_years > kOldestPlacedAge) {
    return InvalidField(
        field("age_max_years"),
        absl::StrCat("must be age_min_years-", kOldestPlacedAge, ", got ", details.age_max_years));
  }
  if (details.registered_places < 0) {
    return InvalidField(field("registered_places"), "must not be negative");
  }
  const std::pair<const std::vector<std::string>*, absl::string_view> code_lists[] = {
      {&details.specialism_codes, "specialism_codes"},
      {&details.placement_type_codes, "placement_type_codes"}};
  for (const auto& [codes, name] : code_lists) {
    for (size_t i = 0; i < codes->size(); ++i) {
      if (absl::Status s = platform::CheckCode(absl::StrCat(field(name), "[", i, "]"), (*codes)[i]);
          !s.ok()) {
        return s;
      }
    }
  }
  if (details.inspectorate == Inspectorate::kUnspecified) {
    return InvalidField(field("inspectorate"), "required");
  }
  if (details.inspectorate == Inspectorate::kNone) {
    if (!OffersInterventionsOnly(details)) {
      return InvalidField(field("inspectorate"),
                          "INSPECTORATE_NONE is only for an establishment whose every provision "
                          "type is PROVISION_TYPE_BESPOKE_INTERVENTION");
    }
    if (!details.inspectorate_ref.empty()) {
      return InvalidField(field("inspectorate_ref"),
                          "must be empty when the establishment has no inspectorate");
    }
  }
  return absl::OkStatus();
}

}  // namespace dps::qualification
