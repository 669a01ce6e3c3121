// The terms of an Individual Placement Agreement (docs/rules.md section 7): what the placement is
// for, its dates, key contacts, costs, incentive, notice period, the documents forming the contract
// and who signs. A DRAFT holds one set of terms; every issued version holds its own full copy, and
// a variation carries a complete new copy rather than a difference, so each version reads alone.
//
// ValidateTerms checks the shape of whatever arrives (a draft may be incomplete); CheckComplete
// adds what a version must have before it is rendered and signed. Errors are InvalidArgument
// "field: rule" with the field spelt as in the API, under the prefix the caller gives:
//   terms.costs.additional_services[1].end_date: required

#ifndef DPS_SERVICES_CONTRACTS_DOMAIN_TERMS_H_
#define DPS_SERVICES_CONTRACTS_DOMAIN_TERMS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace dps::contracts {

// The two contracting parties.
enum class Party { kUnspecified, kPlacingAuthority, kProvider };

// "PLACING_AUTHORITY", "PROVIDER" as in the API.
absl::string_view PartyName(Party party);

// The type of provision (dps.common.v1.ProvisionType).
enum class ProvisionType {
  kUnspecified,
  kInmss,
  kSpecialistCollege,
  kFostering,
  kResidentialHome,
  kShortBreaks,
  kAlternativeEducation,
  kSupportedAccommodation,
  kBespokeIntervention,
};

// An independent fostering agency's placement ends on 28 days' notice unless its IPA says
// otherwise (docs/rules.md section 7; seed 003's IFA terms). Every other provision takes its lot's
// notice period, copied into the IPA's terms.
inline constexpr int kFosteringNoticePeriodDays = 28;
inline constexpr int kMaxNoticePeriodDays = 365;
// A placement is planned for at most 25 years: children's services place young people up to 25.
inline constexpr int kMaxPlacementYears = 25;

// A key contact named in the IPA (social worker, registered manager, finance).
struct KeyContact {
  Party party = Party::kUnspecified;
  std::string role;
  std::string name;
  std::string email;
  std::string phone;

  bool operator==(const KeyContact&) const = default;
};

enum class DiscountKind { kUnspecified, kSibling, kPermanence };

// A discount off the core weekly fee, in basis points (500 = 5%). Discounts add up and apply to
// the core fee only, as in the mini-competition (docs/rules.md section 6).
struct Discount {
  DiscountKind kind = DiscountKind::kUnspecified;
  int basis_points = 0;

  bool operator==(const Discount&) const = default;
};

// An additional service (1:1 support, a therapy package) at a weekly cost, from `start_date`
// (absent: the placement's start) to `end_date`, its last day, both included. Additional services
// are time-limited, so the end date is required.
struct AdditionalService {
  std::string code;
  std::string description;
  int64_t weekly_pence = 0;
  std::optional<absl::CivilDay> start_date;
  std::optional<absl::CivilDay> end_date;

  bool operator==(const AdditionalService&) const = default;
};

enum class AllowanceFrequency { kUnspecified, kWeekly, kAnnual, kOneOff };

// A child's allowance (pocket money, clothing, birthday). Recorded in the IPA; not part of the
// weekly fee (an allowance the provider pays is inside the fee already, one the authority pays is
// paid apart).
struct Allowance {
  std::string kind;
  int64_t amount_pence = 0;
  AllowanceFrequency frequency = AllowanceFrequency::kUnspecified;
  bool included_in_fee = false;

  bool operator==(const Allowance&) const = default;
};

// Costs and payments, weekly and in pence (an award priced monthly or yearly is converted to
// weekly before it reaches the IPA, as the scoring engine converts it).
struct Costs {
  int64_t core_weekly_fee_pence = 0;
  std::vector<Discount> discounts;
  std::vector<AdditionalService> additional_services;
  std::vector<Allowance> allowances;
  std::string payment_terms;  // invoicing frequency, payment days, absences and retainers

  bool operator==(const Costs&) const = default;
};

// A premium payable if the outcomes are met by `achieve_by`, carried from the referral.
struct Incentive {
  std::string description;
  int64_t premium_pence = 0;
  std::optional<absl::CivilDay> achieve_by;

  bool operator==(const Incentive&) const = default;
};

// A document forming part of the contract (terms and conditions, specification, care plan),
// named by the hash of its bytes so the IPA's own hash covers exactly that document.
struct ContractDocument {
  std::string title;
  std::string uri;
  std::string sha256;

  bool operator==(const ContractDocument&) const = default;
};

// A person named to sign for a party. When a version names signatories for a party, only they may
// sign for it; when it names none, any placing officer or commissioner of the authority (or user
// of the provider) may, giving their name.
struct Signatory {
  Party party = Party::kUnspecified;
  std::string user_id;
  std::string name;
  std::string position;

  bool operator==(const Signatory&) const = default;
};

struct IpaTerms {
  std::vector<std::string> purposes;
  std::optional<absl::CivilDay> start_date;
  std::optional<absl::CivilDay> planned_end_date;
  std::vector<KeyContact> contacts;
  Costs costs;
  std::optional<Incentive> incentive;
  int notice_period_days = 0;  // 0: the default, which only fostering has
  std::string variation_template_id;
  std::vector<ContractDocument> documents;
  std::vector<Signatory> signatories;

  bool operator==(const IpaTerms&) const = default;
};

// The shape of `terms`, as far as they go: lengths, list sizes, amounts within 1..kMaxPence, codes
// and discount kinds unique, discounts at most 100% in all, core fee plus every additional service
// at most kMaxPence a week, and every pair of dates in order (planned end not before start, at
// most kMaxPlacementYears apart; a service's start not before the placement's and its end not
// before its start; the incentive achieved after the start). `field` prefixes every field name.
absl::Status ValidateTerms(absl::string_view field, const IpaTerms& terms);

// ValidateTerms, and what a version needs before it is rendered and signed: start and planned end
// dates, at least one purpose, at least one document forming the contract, and a notice period
// (NoticePeriodDays not 0).
absl::Status CheckComplete(absl::string_view field, const IpaTerms& terms,
                           ProvisionType provision_type);

// The notice period in days: the terms' own, or kFosteringNoticePeriodDays for fostering when the
// terms give none; 0 when neither applies (the terms are incomplete).
int NoticePeriodDays(ProvisionType provision_type, const IpaTerms& terms);

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_DOMAIN_TERMS_H_
