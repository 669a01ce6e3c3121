// A provider organisation (a children's homes company, a fostering agency, a school's trust): it
// registers once, under the organisation its users sign in for, and qualifies establishment by
// establishment. What the register holds of it, whole, and what it checks.
#ifndef DPS_SERVICES_QUALIFICATION_DOMAIN_PROVIDER_H_
#define DPS_SERVICES_QUALIFICATION_DOMAIN_PROVIDER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace dps::qualification {

// A postal address of an organisation or establishment (never a child's).
struct PostalAddress {
  std::vector<std::string> lines;  // street lines, most specific first
  std::string town;
  std::string postcode;  // full UK postcode, e.g. "RH12 1AA"
};

// Someone to contact: e.g. the registered manager, the contracts lead.
struct Contact {
  std::string name;
  std::string role;
  std::string email;
  std::string phone;
};

// What a provider says of itself, and may change.
struct ProviderDetails {
  std::string name;
  std::string companies_house_number;  // or charity number
  PostalAddress registered_address;
  std::vector<Contact> contacts;
};

struct Provider {
  std::string id;  // the organisation its users sign in for
  ProviderDetails details;
  int64_t version = 0;  // raised by each save
  absl::Time registered_at;
};

// The provider `organisation_id` registers at `at`, version 1. InvalidArgument naming
// `path`.name when it has no name.
absl::StatusOr<Provider> RegisterProvider(const std::string& organisation_id,
                                          ProviderDetails details, absl::Time at,
                                          absl::string_view path);

// The provider's details replaced (its id and registration stay). InvalidArgument as
// RegisterProvider; the provider is unchanged then.
absl::Status ChangeProviderDetails(Provider& provider, ProviderDetails details,
                                   absl::string_view path);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_DOMAIN_PROVIDER_H_
