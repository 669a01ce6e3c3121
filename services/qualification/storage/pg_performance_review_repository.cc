#include "services/qualification/storage/pg_performance_review_repository.h"

#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "services/qualification/storage/documents.h"
#include "services/qualification/storage/performance_review_sql.h"

namespace dps::qualification {

absl::StatusOr<bool> PgPerformanceReviewRepository::Record(
    const v1::RecordedPerformanceReview& review) {
  v1::RecordedPerformanceReview uncited = review;
  uncited.clear_score_adjustment_id();
  const pqxx::result inserted =
      tx_.exec_params(sql::kRecordPerformanceReview, review.id(), review.system_id(),
                      review.establishment_id(), ToDoc(uncited));
  return !inserted.empty();
}

absl::StatusOr<std::optional<v1::RecordedPerformanceReview>>
PgPerformanceReviewRepository::LoadForCitation(const std::string& id) {
  const pqxx::result rows = tx_.exec_params(sql::kLoadPerformanceReviewForUpdate, id);
  if (rows.empty()) return std::nullopt;
  v1::RecordedPerformanceReview review;
  if (absl::Status s = FromDoc(rows[0][0], review); !s.ok()) return s;
  return review;
}

absl::Status PgPerformanceReviewRepository::MarkCited(const std::vector<std::string>& ids,
                                                      const std::string& adjustment_id) {
  for (const std::string& id : ids) {
    if (tx_.exec_params(sql::kCitePerformanceReview, id, adjustment_id).empty()) {
      return platform::Forbidden(absl::StrCat("performance review ", platform::Quote(id)),
                                 "is not recorded, or was cited by another adjustment");
    }
  }
  return absl::OkStatus();
}

absl::Status PgPerformanceReviewRepository::List(const PerformanceReviewFilter& filter,
                                                 const platform::Page& page,
                                                 v1::ListPerformanceReviewsResponse& response) {
  const pqxx::result rows =
      tx_.exec_params(sql::kListPerformanceReviews, filter.system_id, filter.establishment_id,
                      filter.awaiting_adjustment_only, page.after_id, page.size + 1);
  return ReadPage<v1::RecordedPerformanceReview>(
      rows, page, [&] { return response.add_reviews(); }, response.mutable_page());
}

}  // namespace dps::qualification
