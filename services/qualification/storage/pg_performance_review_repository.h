// PerformanceReviewRepository in PostgreSQL (table performance_reviews, migration 0005; SQL in
// performance_review_sql.h), inside the caller's transaction: a consumer's, so that recording a
// review commits with the event's ledger entry, or an adjustment's, so that citing a review
// commits with the adjustment.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_PG_PERFORMANCE_REVIEW_REPOSITORY_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_PG_PERFORMANCE_REVIEW_REPOSITORY_H_

#include <pqxx/pqxx>

#include "services/qualification/storage/performance_review_repository.h"

namespace dps::qualification {

class PgPerformanceReviewRepository final : public PerformanceReviewRepository {
 public:
  explicit PgPerformanceReviewRepository(pqxx::work& tx) : tx_(tx) {}

  absl::StatusOr<bool> Record(const v1::RecordedPerformanceReview& review) override;
  absl::StatusOr<std::optional<v1::RecordedPerformanceReview>> LoadForCitation(
      const std::string& id) override;
  absl::Status MarkCited(const std::vector<std::string>& ids,
                         const std::string& adjustment_id) override;
  absl::Status List(const PerformanceReviewFilter& filter, const platform::Page& page,
                    v1::ListPerformanceReviewsResponse& response) override;

 private:
  pqxx::work& tx_;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_PG_PERFORMANCE_REVIEW_REPOSITORY_H_
