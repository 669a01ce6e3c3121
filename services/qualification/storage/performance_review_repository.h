// The performance reviews the register holds: the contracts service's reviews, recorded from its
// events, and which score adjustment cited each. PgPerformanceReviewRepository
// (pg_performance_review_repository.h) keeps them in PostgreSQL, inside the caller's transaction.
//
//   PgPerformanceReviewRepository reviews(tx);
//   absl::StatusOr<bool> recorded = reviews.Record(review);  // false: recorded before
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_PERFORMANCE_REVIEW_REPOSITORY_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_PERFORMANCE_REVIEW_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "platform/pg/documents.h"

namespace dps::qualification {

// Which reviews a list holds: one system's, narrowed to an establishment when it is given.
struct PerformanceReviewFilter {
  std::string system_id;
  std::string establishment_id;           // "": every establishment of the system
  bool awaiting_adjustment_only = false;  // leave out the reviews an adjustment has cited
};

class PerformanceReviewRepository {
 public:
  virtual ~PerformanceReviewRepository() = default;

  // Records `review` (its score_adjustment_id empty) unless a review with its id is recorded
  // already; returns whether it was recorded now. The first record of an id stands: a review
  // announced twice is one review.
  virtual absl::StatusOr<bool> Record(
      const dps::qualification::v1::RecordedPerformanceReview& review) = 0;

  // The review `id`, locked until the transaction ends so that two adjustments cannot both cite
  // it; nullopt when no review of that id is recorded.
  virtual absl::StatusOr<std::optional<dps::qualification::v1::RecordedPerformanceReview>>
  LoadForCitation(const std::string& id) = 0;

  // Marks each review of `ids` cited by `adjustment_id`. FailedPrecondition when one is not
  // recorded or was cited already (the caller checks first, holding the rows; this is the
  // backstop).
  virtual absl::Status MarkCited(const std::vector<std::string>& ids,
                                 const std::string& adjustment_id) = 0;

  // A page of the reviews `filter` selects, in id order, with the next page's token.
  virtual absl::Status List(const PerformanceReviewFilter& filter, const platform::Page& page,
                            dps::qualification::v1::ListPerformanceReviewsResponse& response) = 0;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_PERFORMANCE_REVIEW_REPOSITORY_H_
