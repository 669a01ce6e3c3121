#include "services/referral/geo/postcode_districts.h"

#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace dps::referral {

absl::StatusOr<PostcodeDistricts> PostcodeDistricts::Parse(absl::string_view csv) {
  PostcodeDistricts out;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(csv, '\n')) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_number == 1 || line.empty()) continue;  // the header, the last newline
    // The district and its position come first and the count of active postcodes last; the town
    // between them may be quoted and hold commas, and is not read.
    std::vector<absl::string_view> head = absl::StrSplit(line, absl::MaxSplits(',', 3));
    const size_t last_comma = line.rfind(',');
    double latitude = 0, longitude = 0;
    int active = 0;
    if (head.size() < 4 || last_comma == absl::string_view::npos ||
        !absl::SimpleAtoi(line.substr(last_comma + 1), &active) ||
        (!head[1].empty() && !absl::SimpleAtod(head[1], &latitude)) ||
        (!head[2].empty() && !absl::SimpleAtod(head[2], &longitude))) {
      return absl::InvalidArgumentError(
          absl::StrCat("postcode districts, line ", line_number, ": malformed row '", line, "'"));
    }
    if (active <= 0 || (latitude == 0 && longitude == 0)) continue;
    out.centroids_[std::string(head[0])] = {latitude, longitude};
  }
  return out;
}

const PostcodeDistricts& PostcodeDistricts::Compiled() {
  static const PostcodeDistricts* const table = [] {
    absl::StatusOr<PostcodeDistricts> parsed =
        Parse(absl::string_view(PostcodeDistrictsCsv().data(), PostcodeDistrictsCsv().size()));
    // The table is ours and tested; failing to read it is a broken build, not a run-time state.
    if (!parsed.ok()) std::abort();
    return new PostcodeDistricts(*std::move(parsed));
  }();
  return *table;
}

std::optional<Centroid> PostcodeDistricts::Find(absl::string_view district) const {
  auto found = centroids_.find(district);
  if (found == centroids_.end()) return std::nullopt;
  return found->second;
}

}  // namespace dps::referral
