// An inspectorate's rating file as the rows of an ImportInspectionRatings request.
//
// The file is parsed and validated whole first (ratings/ofsted_csv.h: a malformed row fails the
// file with its line number), so the rows built here are all well formed and the import applies
// the file or nothing of it. Supported accommodation's own scale is mapped onto the four points
// (serious or widespread weaknesses is its Inadequate), keeping Ofsted's wording in grade_text.
#ifndef DPS_SERVICES_QUALIFICATION_TOOLS_RATING_ROWS_H_
#define DPS_SERVICES_QUALIFICATION_TOOLS_RATING_ROWS_H_

#include <vector>

#include "dps/qualification/v1/qualification.pb.h"
#include "services/qualification/ratings/rating.h"

namespace dps::qualification::tools {

std::vector<dps::qualification::v1::InspectionRatingRow> ToImportRows(
    const ratings::RatingFile& file);

// The requests to send, at most `rows_per_request` rows each, keyed by the file's digest and the
// request's position so that sending the same file again changes nothing.
std::vector<dps::qualification::v1::ImportInspectionRatingsRequest> ToImportRequests(
    const ratings::RatingFile& file, int rows_per_request = 10000);

}  // namespace dps::qualification::tools

#endif  // DPS_SERVICES_QUALIFICATION_TOOLS_RATING_ROWS_H_
