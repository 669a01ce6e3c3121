// Test-only builders shared by the qualification domain tests: a valid PCR purchasing system with a
// weighted lot and a pass/fail-only lot, a complete application part for each, and helpers for
// instants and status checks. Each test changes one thing from these and expects one outcome.

#ifndef DPS_SERVICES_QUALIFICATION_DOMAIN_TEST_FIXTURES_H_
#define DPS_SERVICES_QUALIFICATION_DOMAIN_TEST_FIXTURES_H_

#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/qualification/domain/application.h"
#include "services/qualification/domain/establishment.h"
#include "services/qualification/domain/purchasing_system.h"

namespace dps::qualification::testing {

// An instant in UTC.
inline absl::Time Utc(int y, int m, int d, int hh = 12, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), absl::UTCTimeZone());
}

inline std::string Message(const absl::Status& s) { return std::string(s.message()); }

inline Criterion PassFail(std::string code, std::string title) {
  Criterion c;
  c.code = std::move(code);
  c.title = std::move(title);
  c.kind = CriterionKind::kPassFail;
  return c;
}

inline Criterion Weighted(std::string code, std::string title, int weight) {
  Criterion c;
  c.code = std::move(code);
  c.title = std::move(title);
  c.kind = CriterionKind::kWeighted;
  c.weight = weight;
  return c;
}

inline RateCardLine Rate(std::string code, RateUnit unit, int64_t rate_pence) {
  RateCardLine line;
  line.code = std::move(code);
  line.unit = unit;
  line.rate_pence = rate_pence;
  return line;
}

// SEN 52-week lot: two pass/fail criteria and three weighted ones (40 + 35 + 25), a £5,000 cap.
inline Lot SenLot() {
  Lot lot;
  lot.code = "sen-52";
  lot.name = "SEN 52-week";
  lot.criteria = {
      PassFail("insurance", "Insurance"),
      PassFail("ofsted-rating", "Ofsted rating"),
      Weighted("workforce", "Workforce", 40),
      Weighted("outcomes", "Outcomes", 35),
      Weighted("contract-mgmt", "Contract management", 25),
  };
  lot.terms.ceiling_mode = CeilingMode::kHard;
  lot.terms.sibling_discount_bp = 500;
  lot.terms.permanence_discount_bp = 500;
  lot.terms.notice_period_days = 28;
  lot.terms.affordability_cap_pence = 500000;
  lot.parental_choice = {.enabled = true, .max_bids = 3, .within_points = 5.0};
  lot.needs = {"autism", "semh", "mld"};
  lot.features = {"wheelchair-access", "halal-diet", "eal-support"};
  return lot;
}

// Day-placement lot qualified pass/fail only: core competency weight 0 (North West seed).
inline Lot DayLot() {
  Lot lot = SenLot();
  lot.code = "day";
  lot.name = "Day placements";
  lot.criteria.resize(2);
  lot.terms.ceiling_mode = CeilingMode::kIndicative;
  lot.terms.affordability_cap_pence.reset();
  lot.default_weights = {
      .price = 50, .outcomes = 20, .needs = 20, .features = 5, .location = 5, .core_competency = 0};
  return lot;
}

// Valid from 1 Apr 2024 for 3 years + 2 + 2; closed for evaluation through June 2025.
inline PurchasingSystem System() {
  PurchasingSystem s;
  s.id = "se-dps";
  s.name = "South East regional DPS";
  s.regime = Regime::kPcr2015Dps;
  s.lead_authority = "west-sussex";
  s.participating_authorities = {"west-sussex", "brighton-hove", "east-sussex", "surrey"};
  s.validity = {.start = absl::CivilDay(2024, 4, 1),
                .initial_months = 36,
                .extension_months = {24, 24},
                .extensions_taken = 0};
  s.closed_periods = {{absl::CivilDay(2025, 6, 1), absl::CivilDay(2025, 6, 30)}};
  s.lots = {SenLot(), DayLot()};
  return s;
}

// A complete answer to every criterion of `lot`; insurance evidence valid until
// `insurance_expires`.
inline ApplicationPart PartFor(const Lot& lot, std::string establishment,
                               absl::CivilDay insurance_expires = absl::CivilDay(2027, 3, 31)) {
  ApplicationPart part;
  part.establishment_id = std::move(establishment);
  part.lot_code = lot.code;
  for (const Criterion& c : lot.criteria) {
    Answer a;
    a.criterion_code = c.code;
    a.criterion_version = c.version;
    a.response = "see evidence";
    a.evidence_ref = "doc-" + c.code;
    if (c.code == "insurance") a.evidence_expires = insurance_expires;
    part.answers.push_back(a);
  }
  part.commercial.weekly_fee_pence = 450000;
  part.commercial.rate_card = {Rate("1-to-1-support", RateUnit::kHourly, 3000),
                               Rate("speech-therapy", RateUnit::kWeekly, 20000)};
  return part;
}

inline Application DraftFor(const PurchasingSystem& system) {
  Application a;
  a.id = "app-1";
  a.system_id = system.id;
  a.provider_id = "acme-care";
  a.parts = {PartFor(system.lots[0], "acme-house")};
  return a;
}

// A children's home in Crawley, Ofsted-registered for four 11-17 year olds.
inline EstablishmentDetails AcmeHouseDetails() {
  return {.name = "Acme House",
          .address = {.lines = {"2 Station Road"}, .town = "Crawley", .postcode = "RH10 1AA"},
          .latitude = 51.1125,
          .longitude = -0.1873,
          .provision_types = {ProvisionType::kResidentialHome},
          .inspectorate = Inspectorate::kOfsted,
          .inspectorate_ref = "SC123456",
          .age_min_years = 11,
          .age_max_years = 17,
          .specialism_codes = {"SEMH", "cse-risk"},
          .placement_type_codes = {"solo"},
          .registered_places = 4};
}

}  // namespace dps::qualification::testing

#endif  // DPS_SERVICES_QUALIFICATION_DOMAIN_TEST_FIXTURES_H_
