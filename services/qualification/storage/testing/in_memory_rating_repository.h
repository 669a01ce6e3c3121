// RatingRepository in memory, for the use cases' pure tests (app/inspection_ratings_test.cc): the
// same answers as the PostgreSQL one (storage/pg_rating_repository.h) for the same calls, without
// a database.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_RATING_REPOSITORY_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_RATING_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "services/qualification/storage/rating_repository.h"

namespace dps::qualification {

class InMemoryRatingRepository final : public RatingRepository {
 public:
  absl::Status Insert(const InspectionRating& rating) override;
  absl::StatusOr<std::optional<InspectionRating>> Latest(
      const std::string& establishment_id) override;

 private:
  std::vector<InspectionRating> recorded_;  // in the order recorded
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_TESTING_IN_MEMORY_RATING_REPOSITORY_H_
