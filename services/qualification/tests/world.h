// The standard world of the QualificationService tests: a LIVE PCR 2015 system (or one under
// another regime) led by West Sussex with one lot and three criteria, a provider with one
// establishment and its insurance evidence, and the steps that take an application from draft to a
// qualified membership. Shared by the test files of this folder.
#ifndef DPS_SERVICES_QUALIFICATION_TESTS_WORLD_H_
#define DPS_SERVICES_QUALIFICATION_TESTS_WORLD_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/qualification/tests/service_fixture.h"

namespace dps::qualification::testing {

inline constexpr char kLead[] = "west-sussex";
inline constexpr char kPartner[] = "brighton";
inline constexpr char kOutsider[] = "kent";
inline constexpr char kProvider[] = "provider-a";

// `hour` o'clock UTC on the day.
absl::Time At(int y, int m, int d, int hour = 10);
dps::common::v1::Date Day(int y, int m, int d);
std::string DayText(const dps::common::v1::Date& d);

// What the standard set-up made.
struct World {
  std::string system_id;
  std::string lot_id;
  std::string insurance_id;  // pass/fail, expiring evidence
  std::string rating_id;     // pass/fail, the inspection-rating criterion
  std::string workforce_id;  // weighted 100
  std::string establishment_id;
  std::string evidence_id;
};

// Requires a gRPC call to succeed, showing its message when it does not.
#define CHECK_OK(call)                                     \
  do {                                                     \
    grpc::Status status_ = (call);                         \
    INFO(status_.error_message());                         \
    REQUIRE(status_.error_code() == grpc::StatusCode::OK); \
  } while (false)

// The standard lot: residential homes, hard ceilings, a £5,000 cap, default weights
// 50/10/10/5/5/20.
v1::LotSpec ResidentialLotSpec();

World SetUp(ServiceFixture& f, v1::EntryWindowMode windows = v1::ENTRY_WINDOW_MODE_ALWAYS_OPEN,
            dps::common::v1::Regime regime = dps::common::v1::REGIME_PCR2015_DPS);

// Another LIVE system of the lead authority, set up as SetUp's (one residential lot, the same
// three criteria) with `partners`; the standard establishment (not yet a member) with insurance
// evidence for its criterion. QualifiedMember(f, returned) makes it a member.
World AnotherSystem(ServiceFixture& f, const World& w, const std::vector<std::string>& partners);

// A further lot of the system, the standard one under another code (e.g. "FOS"); returns its id.
std::string AddLot(ServiceFixture& f, const World& w, const std::string& code);

// The participating `authority` of the system changed by the lead to take part in the lots of
// `lot_codes` only (empty: every lot).
void TakesPartIn(ServiceFixture& f, const World& w, const std::string& authority,
                 const std::vector<std::string>& lot_codes);

// Evidence of the standard provider for the establishment's answer to `criterion_id`, valid up
// to `expires`; returns its id.
std::string AddEvidence(ServiceFixture& f, const std::string& establishment_id,
                        const std::string& criterion_id, const std::string& title,
                        const dps::common::v1::Date& expires,
                        const std::string& organisation = kProvider);

// A draft application of the establishment for the lot, answering the three criteria.
v1::CreateApplicationRequest ApplicationFor(const World& w, int64_t weekly_fee_pence,
                                            const std::string& organisation = kProvider);

grpc::Status Submit(ServiceFixture& f, const std::string& id, v1::Application* out,
                    const std::string& organisation = kProvider);

// Callers: the lead authority's admin, and a provider's user (the standard provider's unless
// named).
std::unique_ptr<grpc::ClientContext> Lead();
std::unique_ptr<grpc::ClientContext> Provider(const std::string& organisation = kProvider);

// Takes a submitted application through evaluation to a decision, the weighted criterion scored
// `score_points` (so the qualification score); returns the membership id.
std::string Qualify(ServiceFixture& f, const World& w, const std::string& application_id,
                    int score_points = 80);

// A submitted application of the standard world at £4,000 a week, qualified: returns the
// membership id.
std::string QualifiedMember(ServiceFixture& f, const World& w,
                            std::string* application_id = nullptr);

// A safeguarding alert of `severity` about the world's establishment in its system ("missing from
// care"), with a fresh idempotency key.
v1::RaiseSafeguardingAlertRequest AlertAbout(const World& w, v1::AlertSeverity severity);

// Runs the evidence-expiry timer once at `at` (the clock is set to it); returns how many pieces
// of evidence expired.
int ExpireEvidence(ServiceFixture& f, absl::Time at);

// Records performance review `id` of the establishment in the system, as the consumer of the
// contracts stream does (the whole path is tested in performance_review_events_pgtest.cc), so a
// score adjustment may cite it; returns `id`.
std::string RecordReview(ServiceFixture& f, const std::string& system_id,
                         const std::string& establishment_id, const std::string& id);

// Another provider (`organisation`) with one establishment in Brighton, qualified in the lot at
// £3,800 a week with qualification score `score`: returns the membership id.
std::string QualifiedMemberOf(ServiceFixture& f, const World& w, const std::string& organisation,
                              int score = 80);

// Another provider (`organisation`) with one establishment in Brighton, qualified in the lot
// at the clock's time with qualification score `score`: returns the membership (as a partner
// authority's placing officer reads it). A lot's ranking (ListMemberships order_by_score).
v1::Membership ScoredMemberOf(ServiceFixture& f, const World& w, const std::string& organisation,
                              int score);

// Another provider with one establishment; returns the establishment id.
std::string OtherProvider(ServiceFixture& f, const std::string& organisation);

// A further establishment (ages 0-17) of a registered provider; returns its id.
std::string NewEstablishment(ServiceFixture& f, const std::string& organisation,
                             const std::string& name, double latitude, double longitude);

// The system as its lead authority reads it, and the editable part of it (for an update).
v1::PurchasingSystem GetSystem(ServiceFixture& f, const std::string& id);
v1::PurchasingSystemSpec SpecOf(const v1::PurchasingSystem& system);

// The system, as it stands in `system`, changed to qualify by `mode` by its lead authority: the
// status of the UpdatePurchasingSystem, the changed system in `changed`.
grpc::Status ChangeQualificationMode(ServiceFixture& f, const v1::PurchasingSystem& system,
                                     v1::QualificationMode mode, v1::PurchasingSystem* changed);

// The membership as a partner authority's placing officer reads it.
v1::Membership GetMembership(ServiceFixture& f, const std::string& id);

// The lot's eligible members for a 12-year-old girl placed at the point (central London unless
// given), as a partner authority's placing officer asks.
v1::FindEligibleEstablishmentsResponse FindEligible(ServiceFixture& f, const World& w,
                                                    double latitude = 51.5,
                                                    double longitude = -0.12);

}  // namespace dps::qualification::testing

#endif  // DPS_SERVICES_QUALIFICATION_TESTS_WORLD_H_
