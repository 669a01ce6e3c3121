// RatingRepository in PostgreSQL (migrations 0003_records.sql and 0004_maintenance.sql), within
// the caller's transaction. A rating is kept as JSON in `doc`, today in the API's encoding
// (convert/convert.h), which the lists (ListRatingsPage) and a membership's current rating read
// back; `recorded_seq` orders what was recorded, so two ratings recorded in one instant still
// have a last. A choice of this file alone: the use cases see only domain types.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_PG_RATING_REPOSITORY_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_PG_RATING_REPOSITORY_H_

#include <pqxx/pqxx>
#include <string>

#include "services/qualification/storage/rating_repository.h"

namespace dps::qualification {

class PgRatingRepository final : public RatingRepository {
 public:
  explicit PgRatingRepository(pqxx::work& tx) : tx_(tx) {}

  absl::Status Insert(const InspectionRating& rating) override;
  absl::StatusOr<std::optional<InspectionRating>> Latest(
      const std::string& establishment_id) override;

 private:
  pqxx::work& tx_;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_PG_RATING_REPOSITORY_H_
