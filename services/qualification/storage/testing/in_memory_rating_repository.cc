#include "services/qualification/storage/testing/in_memory_rating_repository.h"

#include "absl/strings/str_cat.h"

namespace dps::qualification {

absl::Status InMemoryRatingRepository::Insert(const InspectionRating& rating) {
  for (const InspectionRating& held : recorded_) {
    if (held.id == rating.id) {
      return absl::AlreadyExistsError(
          absl::StrCat("inspection rating ", rating.id, ": already exists"));
    }
  }
  recorded_.push_back(rating);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<InspectionRating>> InMemoryRatingRepository::Latest(
    const std::string& establishment_id) {
  for (auto it = recorded_.rbegin(); it != recorded_.rend(); ++it) {
    if (it->establishment_id == establishment_id) return std::optional<InspectionRating>(*it);
  }
  return std::optional<InspectionRating>();
}

}  // namespace dps::qualification
