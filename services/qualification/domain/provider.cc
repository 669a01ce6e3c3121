#include "services/qualification/domain/provider.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/qualification/domain/errors.h"

namespace dps::qualification {
namespace {

absl::Status CheckDetails(const ProviderDetails& details, absl::string_view path) {
  if (details.name.empty()) return InvalidField(absl::StrCat(path, ".name"), "required");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Provider> RegisterProvider(const std::string& organisation_id,
                                          ProviderDetails details, absl::Time at,
                                          absl::string_view path) {
  if (absl::Status s = CheckDetails(details, path); !s.ok()) return s;
  return Provider{
      .id = organisation_id, .details = std::move(details), .version = 1, .registered_at = at};
}

absl::Status ChangeProviderDetails(Provider& provider, ProviderDetails details,
                                   absl::string_view path) {
  if (absl::Status s = CheckDetails(details, path); !s.ok()) return s;
  provider.details = std::move(details);
  return absl::OkStatus();
}

}  // namespace dps::qualification
