#include "services/qualification/domain/establishment.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "platform/codes/codes.h"
#include "services/qualification/domain/errors.h"

namespace dps::qualification {

absl::Status CheckEstablishment(const EstablishmentDraft& draft, absl::string_view path) {
  auto field = [&](absl::string_view name) { return absl::StrCat(path, ".", name); };
  if (draft.name.empty()) return InvalidField(field("name"), "required");
  if (draft.postcode.empty()) return InvalidField(field("address.postcode"), "required");
  const double lat = draft.latitude;
  const double lon = draft.longitude;
  if (!(lat >= -90 && lat <= 90)) {
    return InvalidField(field("location.latitude"), absl::StrCat("must be -90 to 90, got ", lat));
  }
  if (!(lon >= -180 && lon <= 180)) {
    return InvalidField(field("location.longitude"),
                        absl::StrCat("must be -180 to 180, got ", lon));
  }
  if (lat == 0 && lon == 0) return InvalidField(field("location"), "required");
  if (draft.age_min_years < 0 || draft.age_min_years > kOldestPlacedAge) {
    return InvalidField(field("age_min_years"), absl::StrCat("must be 0-", kOldestPlacedAge,
                                                             ", got ", draft.age_min_years));
  }
  if (draft.age_max_years < draft.age_min_years || draft.age_max_years > kOldestPlacedAge) {
    return InvalidField(
        field("age_max_years"),
        absl::StrCat("must be age_min_years-", kOldestPlacedAge, ", got ", draft.age_max_years));
  }
  if (draft.registered_places < 0) {
    return InvalidField(field("registered_places"), "must not be negative");
  }
  const std::pair<const std::vector<std::string>*, absl::string_view> code_lists[] = {
      {&draft.specialism_codes, "specialism_codes"},
      {&draft.placement_type_codes, "placement_type_codes"}};
  for (const auto& [codes, name] : code_lists) {
    for (size_t i = 0; i < codes->size(); ++i) {
      if (absl::Status s = platform::CheckCode(absl::StrCat(field(name), "[", i, "]"), (*codes)[i]);
          !s.ok()) {
        return s;
      }
    }
  }
  if (draft.inspectorate == Inspectorate::kUnspecified) {
    return InvalidField(field("inspectorate"), "required");
  }
  if (draft.inspectorate == Inspectorate::kNone) {
    if (!draft.interventions_only) {
      return InvalidField(field("inspectorate"),
                          "INSPECTORATE_NONE is only for an establishment whose every provision "
                          "type is PROVISION_TYPE_BESPOKE_INTERVENTION");
    }
    if (!draft.inspectorate_ref.empty()) {
      return InvalidField(field("inspectorate_ref"),
                          "must be empty when the establishment has no inspectorate");
    }
  }
  return absl::OkStatus();
}

}  // namespace dps::qualification
