// The geography the generator places establishments on, read from the repository's data/ folder.
//
// Offers LoadAuthorities() (data/geo/england_upper_tier_authorities.csv: the 153 upper-tier
// councils of England with a population centre) and LoadEnglishPostcodeDistricts()
// (data/geo/postcode_districts.csv, kept to England's active districts), plus AuthorityKey(), which
// matches Ofsted's spelling of a council to the ONS one ("Bristol" and "Bristol, City of").
#ifndef DPS_SERVICES_QUALIFICATION_TOOLS_REFERENCE_DATA_H_
#define DPS_SERVICES_QUALIFICATION_TOOLS_REFERENCE_DATA_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace dps::qualification::tools {

struct Authority {
  std::string code;  // E06000001
  std::string name;  // as ONS writes it
  std::string region;
  double latitude = 0;
  double longitude = 0;
};

struct PostcodeDistrict {
  std::string district;  // RH12
  std::string region;
  double latitude = 0;
  double longitude = 0;
  int active_postcodes = 0;
};

// Reads the authorities file. InvalidArgument names the line and column of a bad value.
absl::StatusOr<std::vector<Authority>> LoadAuthorities(const std::string& path);

// Reads the postcode districts file, keeping districts in England's regions that still have
// active postcodes and a position (the rest are Scotland, Wales, Northern Ireland, retired or
// non-geographic codes).
absl::StatusOr<std::vector<PostcodeDistrict>> LoadEnglishPostcodeDistricts(const std::string& path);

// A key under which Ofsted's and ONS's names of one council are equal: lower case, "&" as "and",
// hyphens and full stops dropped, ", City of" / ", County of" and a leading "County " removed.
//   AuthorityKey("County Durham") == AuthorityKey("Durham") == "durham"
std::string AuthorityKey(absl::string_view name);

}  // namespace dps::qualification::tools

#endif  // DPS_SERVICES_QUALIFICATION_TOOLS_REFERENCE_DATA_H_
