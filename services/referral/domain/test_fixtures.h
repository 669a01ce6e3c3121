// Test-only builders shared by the referral domain tests: a complete individual referral for a
// children's home in Horsham, the lot rules of a PCR system (everyone invited, 10-day response
// period) and of a light-touch one (radius and filters exclude, 72 hours), and a referral already
// published. Each test changes one thing from these and expects one outcome.

#ifndef DPS_SERVICES_REFERRAL_DOMAIN_TEST_FIXTURES_H_
#define DPS_SERVICES_REFERRAL_DOMAIN_TEST_FIXTURES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "platform/testing/status_matchers.h"
#include "services/referral/domain/referral.h"

namespace dps::referral::testing {

// An instant in UTC.
inline absl::Time Utc(int y, int m, int d, int hh = 12, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), absl::UTCTimeZone());
}

inline std::string Message(const absl::Status& s) { return std::string(s.message()); }

// "Now" in these tests: Monday 1 March 2027, noon UTC.
inline absl::Time Now() { return Utc(2027, 3, 1); }

inline ReferralSpec ValidSpec() {
  ReferralSpec spec;
  spec.system_id = "system-1";
  spec.lot_id = "lot-homes";
  spec.kind = ReferralKind::kIndividual;
  spec.children = {{"child-1", 14, Gender::kFemale}};
  spec.postcode_district = "RH12";
  spec.needs = {{"semh", 3}, {"education-support", 1}};
  spec.must_have_features = {"single-occupancy"};
  spec.desirable_features = {{"rural", 1}};
  spec.outcomes_sought = {"Attends school every day within three months"};
  spec.description = "A young person who needs a calm home with one-to-one support.";
  spec.start_date = absl::CivilDay(2027, 4, 1);
  spec.planned_duration_months = 12;
  spec.radius_miles = 30;
  spec.response_deadline = Utc(2027, 3, 15, 17);
  return spec;
}

inline LotRules PcrLot() {
  LotRules lot;
  lot.needs = {"semh", "education-support", "autism"};
  lot.features = {"single-occupancy", "rural", "solo-placement"};
  lot.default_weights = {50, 10, 10, 5, 5, 20};
  lot.filters_may_exclude = false;
  lot.min_response_period = absl::Hours(24 * 10);
  return lot;
}

inline LotRules LightTouchLot() {
  LotRules lot = PcrLot();
  lot.filters_may_exclude = true;
  lot.min_response_period = absl::Hours(72);
  return lot;
}

// A referral published at Now() under `lot` with `invited` invitations.
inline Referral Published(const LotRules& lot, int invited = 5) {
  Referral referral;
  referral.id = "referral-1";
  referral.placing_authority_id = "west-sussex";
  REQUIRE(CreateDraft(referral, ValidSpec(), {"officer-1"}, Now() - absl::Hours(1)) ==
          absl::OkStatus());
  REQUIRE(Publish(referral, lot, invited, {"officer-1"}, Now()) == absl::OkStatus());
  return referral;
}

}  // namespace dps::referral::testing

#endif  // DPS_SERVICES_REFERRAL_DOMAIN_TEST_FIXTURES_H_
