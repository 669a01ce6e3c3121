#include "services/qualification/storage/eligibility_repository.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <exception>
#include <set>
#include <system_error>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "platform/codes/codes.h"
#include "platform/errors/errors.h"
#include "platform/pg/pool.h"
#include "services/qualification/storage/sql.h"

namespace dps::qualification {
namespace {

constexpr double kEarthRadiusMiles = 3958.8;  // haversine's, as in haversine_miles()
constexpr double kPi = 3.14159265358979323846;
constexpr double kDegreesPerRadian = 180 / kPi;

// A latitude/longitude box in degrees; invitable_members.position is (longitude, latitude).
struct Box {
  double min_latitude, max_latitude, min_longitude, max_longitude;
};

// The index only narrows the candidates; haversine_miles() decides. So the boxes must hold every
// point whose computed haversine distance is within the radius, despite rounding in both: the
// angle is widened by 0.1% (rounding is ~1e-15 relative) and a nano-radian (for radii so small
// that a relative margin is nothing).
constexpr double kBoxPadding = 1.001;
constexpr double kBoxPaddingRadians = 1e-9;

// The box that holds the spherical cap of `radius_miles` round the point. Latitude spans the
// angle either side; longitude spans asin(sin(angle) / cos(latitude)) either side, the meridians
// tangent to the cap. When the cap holds a pole or crosses the antimeridian the longitude range
// is all of it, which is correct (the haversine still decides) and only slower; the register is
// in England and Wales.
Box BoundingBox(double latitude, double longitude, double radius_miles) {
  const double angle = radius_miles / kEarthRadiusMiles * kBoxPadding + kBoxPaddingRadians;
  const double degrees = angle * kDegreesPerRadian;
  Box box{latitude - degrees, latitude + degrees, -180, 180};
  if (box.min_latitude <= -90 || box.max_latitude >= 90) return box;
  const double sine = std::sin(angle) / std::cos(latitude / kDegreesPerRadian);
  if (!(sine < 1)) return box;
  const double half_width = std::asin(sine) * kDegreesPerRadian;
  if (longitude - half_width <= -180 || longitude + half_width >= 180) return box;
  box.min_longitude = longitude - half_width;
  box.max_longitude = longitude + half_width;
  return box;
}

// The half-width in longitude (radians) of the spherical cap of angular radius `angle` round
// latitude `phi0`, at latitude `phi`: 0 where the parallel misses the cap, pi where the cap holds
// the whole parallel. Written with haversines, which stay exact for small angles where acos of
// the cosine rule would lose half the digits.
double CapHalfWidth(double phi0, double angle, double phi) {
  const auto hav = [](double x) { return std::sin(x / 2) * std::sin(x / 2); };
  const double across = std::cos(phi) * std::cos(phi0);
  if (across <= 0) return kPi;
  const double h = (hav(angle) - hav(phi - phi0)) / across;
  if (h <= 0) return 0;
  if (h >= 1) return kPi;
  return 2 * std::asin(std::sqrt(h));
}

constexpr int kRingBands = 8;

// Boxes covering the points within `outer_miles` of the point that may be `inner_miles` or
// farther: a ring, drawn as kRingBands bands of latitude, each one box wide enough for the outer
// circle there, less the middle part that lies inside the inner circle (then two boxes). So the
// index reads about the ring, not the box round the whole circle: a later page does not read
// again the members that earlier pages returned.
//
// Why it is safe: the width in longitude of a circle at a latitude rises to one maximum (at
// asin(sin(latitude) / cos(angle))) and falls, so over a band the outer circle is widest at that
// latitude or at an edge, and the inner narrowest at an edge. The outer angle is padded
// (kBoxPadding) and the inner one shrunk by 0.2%, far beyond rounding. Near a pole or the
// antimeridian it falls back to the one bounding box.
std::vector<Box> RingBoxes(double latitude, double longitude, double inner_miles,
                           double outer_miles) {
  const Box bounds = BoundingBox(latitude, longitude, outer_miles);
  if (bounds.min_longitude == -180 || outer_miles < 1) return {bounds};
  const double phi0 = latitude / kDegreesPerRadian;
  const double outer = outer_miles / kEarthRadiusMiles * kBoxPadding + kBoxPaddingRadians;
  const double inner = inner_miles / kEarthRadiusMiles * 0.998;
  const double widest = std::asin(std::min(1.0, std::sin(phi0) / std::cos(outer)));
  const double band = (bounds.max_latitude - bounds.min_latitude) / kRingBands;
  std::vector<Box> boxes;
  for (int i = 0; i < kRingBands; ++i) {
    const double low = bounds.min_latitude + band * i;
    const double high = i + 1 == kRingBands ? bounds.max_latitude : low + band;
    const double phi_low = low / kDegreesPerRadian;
    const double phi_high = high / kDegreesPerRadian;
    const double outer_width =
        (widest >= phi_low && widest <= phi_high)
            ? CapHalfWidth(phi0, outer, widest)
            : std::max(CapHalfWidth(phi0, outer, phi_low), CapHalfWidth(phi0, outer, phi_high));
    const double outer_degrees =
        std::min(outer_width * kDegreesPerRadian, longitude - bounds.min_longitude);
    const double inner_degrees = inner > 0 ? std::min(CapHalfWidth(phi0, inner, phi_low),
                                                      CapHalfWidth(phi0, inner, phi_high)) *
                                                 kDegreesPerRadian
                                           : 0;
    if (inner_degrees <= 0 || inner_degrees >= outer_degrees) {
      boxes.push_back({low, high, longitude - outer_degrees, longitude + outer_degrees});
    } else {
      boxes.push_back({low, high, longitude - outer_degrees, longitude - inner_degrees});
      boxes.push_back({low, high, longitude + inner_degrees, longitude + outer_degrees});
    }
  }
  return boxes;
}

// A box[] literal; box's array delimiter is ';'. Degrees with 17 digits, so exact.
std::string BoxArray(const std::vector<Box>& boxes) {
  std::string out = "{";
  for (size_t i = 0; i < boxes.size(); ++i) {
    absl::StrAppendFormat(&out, "%s(%.17g,%.17g),(%.17g,%.17g)", i == 0 ? "" : ";",
                          boxes[i].min_longitude, boxes[i].min_latitude, boxes[i].max_longitude,
                          boxes[i].max_latitude);
  }
  return out + "}";
}

// The bit of invitable_members.genders_mask for a gender of the query's vocabulary.
int GenderBit(const std::string& gender) {
  if (gender == "female") return 1;
  if (gender == "male") return 2;
  return 4;
}

// A page token: the last row's (distance, establishment id), and the distance of the page's
// first row, from which the next page guesses how far out it must look. Distances have 17
// significant digits so they come back as the same doubles; base64 so that callers treat the
// token as opaque.
struct Position {
  double miles = 0;
  double page_start_miles = 0;
  std::string establishment_id;
};

std::string PageToken(const Position& p) {
  return absl::WebSafeBase64Escape(
      absl::StrFormat("%.17g,%.17g,%s", p.miles, p.page_start_miles, p.establishment_id));
}

std::optional<Position> ParsePageToken(const std::string& token) {
  std::string text;
  if (!absl::WebSafeBase64Unescape(token, &text)) return std::nullopt;
  const std::vector<std::string> parts = absl::StrSplit(text, absl::MaxSplits(',', 2));
  if (parts.size() != 3 || parts[2].empty()) return std::nullopt;
  Position p;
  if (!absl::SimpleAtod(parts[0], &p.miles) || !absl::SimpleAtod(parts[1], &p.page_start_miles)) {
    return std::nullopt;
  }
  if (!(p.miles >= 0 && p.miles <= kMaxRadiusMiles && p.page_start_miles >= 0 &&
        p.page_start_miles <= p.miles)) {
    return std::nullopt;
  }
  p.establishment_id = parts[2];
  return p;
}

// How far out the first ring of a page reaches. The first page tries a quarter of the radius
// (a sixteenth of its area); a later page, the area the previous page needed, and a quarter
// more, beyond where it ended. A wrong guess costs another ring, never a wrong answer.
double FirstRingMiles(const std::optional<Position>& after, double radius_miles) {
  if (!after) return radius_miles / 4;
  const double d = after->miles;
  const double previous_area = d * d - after->page_start_miles * after->page_start_miles;
  return std::max(std::sqrt(d * d + 1.25 * previous_area), d + radius_miles / 64);
}

// The next ring after one from `inner` to `outer` miles that found `found` members and left
// `missing` to find: as much more area as those need at the density just seen, and a third
// more; four times the area so far when it found none. Areas are in squared miles (a flat
// approximation is enough for a guess).
double NextRingMiles(double inner, double outer, size_t found, size_t missing,
                     double radius_miles) {
  const double area = outer * outer - inner * inner;
  const double more = found == 0
                          ? 3 * outer * outer
                          : 1.33 * area * static_cast<double>(missing) / static_cast<double>(found);
  return std::min(radius_miles,
                  std::max(std::sqrt(outer * outer + more), outer + radius_miles / 64));
}

// Fields are read in place: libpqxx 6's as<double>() goes through a stringstream, which costs
// more than the query for a page of 500 rows. std::from_chars is exact, as the float8 text
// PostgreSQL sends is the shortest that reads back as the same double.
template <typename Number>
Number ParseNumber(const pqxx::field& field) {
  Number value{};
  const char* begin = field.c_str();
  const char* end = begin + field.size();
  const std::from_chars_result parsed = std::from_chars(begin, end, value);
  if (parsed.ec != std::errc() || parsed.ptr != end) {
    throw pqxx::conversion_error(absl::StrCat("column ", field.name(), ": not a number: ", begin));
  }
  return value;
}

std::string Text(const pqxx::field& field) { return std::string(field.c_str(), field.size()); }

bool IsKnownGender(const std::string& gender) {
  return gender == "female" || gender == "male" || gender == "other";
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
    return Invalid("child_gender", absl::StrCat("must be female, male or other, got ",
                                                platform::Quote(q.child_gender)));
  }
  // The codes the lots and establishments were given by the same rule, so a code they accept is
  // never refused here; it also keeps ',' out, which joins them for string_to_array.
  if (q.provision_type.has_value()) {
    if (absl::Status s = platform::CheckCode("provision_type", *q.provision_type); !s.ok()) {
      return s;
    }
  }
  const std::pair<const std::vector<std::string>*, absl::string_view> code_lists[] = {
      {&q.placement_types, "placement_types"}, {&q.required_specialisms, "required_specialisms"}};
  for (const auto& [codes, field] : code_lists) {
    for (size_t i = 0; i < codes->size(); ++i) {
      if (absl::Status s = platform::CheckCode(absl::StrCat(field, "[", i, "]"), (*codes)[i]);
          !s.ok()) {
        return s;
      }
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
  if (!q.page_token.empty() && !ParsePageToken(q.page_token).has_value()) {
    return Invalid("page_token", "not a token of this query");
  }
  return absl::OkStatus();
}

absl::StatusOr<EligibilityPage> FindEligiblePage(pqxx::work& tx, const EligibilityQuery& q) {
  if (absl::Status valid = ValidateEligibilityQuery(q); !valid.ok()) return valid;
  // NULL parameters are passed as null const char*; the SQL casts each one to its type.
  const auto text_or_null = [](const std::optional<std::string>& s) {
    return s ? s->c_str() : nullptr;
  };
  const std::optional<std::string> max_ceiling =
      q.max_ceiling_pence ? std::optional<std::string>(absl::StrCat(*q.max_ceiling_pence))
                          : std::nullopt;
  const std::optional<std::string> as_of =
      q.as_of ? std::optional<std::string>(
                    absl::FormatTime(absl::RFC3339_full, *q.as_of, absl::UTCTimeZone()))
              : std::nullopt;
  const std::optional<Position> after =
      q.page_token.empty() ? std::nullopt : ParsePageToken(q.page_token);  // validated above
  const std::optional<std::string> after_miles =
      after ? std::optional<std::string>(ExactDouble(after->miles)) : std::nullopt;
  const std::optional<std::string> after_id =
      after ? std::optional<std::string>(after->establishment_id) : std::nullopt;
  const std::string placement_types = absl::StrJoin(q.placement_types, ",");
  const std::string specialisms = absl::StrJoin(q.required_specialisms, ",");
  // One row more than the page, to know whether another page follows.
  const size_t wanted = static_cast<size_t>(q.limit) + 1;
  try {
    tx.exec0(sql::kEligibilitySettings);
    // Registering the statement is a map look-up when this connection already has it; libpqxx
    // prepares it on the server at its first execution there.
    tx.conn().prepare(sql::kFindEligibleName, sql::kFindEligible);

    // The page is read in rings round the child, each beyond the last, until one ends with the
    // page full or at the radius. Every ring returns, in order, all the eligible members between
    // its inner and outer radius (after the token), so the rings joined are the page. The
    // index then reads about a page's worth of members, not every one within the radius, and
    // the last page of a large result costs what the first does: the inner box leaves out most
    // of the members nearer than the ring, which earlier pages returned.
    EligibilityPage page;
    std::optional<double> inner;  // exclusive; absent: from the child's location (or the token)
    double outer = std::min(FirstRingMiles(after, q.radius_miles), q.radius_miles);
    while (true) {
      const double ring_inner = inner ? *inner : after ? after->miles : 0;
      const std::optional<std::string> inner_text =
          inner ? std::optional<std::string>(ExactDouble(*inner)) : std::nullopt;
      const pqxx::result rows = tx.exec_prepared(
          sql::kFindEligibleName, q.lot_id, ExactDouble(q.latitude), ExactDouble(q.longitude),
          ExactDouble(outer), BoxArray(RingBoxes(q.latitude, q.longitude, ring_inner, outer)),
          q.child_age, GenderBit(q.child_gender), text_or_null(q.provision_type), specialisms,
          text_or_null(max_ceiling), text_or_null(as_of), text_or_null(after_miles),
          text_or_null(after_id), text_or_null(inner_text),
          static_cast<int64_t>(wanted - page.establishments.size()), placement_types);
      for (const pqxx::row& row : rows) {
        EligibleEstablishment e;
        e.establishment_id = Text(row[0]);
        e.provider_id = Text(row[1]);
        e.membership_id = Text(row[2]);
        e.name = Text(row[3]);
        e.type = Text(row[4]);
        e.latitude = ParseNumber<double>(row[5]);
        e.longitude = ParseNumber<double>(row[6]);
        e.distance_miles = ParseNumber<double>(row[7]);
        e.ceiling_fee_pence = ParseNumber<int64_t>(row[8]);
        if (!row[9].is_null()) e.qualification_score = ParseNumber<double>(row[9]);
        page.establishments.push_back(std::move(e));
      }
      if (page.establishments.size() >= wanted || outer >= q.radius_miles) break;
      inner = outer;
      outer = NextRingMiles(ring_inner, outer, rows.size(), wanted - page.establishments.size(),
                            q.radius_miles);
    }
    if (page.establishments.size() == wanted) {
      page.establishments.pop_back();
      page.next_page_token =
          PageToken({.miles = page.establishments.back().distance_miles,
                     .page_start_miles = page.establishments.front().distance_miles,
                     .establishment_id = page.establishments.back().establishment_id});
    }
    return page;
  } catch (const std::exception& e) {
    return platform::StatusFromPgException(e);
  }
}

absl::StatusOr<std::vector<EligibleEstablishment>> FindEligible(pqxx::work& tx,
                                                                const EligibilityQuery& q) {
  absl::StatusOr<EligibilityPage> page = FindEligiblePage(tx, q);
  if (!page.ok()) return page.status();
  return std::move(page->establishments);
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
  const std::string placement_types = row[10].as<std::string>();
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
  if (!q.placement_types.empty()) {
    const std::set<std::string> offered = absl::StrSplit(placement_types, ',', absl::SkipEmpty());
    if (std::none_of(q.placement_types.begin(), q.placement_types.end(),
                     [&](const std::string& asked) { return offered.contains(asked); })) {
      reasons.push_back(
          {EligibilityRule::kPlacementType,
           absl::StrCat("offers ", offered.empty() ? "no placement type" : placement_types,
                        "; referral asks for one of ", absl::StrJoin(q.placement_types, ", "))});
    }
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
  if (q.provision_type.has_value() && *q.provision_type != type) {
    reasons.push_back({EligibilityRule::kProvisionType,
                       absl::StrCat("is ", type, "; referral asks for ", *q.provision_type)});
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
