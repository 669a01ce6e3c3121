#include "services/qualification/storage/pg_rating_repository.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "platform/pg/documents.h"
#include "platform/pg/pool.h"
#include "services/qualification/convert/convert.h"

namespace dps::qualification {
namespace {

namespace v1 = ::dps::qualification::v1;

constexpr char kInsert[] = R"sql(
  INSERT INTO inspection_ratings (id, establishment_id, rating, inspected_on, recorded_at, doc)
  VALUES ($1, $2, $3, $4::date, $5::timestamptz, $6::jsonb)
  ON CONFLICT (id) DO NOTHING)sql";

constexpr char kLatest[] = R"sql(
  SELECT doc FROM inspection_ratings WHERE establishment_id = $1
  ORDER BY recorded_seq DESC LIMIT 1)sql";

}  // namespace

absl::Status PgRatingRepository::Insert(const InspectionRating& rating) {
  const v1::InspectionRating record = ToApiRating(rating);
  const pqxx::result inserted =
      tx_.exec_params(kInsert, rating.id, rating.establishment_id, v1::Rating_Name(record.rating()),
                      platform::DayParameter(rating.outcome.inspected_on),
                      platform::TimeParameter(rating.recorded_at), platform::ToDoc(record));
  if (inserted.affected_rows() == 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("inspection rating ", rating.id, ": already exists"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<InspectionRating>> PgRatingRepository::Latest(
    const std::string& establishment_id) {
  const pqxx::result rows = tx_.exec_params(kLatest, establishment_id);
  if (rows.empty()) return std::optional<InspectionRating>();
  v1::InspectionRating stored;
  if (absl::Status s = platform::FromDoc(rows[0][0], stored); !s.ok()) return s;
  absl::StatusOr<InspectionRating> rating = ToDomainRating(stored);
  if (!rating.ok()) return rating.status();
  return std::optional<InspectionRating>(*std::move(rating));
}

}  // namespace dps::qualification
