// The inspection rating of one registered provider, as an Ofsted provider-level file states it.
//
// Offers the value types the importer produces and the change computation consumes: the judgement
// scales (OverallRating for the four-point scale, SupportedAccommodationOutcome for supported
// accommodation's own three-point scale), ProvisionType, RatingRecord (one row) and RatingFile (one
// whole, validated file), with the text parsers for each scale. Pure values: no I/O.
#ifndef DPS_SERVICES_QUALIFICATION_RATINGS_RATING_H_
#define DPS_SERVICES_QUALIFICATION_RATINGS_RATING_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/qualification/ratings/text_encoding.h"

namespace dps::qualification::ratings {

// Ofsted's four-point judgement. kNotInspected is "no judgement yet" (a new registration), which
// qualification treats as neither a pass nor a failure of the rating criterion.
enum class OverallRating { kNotInspected, kOutstanding, kGood, kRequiresImprovement, kInadequate };

// Supported accommodation (regulated since 2023) is judged on its own scale, not the four points.
enum class SupportedAccommodationOutcome {
  kNone,
  kConsistentlyStrong,  // "Consistently strong service delivery"
  kInconsistent,        // "Inconsistent quality of service delivery"
  kSeriousWeaknesses,   // "Serious or widespread weaknesses": the Inadequate of this scale
};

enum class RegistrationStatus { kUnknown, kActive, kSuspended, kOther };

// The provision types in Ofsted's social care files. Ofsted capitalises them inconsistently
// ("Children's home" and "Children's Home" in one file), so they are classified, not compared.
enum class ProvisionType {
  kOther,
  kChildrensHome,
  kSecureChildrensHome,
  kSupportedAccommodation,
  kIndependentFosteringAgency,
  kResidentialSpecialSchool,
  kResidentialSpecialSchoolChildrensHome,  // dual-registered as a children's home
  kResidentialFamilyCentre,
  kBoardingSchool,
  kFurtherEducationCollege,  // with residential accommodation
  kVoluntaryAdoptionAgency,
  kAdoptionSupportAgency,
  kResidentialHolidayScheme,  // for disabled children (short breaks)
  kSecureTrainingCentre,
};

// Parses a judgement. Case, spacing and a trailing full stop do not matter. Accepted: Outstanding;
// Good; "Requires improvement to be good", "Requires improvement" and the pre-2014 "Adequate" (the
// grade "Requires improvement" replaced); Inadequate; and as kNotInspected an empty cell, "Not yet
// inspected", "Not inspected", "N/A", "NA", "Not applicable" or "-". Anything else is nullopt: an
// unknown judgement is an error for the importer, never silently "not inspected".
std::optional<OverallRating> ParseOverallRating(absl::string_view text);
std::optional<SupportedAccommodationOutcome> ParseSupportedAccommodationOutcome(
    absl::string_view text);
RegistrationStatus ParseRegistrationStatus(absl::string_view text);
ProvisionType ClassifyProvisionType(absl::string_view text);

// Stable lowercase names for logs, events and generated data: "outstanding", "good",
// "requires_improvement", "inadequate", "not_inspected"; "consistently_strong", ...
absl::string_view OverallRatingName(OverallRating rating);
absl::string_view SupportedAccommodationOutcomeName(SupportedAccommodationOutcome outcome);
absl::string_view RegistrationStatusName(RegistrationStatus status);

// One provider row. Optional fields are nullopt when the file leaves them empty, redacts them, or
// (in an older file) has no such column.
struct RatingRecord {
  int line = 0;     // physical line the row starts on, for reports
  std::string urn;  // numeric ("2590934") or SC-prefixed ("SC040058"); upper case
  std::string linked_education_urn;
  std::string provision_type_text;  // as written
  ProvisionType provision_type = ProvisionType::kOther;
  std::optional<absl::CivilDay> registration_date;
  std::string registration_status_text;
  RegistrationStatus registration_status = RegistrationStatus::kUnknown;
  std::optional<std::string> name;      // nullopt: redacted or blank
  std::optional<std::string> postcode;  // "RH12 1AB"; nullopt: redacted or blank
  std::string postcode_district;        // "RH12"; empty without a usable postcode
  std::string local_authority;          // where the provider is
  std::string region;                   // English region (Government Office Region)
  std::string ofsted_region;
  std::string sector;  // Private, Local Authority, Voluntary, Academy, Health Authority
  std::string owner;   // organisation which owns the provider
  std::optional<int> places;
  bool short_breaks_only = false;
  std::string inspection_type;  // "Full inspection", ...
  std::optional<absl::CivilDay> inspection_date;
  std::optional<absl::CivilDay> publication_date;
  OverallRating overall = OverallRating::kNotInspected;
  OverallRating helped_and_protected = OverallRating::kNotInspected;
  OverallRating leaders_and_managers = OverallRating::kNotInspected;
  SupportedAccommodationOutcome supported_accommodation_outcome =
      SupportedAccommodationOutcome::kNone;
};

// A whole file that passed validation: every row is in `records`, in file order.
struct RatingFile {
  std::vector<RatingRecord> records;
  std::vector<std::string> title_lines;  // the non-empty first cells above the header
  int header_line = 0;                   // physical line the header starts on
  SourceEncoding encoding = SourceEncoding::kUtf8;
  std::string content_sha256;  // of the raw bytes, to recognise a file already imported
};

}  // namespace dps::qualification::ratings

#endif  // DPS_SERVICES_QUALIFICATION_RATINGS_RATING_H_
