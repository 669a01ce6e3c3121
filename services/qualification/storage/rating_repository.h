// Where inspection ratings are kept, in the domain's own terms (domain/inspection_rating.h): the
// use cases (app/inspection_ratings.h) record and read them through RatingRepository and never
// see SQL or the API's messages. The PostgreSQL implementation is pg_rating_repository.h;
// storage/testing has it in memory for the use cases' pure tests. (Lists of ratings are a query:
// ListRatingsPage in records.h.)
//
// A rating is never changed once recorded: a newer report is another rating. The establishment's
// current rating is the one recorded last, which the use cases keep the latest inspection
// (DecideRating records nothing older).
//
// Errors: AlreadyExists when an insert repeats an id; database failures as platform/pg/pool.h
// describes.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_RATING_REPOSITORY_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_RATING_REPOSITORY_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/qualification/domain/inspection_rating.h"

namespace dps::qualification {

class RatingRepository {
 public:
  virtual ~RatingRepository() = default;

  virtual absl::Status Insert(const InspectionRating& rating) = 0;
  // The establishment's rating recorded last; unset when it has none.
  virtual absl::StatusOr<std::optional<InspectionRating>> Latest(
      const std::string& establishment_id) = 0;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_RATING_REPOSITORY_H_
