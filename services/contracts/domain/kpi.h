// KPI returns and performance reviews (docs/rules.md section 8): the lead authority of a purchasing
// system defines the KPIs its providers report per placement; a provider returns them for one IPA
// and one period; the placing authority (or the lead authority) accepts the return or queries it;
// the lead authority reviews an establishment's performance over a period, and the review's
// recommended score change feeds the 6-monthly qualification score adjustment.
//
//   SetKpiDefinitions (lead authority admin) --> the system's KpiDefinitionSet
//   SubmitKpiReturn (provider) --> SUBMITTED --ReviewKpiReturn accept--> ACCEPTED
//                                     ^       --ReviewKpiReturn query--> QUERIED
//                                     +------ SubmitKpiReturn again ------+
//   RecordPerformanceReview (lead authority admin) over ACCEPTED returns
//
// As everywhere in the domain: no clock (`now` is a parameter, "today" its UTC day), bad input is
// InvalidArgument "field: rule", a refused transition FailedPrecondition, the wrong organisation
// or role PermissionDenied, and a function changes what it is given only when it succeeds.
//
// Free text a provider or another council reads (a TEXT value, a query note, a review's findings)
// must not identify a child: platform/text/child_identity.h decides what does.

#ifndef DPS_SERVICES_CONTRACTS_DOMAIN_KPI_H_
#define DPS_SERVICES_CONTRACTS_DOMAIN_KPI_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/contracts/domain/ipa.h"

namespace dps::contracts {

// KPIs a system may define.
inline constexpr size_t kMaxKpiDefinitions = 100;
// A KPI code: 1 to 32 of a-z, 0-9 and '-' ("school-attendance").
inline constexpr size_t kMaxKpiCodeLength = 32;
// The largest PERCENTAGE value, in basis points (100.00%).
inline constexpr int32_t kMaxBasisPoints = 10'000;
// A performance review recommends a score change of at most this many points either way: the
// qualification service's default bound on one adjustment (ScoreAdjustmentPolicy::max_points),
// which applies its own system's bound again when it makes the adjustment.
inline constexpr double kMaxRecommendedScoreDelta = 10.0;

// "FOSTERING", ... as in the API (dps.common.v1.ProvisionType without its prefix).
absl::string_view ProvisionTypeName(ProvisionType type);

// Days from `start` to `end`, both included.
struct DateRange {
  absl::CivilDay start;
  absl::CivilDay end;

  bool operator==(const DateRange&) const = default;
};

// "2027-04-01 to 2027-04-30".
std::string FormatRange(const DateRange& range);

// True when the two ranges share at least one day.
bool Overlaps(const DateRange& a, const DateRange& b);

enum class KpiValueType { kUnspecified, kCount, kPercentage, kYesNo, kText };

// "COUNT", "PERCENTAGE", "YES_NO", "TEXT" as in the API.
absl::string_view KpiValueTypeName(KpiValueType type);

struct KpiDefinition {
  std::string code;         // 1 to 32 of a-z, 0-9, '-'; unique in its system
  std::string title;        // required, at most 200 characters
  std::string description;  // at most 20,000 characters; may be empty
  KpiValueType value_type = KpiValueType::kUnspecified;
  int period_months = 0;                       // how often it is returned: 1 to 12
  std::vector<ProvisionType> provision_types;  // empty: every type

  bool operator==(const KpiDefinition&) const = default;
};

// True when placements of `type` report the KPI.
bool AppliesTo(const KpiDefinition& definition, ProvisionType type);

// The KPIs of one purchasing system, replaced whole by its lead authority.
struct KpiDefinitionSet {
  std::string system_id;
  std::vector<KpiDefinition> definitions;  // in the order given
  std::optional<Actor> updated_by;         // nullopt: never set
  std::optional<absl::Time> updated_at;

  // The definition with `code`, or nullptr.
  const KpiDefinition* Find(absl::string_view code) const;
};

// Replaces the system's definitions. Only a LEAD_AUTHORITY_ADMIN of `lead_authority_id` (the
// system's lead authority) may (PermissionDenied otherwise). Each definition is checked
// (definitions[i].code, .title, ...); codes are unique; at most 100. A code in `codes_in_use`
// (used by a KPI return of the system) cannot be removed, nor change its value type, since the
// returns that used it would read differently (FailedPrecondition).
absl::Status SetKpiDefinitions(KpiDefinitionSet& set, std::vector<KpiDefinition> definitions,
                               const std::set<std::string>& codes_in_use,
                               absl::string_view lead_authority_id, const Actor& by,
                               absl::Time now);

// One value of a return: only the field of its KPI's type is set, the others stay zero or empty.
struct KpiValue {
  std::string code;
  int64_t integer_value = 0;       // COUNT: 0 or more
  int32_t basis_points_value = 0;  // PERCENTAGE: 0 to 10,000
  bool bool_value = false;         // YES_NO
  std::string text_value;          // TEXT: 1 to 256 characters, identifying no child

  bool operator==(const KpiValue&) const = default;
};

enum class KpiReturnState { kSubmitted, kAccepted, kQueried };

// "SUBMITTED", "ACCEPTED", "QUERIED" as in the API.
absl::string_view KpiReturnStateName(KpiReturnState state);

// A provider's KPI return for one placement (IPA) and one period. The parties and system are
// copied from the IPA when it is first submitted, so who may read and review it needs no IPA.
struct KpiReturn {
  std::string id;
  std::string ipa_id;
  std::string system_id;
  std::string lead_authority_id;
  std::string placing_authority_id;
  std::string provider_id;
  std::string establishment_id;
  ProvisionType provision_type = ProvisionType::kUnspecified;
  DateRange period;
  std::vector<KpiValue> values;  // one per KPI of the system that applies, in the order given
  KpiReturnState state = KpiReturnState::kSubmitted;
  // The question of the latest query; kept when the provider resubmits, so the reviewer of the
  // new values sees what was asked.
  std::string query_note;
  std::string submitted_by_user_id;
  absl::Time first_submitted_at;
  absl::Time submitted_at;  // the latest submission
  int submissions = 0;      // 1, and 1 more for each resubmission after a query
  std::optional<Actor> reviewed_by;
  std::optional<absl::Time> reviewed_at;
};

// What a provider submits.
struct KpiReturnInput {
  std::optional<DateRange> period;  // required
  std::vector<KpiValue> values;
};

// The provider's return `return_id` for `ipa` and `input.period`, checked against the system's
// `definitions`; `existing` is the return already stored for the same IPA and period, if any.
//   - the IPA is SIGNED, ACTIVE or ENDED (FailedPrecondition otherwise);
//   - `by` is a PROVIDER_USER of its provider (PermissionDenied otherwise);
//   - the period runs from start to end within the placement: from its start date (the actual
//     one once ACTIVE), to today at the latest, and to its last day once ENDED;
//   - every value names a KPI of the system that applies to the IPA's provision type, once, and
//     is of that KPI's type; every such KPI is answered (and there is at least one);
//   - with no `existing` return a new SUBMITTED one is made (`return_id` an identifier); a
//     QUERIED `existing` one gets the new values and is SUBMITTED again (keeping its id); any
//     other `existing` one is FailedPrecondition: one return per IPA per period.
absl::StatusOr<KpiReturn> SubmitKpiReturn(const Ipa& ipa, const KpiDefinitionSet& definitions,
                                          const std::optional<KpiReturn>& existing,
                                          absl::string_view return_id, KpiReturnInput input,
                                          const Actor& by, absl::Time now);

// Who may read a return: its two parties (the placing authority's officers and commissioners, the
// provider's users), the lead authority's admins and auditors, DPS services.
bool MayReadKpiReturn(const KpiReturn& kpi_return, const Actor& actor);

// A PLACING_OFFICER or COMMISSIONER of the placing authority, or a LEAD_AUTHORITY_ADMIN of the
// lead authority, reviews a SUBMITTED return: `accept` makes it ACCEPTED (with no note), else it
// is QUERIED with `query_note` (required, at most 20,000 characters, identifying no child).
absl::Status ReviewKpiReturn(KpiReturn& kpi_return, bool accept, absl::string_view query_note,
                             const Actor& by, absl::Time now);

enum class PerformanceRating { kUnspecified, kExceeds, kMeets, kPartlyMeets, kDoesNotMeet };

// "EXCEEDS", "MEETS", "PARTLY_MEETS", "DOES_NOT_MEET" as in the API.
absl::string_view PerformanceRatingName(PerformanceRating rating);

// The lead authority's contract-management review of an establishment over a period.
struct PerformanceReview {
  std::string id;
  std::string system_id;
  std::string lead_authority_id;
  std::string establishment_id;
  std::string provider_id;
  DateRange period;
  PerformanceRating rating = PerformanceRating::kUnspecified;
  std::string findings;
  std::vector<std::string> kpi_return_ids;
  double recommended_score_delta = 0;  // points, -10 to +10
  std::string score_adjustment_id;     // set once the qualification service adjusts the score
  Actor reviewed_by;
  absl::Time reviewed_at;
};

struct PerformanceReviewInput {
  std::string system_id;
  std::string establishment_id;
  std::optional<DateRange> period;                             // required; ends today at the latest
  PerformanceRating rating = PerformanceRating::kUnspecified;  // required
  std::string findings;  // required, at most 256 characters, identifying no child
  std::vector<std::string> kpi_return_ids;  // at most 100, no repeats; may be empty
  double recommended_score_delta = 0;       // finite, within +/- kMaxRecommendedScoreDelta
};

// A review `review_id` by a LEAD_AUTHORITY_ADMIN of `lead_authority_id` (the system's lead
// authority; PermissionDenied otherwise) of an establishment of `provider_id` (empty: the
// establishment has no placement in the system, and a review of it is FailedPrecondition).
// `returns` are the returns `input.kpi_return_ids` name, as loaded: each must be an ACCEPTED return
// of that establishment in that system whose period overlaps the review's (InvalidArgument
// otherwise, naming kpi_return_ids[i]).
absl::StatusOr<PerformanceReview> RecordPerformanceReview(absl::string_view review_id,
                                                          PerformanceReviewInput input,
                                                          absl::string_view lead_authority_id,
                                                          absl::string_view provider_id,
                                                          const std::vector<KpiReturn>& returns,
                                                          const Actor& by, absl::Time now);

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_DOMAIN_KPI_H_
