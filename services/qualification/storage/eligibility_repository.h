// The eligibility query of the qualification register: which members of a lot may be invited to
// a referral (docs/rules.md section 5), and why a given establishment may not.
//
// An establishment is eligible when its membership of the lot is QUALIFIED (not suspended, not
// excluded), it lies within the radius of the child's location, takes the child's age and
// gender, and passes every pre-selection filter given. Distance is great-circle haversine with
// R = 3958.8 miles, as the scoring engine measures it: the radius is applied to that exact
// distance, so the result equals a brute-force haversine over the register (the spatial index
// only narrows the candidates; see README.md).
//
//   EligibilityQuery q{.lot_id = "LOT-RES", .latitude = 51.5, .longitude = -0.12,
//                      .radius_miles = 20, .child_age = 12, .child_gender = "female"};
//   absl::StatusOr<std::vector<EligibleEstablishment>> found = FindEligible(tx, q);
//   absl::StatusOr<std::vector<IneligibilityReason>> why = WhyNotEligible(tx, q, "EST-000042");
//
// Every eligible member is invited to a referral, so a caller walks all the pages:
//
//   q.limit = 500;
//   do {
//     absl::StatusOr<EligibilityPage> page = FindEligiblePage(tx, q);
//     if (!page.ok()) return page.status();
//     Invite(page->establishments);
//     q.page_token = page->next_page_token;
//   } while (!q.page_token.empty());
//
// The query reads invitable_members, a copy of the QUALIFIED memberships kept by triggers
// (migrations/0002_invitable_members.sql), so a change to a membership, a score or an
// establishment is visible to the next query, in the same transaction too.
//
// Both take the caller's transaction (run them through PgPool::InTransaction) and return
// InvalidArgument naming the field and the rule for a bad query, before touching the database.
// Database failures become a status as PgPool describes; they never throw.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_ELIGIBILITY_REPOSITORY_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_ELIGIBILITY_REPOSITORY_H_

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace dps::qualification {

inline constexpr double kMaxRadiusMiles = 500;
inline constexpr int kMaxChildAge = 25;
inline constexpr int kMaxEligibilityLimit = 10000;

struct EligibilityQuery {
  std::string lot_id;
  double latitude = 0;  // the child's location (postcode-district centroid), WGS84 degrees
  double longitude = 0;
  double radius_miles = 0;   // (0, 500]
  int child_age = 0;         // years, 0-25
  std::string child_gender;  // "female", "male" or "other" (non-binary or self-described)
  // Pre-selection filters; absent or empty match every establishment.
  std::optional<std::string> provision_type;      // the register's type, e.g. "childrens_home"
  std::vector<std::string> placement_types;       // the establishment offers at least one
  std::vector<std::string> required_specialisms;  // the establishment offers every one
  std::optional<int64_t> max_ceiling_pence;       // the weekly ceiling fee is at most this
  // The instant whose qualification score is reported (the referral's close); absent: the
  // transaction's start. Membership state is always the current one.
  std::optional<absl::Time> as_of;
  // The page size: at most this many results, nearest first (1 to 10,000).
  int limit = kMaxEligibilityLimit;
  // Empty for the first page; otherwise a next_page_token FindEligiblePage returned for the same
  // query. It means "after this (distance, establishment id)", so pages neither skip nor repeat
  // a member while the register stays as it was; a member that moves or changes state between
  // pages is seen where it is when the page is read. Opaque: do not build or parse one.
  std::string page_token;
};

struct EligibleEstablishment {
  std::string establishment_id;
  std::string provider_id;
  std::string membership_id;
  std::string name;
  std::string type;
  double latitude = 0;
  double longitude = 0;
  double distance_miles = 0;  // haversine, R = 3958.8 miles
  int64_t ceiling_fee_pence = 0;
  // The score in force at the query's as_of; absent in a pass/fail-only lot.
  std::optional<double> qualification_score;
};

struct EligibilityPage {
  std::vector<EligibleEstablishment> establishments;  // nearest first, then by establishment id
  std::string next_page_token;                        // empty when there are no more
};

// The rules of eligibility, in the order WhyNotEligible checks them (the order of EligibilityRule
// in proto/dps/qualification/v1/qualification.proto, which the service maps each one to by name).
enum class EligibilityRule {
  kMemberOfLot,
  kQualified,  // not EXCLUDED
  kNotSuspended,
  kWithinRadius,
  kAgeRange,
  kGender,
  kPlacementType,  // offers at least one of the placement types asked for (e.g. 52_week)
  kSpecialism,     // offers every specialism asked for
  kProvisionType,  // is of the provision type asked for
  kCost,
};

struct IneligibilityReason {
  EligibilityRule rule;
  // For the provider to read, e.g. "23.41 miles from the child's location; radius 20 miles".
  std::string detail;
};

// OK, or InvalidArgument naming the first bad field and its rule, e.g.
//   radius_miles: must be between 0 (exclusive) and 500, got -3
// A page token that FindEligiblePage did not issue is "page_token: not a token of this query".
absl::Status ValidateEligibilityQuery(const EligibilityQuery& query);

// One page of the eligible establishments, nearest first, then by establishment id: at most
// query.limit of them, after query.page_token. next_page_token is set only when more follow.
absl::StatusOr<EligibilityPage> FindEligiblePage(pqxx::work& tx, const EligibilityQuery& query);

// FindEligiblePage's establishments alone: the first query.limit (after query.page_token).
absl::StatusOr<std::vector<EligibleEstablishment>> FindEligible(pqxx::work& tx,
                                                                const EligibilityQuery& query);

// Every rule `establishment_id` fails for `query`, in EligibilityRule order (empty: it is
// eligible, and FindEligible with a large enough limit returns it). A non-member still learns
// which of the establishment's own rules (radius, age, gender, type, specialisms) it would fail;
// the cost rule needs a membership's fee. NotFound when no such establishment exists.
absl::StatusOr<std::vector<IneligibilityReason>> WhyNotEligible(
    pqxx::work& tx, const EligibilityQuery& query, const std::string& establishment_id);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_ELIGIBILITY_REPOSITORY_H_
