#include "services/qualification/storage/eligibility_repository.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "platform/pg/pool.h"
#include "services/qualification/storage/sql.h"

namespace dps::qualification {
namespace {

constexpr double kMetresPerMile = 1609.344;

// The index box is built by PostGIS on its sphere (R = 6371008.8 m), the final predicate is
// haversine with R = 3958.8 miles (6371000.9 m): for the same angle the sphere distance is larger
// by a factor 1.0000012. Widening the box's radius by 0.1% keeps every point the exact predicate
// accepts among the candidates, with a margin of a thousand times that factor.
constexpr double kIndexRadiusPadding = 1.001;

bool IsKnownGender(const std::string& gender) {
  return gender == "female" || gender == "male" || gender == "other";
}

// Codes are lowercase words joined by hyphens ("cse-risk", "52-week"), which also makes joining
// them with ',' for string_to_array unambiguous.
bool IsCode(const std::string& code) {
  if (code.empty()) return false;
  return std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// Doubles go to PostgreSQL with 17 significant digits so they arrive as the same double.
std::string ExactDouble(double value) { return absl::StrFormat("%.17g", value); }

std::string Miles(double miles) { return absl::StrFormat("%.2f", miles); }

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

}  // namespace

absl::Status ValidateEligibilityQuery(const EligibilityQuery& q) {
  if (q.lot_id.empty()) return Invalid("lot_id", "must not be empty");
  // Written as !(in range) so that NaN fails too.
  if (!(q.latitude >= -90 && q.latitude <= 90)) {
    return Invalid("latitude", absl::StrCat("must be between -90 and 90, got ", q.latitude));
  }
  if (!(q.longitude >= -180 && q.longitude <= 180)) {
    return Invalid("longitude", absl::StrCat("must be between -180 and 180, got ", q.longitude));
  }
  if (!(q.radius_miles > 0 && q.radius_miles <= kMaxRadiusMiles)) {
    return Invalid("radius_miles", absl::StrCat("must be between 0 (exclusive) and ",
                                                kMaxRadiusMiles, ", got ", q.radius_miles));
  }
  if (q.child_age < 0 || q.child_age > kMaxChildAge) {
    return Invalid("child_age",
                   absl::StrCat("must be between 0 and ", kMaxChildAge, ", got ", q.child_age));
  }
  if (!IsKnownGender(q.child_gender)) {
    return Invalid("child_gender",
                   absl::StrCat("must be female, male or other, got \"", q.child_gender, "\""));
  }
  if (q.placement_type.has_value() && !IsCode(*q.placement_type)) {
    return Invalid("placement_type", absl::StrCat("must be a code of a-z, 0-9, '-' or '_', got \"",
                                                  *q.placement_type, "\""));
  }
  for (const std::string& specialism : q.required_specialisms) {
    if (!IsCode(specialism)) {
      return Invalid(
          "required_specialisms",
          absl::StrCat("must be codes of a-z, 0-9, '-' or '_', got \"", specialism, "\""));
    }
  }
  if (q.max_ceiling_pence.has_value() && *q.max_ceiling_pence < 0) {
    return Invalid("max_ceiling_pence",
                   absl::StrCat("must not be negative, got ", *q.max_ceiling_pence));
  }
  if (q.limit < 1 || q.limit > kMaxEligibilityLimit) {
    return Invalid("limit",
                   absl::StrCat("must be between 1 and ", kMaxEligibilityLimit, ", got ", q.limit));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<EligibleEstablishment>> FindEligible(pqxx::work& tx,
                                                                const EligibilityQuery& q) {
  if (absl::Status valid = ValidateEligibilityQuery(q); !valid.ok()) return valid;
  // NULL parameters are passed as null const char*; the SQL casts each one to its type.
  const std::optional<std::string> max_ceiling =
      q.max_ceiling_pence ? std::optional<std::string>(absl::StrCat(*q.max_ceiling_pence))
                          : std::nullopt;
  const std::optional<std::string> as_of =
      q.as_of ? std::optional<std::string>(
                    absl::FormatTime(absl::RFC3339_full, *q.as_of, absl::UTCTimeZone()))
              : std::nullopt;
  try {
    tx.exec0(sql::kEligibilitySettings);
    const pqxx::result rows = tx.exec_params(
        sql::kFindEligible, q.lot_id, ExactDouble(q.latitude), ExactDouble(q.longitude),
        ExactDouble(q.radius_miles),
        ExactDouble(q.radius_miles * kMetresPerMile * kIndexRadiusPadding), q.child_age,
        q.child_gender, q.placement_type ? q.placement_type->c_str() : nullptr,
        absl::StrJoin(q.required_specialisms, ","), max_ceiling ? max_ceiling->c_str() : nullptr,
        as_of ? as_of->c_str() : nullptr, q.limit);
    std::vector<EligibleEstablishment> found;
    found.reserve(rows.size());
    for (const pqxx::row& row : rows) {
      EligibleEstablishment e;
      e.establishment_id = row[0].as<std::string>();
      e.provider_id = row[1].as<std::string>();
      e.membership_id = row[2].as<std::string>();
      e.name = row[3].as<std::string>();
      e.type = row[4].as<std::string>();
      e.latitude = row[5].as<double>();
      e.longitude = row[6].as<double>();
      e.distance_miles = row[7].as<double>();
      e.ceiling_fee_pence = row[8].as<int64_t>();
      if (!row[9].is_null()) e.qualification_score = row[9].as<double>();
      found.push_back(std::move(e));
    }
    return found;
  } catch (const std::exception& e) {
    return platform::StatusFromPgException(e);
  }
}

absl::StatusOr<std::vector<IneligibilityReason>> WhyNotEligible(
    pqxx::work& tx, const EligibilityQuery& q, const std::string& establishment_id) {
  if (absl::Status valid = ValidateEligibilityQuery(q); !valid.ok()) return valid;
  pqxx::result rows;
  try {
    rows = tx.exec_params(sql::kExplainEligibility, q.lot_id, ExactDouble(q.latitude),
                          ExactDouble(q.longitude), establishment_id);
  } catch (const std::exception& e) {
    return platform::StatusFromPgException(e);
  }
  if (rows.empty()) {
    return absl::NotFoundError(absl::StrCat("establishment ", establishment_id, " not found"));
  }
  const pqxx::row row = rows[0];
  const int min_age = row[0].as<int>();
  const int max_age = row[1].as<int>();
  const std::string genders = row[2].as<std::string>();
  const std::string type = row[3].as<std::string>();
  const std::string specialisms = row[4].as<std::string>();
  const double miles = row[5].as<double>();
  const bool member = !row[6].is_null();

  std::vector<IneligibilityReason> reasons;
  // Membership first: the rest of the list still tells a non-member whether the referral would
  // have suited it, but the cost rule needs the membership's fee.
  if (!member) {
    reasons.push_back(
        {EligibilityRule::kMemberOfLot, absl::StrCat("not a member of lot ", q.lot_id)});
  } else {
    const std::string state = row[6].as<std::string>();
    const std::string since = row[7].as<std::string>();
    const std::string reason = row[8].as<std::string>();
    const std::string why = reason.empty() ? "" : absl::StrCat(": ", reason);
    if (state == "EXCLUDED") {
      reasons.push_back({EligibilityRule::kQualified, absl::StrCat("excluded since ", since, why)});
    } else if (state == "SUSPENDED") {
      reasons.push_back(
          {EligibilityRule::kNotSuspended, absl::StrCat("suspended since ", since, why)});
    }
  }
  if (!(miles <= q.radius_miles)) {
    reasons.push_back({EligibilityRule::kWithinRadius,
                       absl::StrCat(Miles(miles), " miles from the child's location; radius ",
                                    q.radius_miles, " miles")});
  }
  if (q.child_age < min_age || q.child_age > max_age) {
    reasons.push_back({EligibilityRule::kAgeRange, absl::StrCat("takes ages ", min_age, "-",
                                                                max_age, "; child ", q.child_age)});
  }
  const std::vector<std::string> taken = absl::StrSplit(genders, ',');
  if (std::find(taken.begin(), taken.end(), q.child_gender) == taken.end()) {
    reasons.push_back({EligibilityRule::kGender, absl::StrCat("takes ", absl::StrJoin(taken, ", "),
                                                              "; child ", q.child_gender)});
  }
  if (q.placement_type.has_value() && *q.placement_type != type) {
    reasons.push_back({EligibilityRule::kPlacementType,
                       absl::StrCat("is ", type, "; referral asks for ", *q.placement_type)});
  }
  const std::set<std::string> offered = absl::StrSplit(specialisms, ',', absl::SkipEmpty());
  std::vector<std::string> missing;
  for (const std::string& s : q.required_specialisms) {
    if (!offered.contains(s)) missing.push_back(s);
  }
  if (!missing.empty()) {
    reasons.push_back({EligibilityRule::kSpecialism,
                       absl::StrCat("does not offer ", absl::StrJoin(missing, ", "))});
  }
  if (member && q.max_ceiling_pence.has_value()) {
    const int64_t fee = row[9].as<int64_t>();
    if (fee > *q.max_ceiling_pence) {
      reasons.push_back(
          {EligibilityRule::kCost,
           absl::StrCat("ceiling fee ", fee, " pence a week; maximum ", *q.max_ceiling_pence)});
    }
  }
  return reasons;
}

}  // namespace dps::qualification
