// The publication of awards (docs/rules.md sections 3 and 7): what a purchasing system must publish
// of the IPAs it awarded, and when. The regime decides the shape:
//
//   regime                  publication
//   PCR2015_DPS             QUARTERLY: every award of a calendar quarter, due within 30 days of
//   LIGHT_TOUCH             the quarter's end
//   PA2023_DYNAMIC_MARKET   CONTRACT_AWARD_NOTICE: one notice per award, then, once both
//                           parties have signed, CONTRACT_DETAILS_NOTICE: one per contract,
//                           due within 30 days of its being entered into
//
// The bytes published (an OCDS 1.1 release package) are written by services/contracts/publication;
// this file holds the rules around them: quarters and their deadline, which awards a quarter
// holds, the value stated, and the Publication record with its one change, MarkPublished.
//
// The deadline of a quarter: publish_by = the quarter's last day + 30 days. "Within 30 days of its
// end" counts the days after the last day, so the 30th of them is still in time. Worked example:
// 2027 Q1 ends on Wednesday 31 March 2027; 31 March + 30 days = Friday 30 April 2027, the last day
// the publication is on time. Q4 2027 ends on 31 December, so it is due by 30 January 2028.
//
// A contract details notice counts the same way from the day the contract was entered into, the
// day the second party signed its first version: signed on Monday 5 April 2027, it is due by
// Wednesday 5 May 2027. It follows the award's notice, so it is refused until that exists.
//
// Nothing here reads the clock: instants are parameters, in UTC, and an instant's day is its UTC
// day. Errors take the platform's shapes (fields.h): InvalidArgument "field: rule",
// FailedPrecondition naming the publication's state, PermissionDenied for the wrong caller.
#ifndef DPS_SERVICES_CONTRACTS_DOMAIN_PUBLICATION_H_
#define DPS_SERVICES_CONTRACTS_DOMAIN_PUBLICATION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/contracts/domain/ipa.h"

namespace dps::contracts {

// The procurement regime of a purchasing system (dps.common.v1.Regime).
enum class Regime { kUnspecified, kPcr2015Dps, kLightTouch, kPa2023DynamicMarket };

// "PCR2015_DPS", "LIGHT_TOUCH", "PA2023_DYNAMIC_MARKET" ("UNSPECIFIED").
absl::string_view RegimeName(Regime regime);

// dps.contracts.v1.PublicationKind.
enum class PublicationKind {
  kUnspecified,
  kQuarterly,
  kContractAwardNotice,
  kContractDetailsNotice,
};

// "QUARTERLY", "CONTRACT_AWARD_NOTICE", "CONTRACT_DETAILS_NOTICE" ("UNSPECIFIED").
absl::string_view PublicationKindName(PublicationKind kind);

enum class PublicationState {
  kProduced,   // the package exists
  kPublished,  // the lead authority recorded where it published it
};

// "PRODUCED", "PUBLISHED".
absl::string_view PublicationStateName(PublicationState state);

// The oldest and newest year a quarter may name: a system runs for years, not centuries, and the
// bound keeps every day computed from a quarter an ordinary calendar day.
inline constexpr int kMinPublicationYear = 2000;
inline constexpr int kMaxPublicationYear = 2999;

// A calendar quarter: 1 is January to March, 4 October to December.
struct Quarter {
  int year = 0;
  int quarter = 0;

  bool operator==(const Quarter&) const = default;
};

// `field`.year from kMinPublicationYear to kMaxPublicationYear, `field`.quarter 1 to 4:
//   ValidateQuarter("quarter", {2027, 5}) -> InvalidArgument "quarter.quarter: must be 1 to 4"
absl::Status ValidateQuarter(absl::string_view field, const Quarter& quarter);

// The quarter `day` falls in.
Quarter QuarterOf(absl::CivilDay day);

// The first and last days of a valid quarter: 2027 Q2 is 1 April to 30 June 2027.
absl::CivilDay FirstDayOf(const Quarter& quarter);
absl::CivilDay LastDayOf(const Quarter& quarter);

// The regulations allow this many days after the quarter's last day (the header's example).
inline constexpr int kQuarterlyPublicationDays = 30;

// The last day a quarter's publication is on time: LastDayOf(quarter) + 30 days.
absl::CivilDay PublishByOf(const Quarter& quarter);

// "2027-Q2": how a quarter is named in messages, uris and release ids.
std::string QuarterLabel(const Quarter& quarter);

// The UTC day an IPA's award was made (Ipa::awarded_at).
absl::CivilDay AwardDayOf(const Ipa& ipa);

// True when the IPA's award was made within the quarter (its award day, AwardDayOf, from the
// first day to the last, both included).
bool AwardedIn(const Ipa& ipa, const Quarter& quarter);

// The IPAs of `ipas` awarded within the quarter, in the order given.
std::vector<Ipa> AwardsIn(const std::vector<Ipa>& ipas, const Quarter& quarter);

// The day an award's value is stated on: its terms' start date, or the award day when the
// terms do not give one yet (a DRAFT being completed).
absl::CivilDay ValueDayOf(const Ipa& ipa);

// An award's value a year: its weekly total on ValueDayOf (costs.h WeeklyCostOfTerms over
// Ipa::terms()) x 52. A valid IPA's weekly total is at most kMaxPence, so this is at most
// 52 x kMaxPence, far inside int64.
int64_t AnnualValuePence(const Ipa& ipa);

// The sum of AnnualValuePence over `ipas`. Each addition is checked: a sum beyond int64 (some
// 1.7 million awards at the largest fee) is OutOfRange "total_annual_value: ..." rather than a
// wrapped number.
absl::StatusOr<int64_t> TotalAnnualValuePence(const std::vector<Ipa>& ipas);

// The kind of publication a regime requires of each award: QUARTERLY for PCR2015_DPS and
// LIGHT_TOUCH, CONTRACT_AWARD_NOTICE for PA2023_DYNAMIC_MARKET. FailedPrecondition when the regime
// is not known ("system: has no regime").
absl::StatusOr<PublicationKind> KindForRegime(Regime regime);

// OK when the regime publishes `kind` (KindForRegime's, and CONTRACT_DETAILS_NOTICE as well under
// PA2023_DYNAMIC_MARKET); otherwise InvalidArgument naming both:
//   kind: a PCR2015_DPS system publishes QUARTERLY, not CONTRACT_AWARD_NOTICE
absl::Status CheckKindForRegime(Regime regime, PublicationKind kind);

// The days a contract details notice may follow the contract's being entered into (the header).
inline constexpr int kContractDetailsNoticeDays = 30;

// When the IPA's contract was entered into: the moment its first version came into force (the
// second party's signature). FailedPrecondition naming the IPA's state before that:
//   ipa_id: IPA ipa-1 is ISSUED: a contract details notice follows both parties' signatures
absl::StatusOr<absl::Time> EnteredIntoAt(const Ipa& ipa);

// The last day a contract details notice is on time: the UTC day of `entered_into` + 30 days.
absl::CivilDay DetailsNoticeDueBy(absl::Time entered_into);

// What publishing needs to know of a purchasing system, which the qualification service owns:
// its name and regime, who leads it, and which authorities take part (the lead authority among
// them), whose officers and commissioners read its publications.
struct SystemFacts {
  std::string id;
  std::string name;
  Regime regime = Regime::kUnspecified;
  std::string lead_authority_id;
  std::string lead_authority_name;         // empty: not known; the id stands in
  std::vector<std::string> authority_ids;  // every participating authority

  bool operator==(const SystemFacts&) const = default;
};

// A produced publication: the release package's hash and what it states, and whether and where
// the lead authority has published it. The bytes are storage's to keep beside it.
struct Publication {
  std::string id;
  std::string system_id;
  // The authority leading the system: its admins mark the publication published.
  std::string lead_authority_id;
  PublicationKind kind = PublicationKind::kUnspecified;
  std::optional<Quarter> quarter;        // QUARTERLY
  std::string ipa_id;                    // per-award notices
  int award_count = 0;                   // releases in the package
  int64_t total_annual_value_pence = 0;  // TotalAnnualValuePence of its awards
  // QUARTERLY: PublishByOf(quarter); CONTRACT_DETAILS_NOTICE: DetailsNoticeDueBy
  std::optional<absl::CivilDay> publish_by;
  std::string sha256;  // lowercase hex, of the package's bytes
  PublicationState state = PublicationState::kProduced;
  absl::Time produced_at;
  std::string produced_by_user_id;
  std::optional<absl::Time> published_at;
  std::string external_reference;  // e.g. the Contracts Finder or Find a Tender notice id
  std::string published_by_user_id;

  bool operator==(const Publication&) const = default;
};

// PRODUCED -> PUBLISHED: the lead authority records where (`reference`, e.g. a Find a Tender
// notice id) and when (`at`) it published the package. Refused:
//   - a caller who is not a LEAD_AUTHORITY_ADMIN of the publication's lead authority
//     (PermissionDenied);
//   - a publication already PUBLISHED (FailedPrecondition: it is recorded once);
//   - a blank reference or one longer than 256 characters ("external_reference: ...");
//   - `at` before the publication was produced or after `now` ("published_at: ...").
// Changes `publication` only when it succeeds.
absl::Status MarkPublished(Publication& publication, absl::string_view reference, absl::Time at,
                           const Actor& by, absl::Time now);

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_DOMAIN_PUBLICATION_H_
