#include "services/qualification/tools/rating_rows.h"

#include "absl/strings/str_cat.h"

namespace dps::qualification::tools {
namespace {

namespace v1 = ::dps::qualification::v1;
using ratings::OverallRating;
using ratings::SupportedAccommodationOutcome;

v1::Rating ToApi(OverallRating rating) {
  switch (rating) {
    case OverallRating::kOutstanding:
      return v1::RATING_OUTSTANDING;
    case OverallRating::kGood:
      return v1::RATING_GOOD;
    case OverallRating::kRequiresImprovement:
      return v1::RATING_REQUIRES_IMPROVEMENT;
    case OverallRating::kInadequate:
      return v1::RATING_INADEQUATE;
    case OverallRating::kNotInspected:
      break;
  }
  return v1::RATING_NOT_YET_INSPECTED;
}

v1::Rating ToApi(SupportedAccommodationOutcome outcome) {
  switch (outcome) {
    case SupportedAccommodationOutcome::kConsistentlyStrong:
      return v1::RATING_GOOD;
    case SupportedAccommodationOutcome::kInconsistent:
      return v1::RATING_REQUIRES_IMPROVEMENT;
    case SupportedAccommodationOutcome::kSeriousWeaknesses:
      return v1::RATING_INADEQUATE;
    case SupportedAccommodationOutcome::kNone:
      break;
  }
  return v1::RATING_NOT_YET_INSPECTED;
}

void SetDate(const std::optional<absl::CivilDay>& day, dps::common::v1::Date* date) {
  if (!day) return;
  date->set_year(static_cast<int32_t>(day->year()));
  date->set_month(day->month());
  date->set_day(day->day());
}

}  // namespace

std::vector<v1::InspectionRatingRow> ToImportRows(const ratings::RatingFile& file) {
  std::vector<v1::InspectionRatingRow> rows;
  rows.reserve(file.records.size());
  for (const ratings::RatingRecord& record : file.records) {
    v1::InspectionRatingRow& row = rows.emplace_back();
    row.set_inspectorate(v1::INSPECTORATE_OFSTED);
    row.set_inspectorate_ref(record.urn);
    if (record.supported_accommodation_outcome != SupportedAccommodationOutcome::kNone) {
      row.set_rating(ToApi(record.supported_accommodation_outcome));
      row.set_grade_text(
          std::string(SupportedAccommodationOutcomeName(record.supported_accommodation_outcome)));
    } else {
      row.set_rating(ToApi(record.overall));
      row.set_grade_text(std::string(OverallRatingName(record.overall)));
    }
    SetDate(record.inspection_date, row.mutable_inspected_on());
    SetDate(record.publication_date, row.mutable_published_on());
  }
  return rows;
}

std::vector<v1::ImportInspectionRatingsRequest> ToImportRequests(const ratings::RatingFile& file,
                                                                 int rows_per_request) {
  std::vector<v1::ImportInspectionRatingsRequest> requests;
  for (v1::InspectionRatingRow& row : ToImportRows(file)) {
    if (requests.empty() || requests.back().rows_size() == rows_per_request) {
      requests.emplace_back().set_idempotency_key(
          absl::StrCat("ratings-", file.content_sha256.substr(0, 32), "-", requests.size()));
    }
    *requests.back().add_rows() = std::move(row);
  }
  return requests;
}

}  // namespace dps::qualification::tools
