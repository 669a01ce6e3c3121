// Comparing the labels people type into spreadsheets: column headers, judgements, types.
//
// Offers NormaliseLabel(), the one normal form every look-up in the importer uses, so "Latest full
// inspection date", "\nLatest Full Inspection  date" and "latest full inspection date " all match.
#ifndef DPS_SERVICES_QUALIFICATION_RATINGS_LABEL_H_
#define DPS_SERVICES_QUALIFICATION_RATINGS_LABEL_H_

#include <string>

#include "absl/strings/string_view.h"

namespace dps::qualification::ratings {

// Lower-cases ASCII letters, turns every run of whitespace (spaces, tabs, line breaks, the UTF-8
// no-break space) into one space, trims both ends, and writes the curly apostrophe (U+2019) as '.
// Other non-ASCII text is kept as it is.
//
//   NormaliseLabel("\nOverall  Experiences\r\n") == "overall experiences"
//   NormaliseLabel("Children’s Home") == "children's home"
std::string NormaliseLabel(absl::string_view text);

}  // namespace dps::qualification::ratings

#endif  // DPS_SERVICES_QUALIFICATION_RATINGS_LABEL_H_
