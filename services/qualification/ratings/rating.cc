#include "services/qualification/ratings/rating.h"

#include "services/qualification/ratings/label.h"

namespace dps::qualification::ratings {
namespace {

// A judgement cell normalised, without the full stop some years end their judgements with.
std::string JudgementKey(absl::string_view text) {
  std::string key = NormaliseLabel(text);
  while (!key.empty() && key.back() == '.') key.pop_back();
  return key;
}

}  // namespace

std::optional<OverallRating> ParseOverallRating(absl::string_view text) {
  const std::string key = JudgementKey(text);
  if (key.empty() || key == "not yet inspected" || key == "not inspected" || key == "n/a" ||
      key == "na" || key == "not applicable" || key == "-") {
    return OverallRating::kNotInspected;
  }
  if (key == "outstanding") return OverallRating::kOutstanding;
  if (key == "good") return OverallRating::kGood;
  if (key == "requires improvement to be good" || key == "requires improvement" ||
      key == "adequate") {
    return OverallRating::kRequiresImprovement;
  }
  if (key == "inadequate") return OverallRating::kInadequate;
  return std::nullopt;
}

std::optional<SupportedAccommodationOutcome> ParseSupportedAccommodationOutcome(
    absl::string_view text) {
  const std::string key = JudgementKey(text);
  if (key.empty() || key == "n/a" || key == "not applicable" || key == "-") {
    return SupportedAccommodationOutcome::kNone;
  }
  if (key == "consistently strong service delivery") {
    return SupportedAccommodationOutcome::kConsistentlyStrong;
  }
  if (key == "inconsistent quality of service delivery") {
    return SupportedAccommodationOutcome::kInconsistent;
  }
  if (key == "serious or widespread weaknesses") {
    return SupportedAccommodationOutcome::kSeriousWeaknesses;
  }
  return std::nullopt;
}

RegistrationStatus ParseRegistrationStatus(absl::string_view text) {
  const std::string key = NormaliseLabel(text);
  if (key.empty()) return RegistrationStatus::kUnknown;
  if (key == "active") return RegistrationStatus::kActive;
  if (key == "suspended") return RegistrationStatus::kSuspended;
  return RegistrationStatus::kOther;
}

ProvisionType ClassifyProvisionType(absl::string_view text) {
  const std::string key = NormaliseLabel(text);
  // Tested most specific first: several names contain "children's home".
  if (key == "residential special school (registered as a children's home)") {
    return ProvisionType::kResidentialSpecialSchoolChildrensHome;
  }
  if (key == "secure children's home") return ProvisionType::kSecureChildrensHome;
  if (key == "children's home") return ProvisionType::kChildrensHome;
  if (key == "supported accommodation") return ProvisionType::kSupportedAccommodation;
  if (key == "independent fostering agency") return ProvisionType::kIndependentFosteringAgency;
  if (key == "residential special school") return ProvisionType::kResidentialSpecialSchool;
  if (key == "residential family centre") return ProvisionType::kResidentialFamilyCentre;
  if (key == "boarding school") return ProvisionType::kBoardingSchool;
  if (key == "further education college with residential accommodation") {
    return ProvisionType::kFurtherEducationCollege;
  }
  if (key == "voluntary adoption agency") return ProvisionType::kVoluntaryAdoptionAgency;
  if (key == "adoption support agency") return ProvisionType::kAdoptionSupportAgency;
  if (key == "residential holiday scheme for disabled children") {
    return ProvisionType::kResidentialHolidayScheme;
  }
  if (key == "secure training centre") return ProvisionType::kSecureTrainingCentre;
  return ProvisionType::kOther;
}

absl::string_view OverallRatingName(OverallRating rating) {
  switch (rating) {
    case OverallRating::kNotInspected:
      return "not_inspected";
    case OverallRating::kOutstanding:
      return "outstanding";
    case OverallRating::kGood:
      return "good";
    case OverallRating::kRequiresImprovement:
      return "requires_improvement";
    case OverallRating::kInadequate:
      return "inadequate";
  }
  return "unknown";
}

absl::string_view SupportedAccommodationOutcomeName(SupportedAccommodationOutcome outcome) {
  switch (outcome) {
    case SupportedAccommodationOutcome::kNone:
      return "none";
    case SupportedAccommodationOutcome::kConsistentlyStrong:
      return "consistently_strong";
    case SupportedAccommodationOutcome::kInconsistent:
      return "inconsistent";
    case SupportedAccommodationOutcome::kSeriousWeaknesses:
      return "serious_weaknesses";
  }
  return "unknown";
}

absl::string_view RegistrationStatusName(RegistrationStatus status) {
  switch (status) {
    case RegistrationStatus::kUnknown:
      return "unknown";
    case RegistrationStatus::kActive:
      return "active";
    case RegistrationStatus::kSuspended:
      return "suspended";
    case RegistrationStatus::kOther:
      return "other";
  }
  return "unknown";
}

}  // namespace dps::qualification::ratings
