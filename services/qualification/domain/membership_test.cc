#include "services/qualification/domain/membership.h"

#include <catch2/catch.hpp>
#include <string>

#include "services/qualification/domain/test_fixtures.h"

namespace dps::qualification {
namespace {

using testing::Message;
using testing::PartFor;
using testing::SenLot;
using testing::Utc;

const absl::Time kQualifiedAt = Utc(2026, 1, 8, 9);

ApplicationPart DecidedPart(bool qualified, std::optional<double> score) {
  ApplicationPart part = PartFor(SenLot(), "acme-house", absl::CivilDay(2026, 6, 30));
  PartDecision decision;
  decision.qualified = qualified;
  decision.qualification_score = score;
  decision.decided_at = kQualifiedAt;
  decision.decided_by = "lead";
  part.decision = decision;
  return part;
}

Membership Qualified(std::optional<double> score = 75.5, const PurchasingSystem& system = {}) {
  absl::StatusOr<Membership> m = Qualify(DecidedPart(true, score), system, kQualifiedAt, "lead");
  REQUIRE(m.ok());
  return *m;
}

void RequireForbidden(const absl::Status& s, const std::string& message) {
  CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(s) == message);
}

TEST_CASE("qualify from a decided, qualified part", "[membership]") {
  const Membership m = Qualified();
  CHECK(m.establishment_id == "acme-house");
  CHECK(m.lot_code == "sen-52");
  CHECK(m.state == MembershipState::kQualified);
  CHECK(IsInvitable(m));
  CHECK(m.qualified_at == kQualifiedAt);
  CHECK(m.prices.weekly_fee_pence == 450000);
  // The system's defaults: the first audit after 12 months, prices held for 12.
  CHECK(m.next_audit_due == absl::CivilDay(2027, 1, 8));
  CHECK(m.prices_valid_until == absl::CivilDay(2027, 1, 7));
  REQUIRE(m.scores.size() == 1);
  CHECK(m.scores[0].score == 75.5);
  REQUIRE(m.history.size() == 1);
  CHECK(m.history[0].from.empty());
  CHECK(m.history[0].to == "QUALIFIED");
  CHECK(m.history[0].actor == "lead");
}

TEST_CASE("qualify refuses an undecided or failed part", "[membership]") {
  ApplicationPart undecided = DecidedPart(true, 70);
  undecided.decision.reset();
  RequireForbidden(Qualify(undecided, {}, kQualifiedAt, "lead").status(),
                   "membership: cannot qualify establishment \"acme-house\" in lot \"sen-52\": "
                   "the application part is not decided");
  RequireForbidden(Qualify(DecidedPart(false, 70), {}, kQualifiedAt, "lead").status(),
                   "membership: cannot qualify establishment \"acme-house\" in lot \"sen-52\": "
                   "the decision failed it");
}

TEST_CASE("who may apply again", "[membership]") {
  Membership m = Qualified();
  RequireForbidden(CheckMayApply(m),
                   "membership: cannot apply again: the establishment is "
                   "already qualified in the lot");
  REQUIRE(
      Suspend(m, SuspensionCause::kLeadDecision, {"insurance"}, "lapsed", Utc(2026, 2, 1), "lead")
          .ok());
  RequireForbidden(CheckMayApply(m),
                   "membership: cannot apply again while SUSPENDED: resubmit "
                   "the failed items in a reinstatement application");
  REQUIRE(Exclude(m, "fraud", Utc(2026, 3, 1), "lead").ok());
  RequireForbidden(CheckMayApply(m),
                   "membership: cannot apply again: exclusion is final for the system's life");
}

TEST_CASE("suspension", "[membership]") {
  Membership m = Qualified();
  SECTION("records cause, reason, since and the failed items") {
    REQUIRE(Suspend(m, SuspensionCause::kLeadDecision, {"contract-compliance"},
                    "repeated late KPI returns", Utc(2026, 2, 1), "lead")
                .ok());
    CHECK(m.state == MembershipState::kSuspended);
    CHECK_FALSE(IsInvitable(m));
    REQUIRE(m.failed_items.size() == 1);
    CHECK(m.failed_items[0].item == "contract-compliance");
    CHECK(m.failed_items[0].cause == SuspensionCause::kLeadDecision);
    CHECK(m.failed_items[0].reason == "repeated late KPI returns");
    CHECK(m.failed_items[0].since == Utc(2026, 2, 1));
    CHECK(m.failed_items[0].cause_id.empty());  // the lead's own decision: no record caused it
    CHECK(m.failed_items[0].by == "lead");
    const MembershipChange& change = m.history.back();
    CHECK(change.from == "QUALIFIED");
    CHECK(change.to == "SUSPENDED");
    CHECK(change.reason == "LEAD_DECISION: repeated late KPI returns");
  }
  SECTION("a second cause while suspended adds its items") {
    REQUIRE(Suspend(m, SuspensionCause::kLeadDecision, {"contract-compliance"}, "KPIs",
                    Utc(2026, 2, 1), "lead")
                .ok());
    REQUIRE(Suspend(m, SuspensionCause::kEvidenceExpiry, {"insurance", "contract-compliance"},
                    "lapsed", Utc(2026, 3, 1), "system", "evi-7")
                .ok());
    REQUIRE(m.failed_items.size() == 2);
    CHECK(m.failed_items[0].since == Utc(2026, 3, 1));  // failed again: the later date
    CHECK(m.failed_items[0].cause_id == "evi-7");       // and its latest cause
    CHECK(m.failed_items[0].by == "system");
    CHECK(m.failed_items[1].item == "insurance");
    CHECK(m.failed_items[1].cause_id == "evi-7");
    CHECK(m.history.back().from == "SUSPENDED");
  }
  SECTION("needs items and a reason") {
    CHECK(Message(Suspend(m, SuspensionCause::kLeadDecision, {}, "x", Utc(2026, 2, 1), "lead")) ==
          "items: a suspension must name the items to resubmit");
    CHECK(Message(Suspend(m, SuspensionCause::kLeadDecision, {""}, "x", Utc(2026, 2, 1), "lead")) ==
          "items[0]: must not be empty");
    const absl::Status s =
        Suspend(m, SuspensionCause::kLeadDecision, {"insurance"}, "", Utc(2026, 2, 1), "lead");
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(Message(s) == "reason: a suspension needs a reason");
    CHECK(m.state == MembershipState::kQualified);
  }
}

TEST_CASE("suspension for expired evidence", "[membership]") {
  Membership m = Qualified();
  const ApplicationPart part = DecidedPart(true, 75.5);  // insurance valid to 30 Jun 2026
  absl::StatusOr<bool> suspended =
      SuspendForExpiredEvidence(m, part.answers, Utc(2026, 6, 30), "sys");
  REQUIRE(suspended.ok());
  CHECK_FALSE(*suspended);
  CHECK(m.state == MembershipState::kQualified);

  suspended = SuspendForExpiredEvidence(m, part.answers, Utc(2026, 7, 1), "sys");
  REQUIRE(suspended.ok());
  CHECK(*suspended);
  CHECK(m.state == MembershipState::kSuspended);
  REQUIRE(m.failed_items.size() == 1);
  CHECK(m.failed_items[0].item == "insurance");
  CHECK(m.failed_items[0].cause == SuspensionCause::kEvidenceExpiry);
  CHECK(m.failed_items[0].reason == "evidence expired for insurance");
}

TEST_CASE("an inspection grade of Inadequate suspends", "[membership]") {
  Membership m = Qualified();
  for (InspectionGrade g : {InspectionGrade::kOutstanding, InspectionGrade::kGood,
                            InspectionGrade::kRequiresImprovement}) {
    CHECK_FALSE(*ApplyInspectionGrade(m, g, "ofsted-rating", Utc(2026, 4, 1), "import"));
  }
  CHECK(m.state == MembershipState::kQualified);
  CHECK(*ApplyInspectionGrade(m, InspectionGrade::kInadequate, "ofsted-rating", Utc(2026, 4, 2),
                              "import"));
  CHECK(m.state == MembershipState::kSuspended);
  CHECK(m.failed_items[0].item == "ofsted-rating");
  CHECK(m.failed_items[0].cause == SuspensionCause::kInspectionInadequate);
}

TEST_CASE("reinstatement needs every failed item resubmitted and passed", "[membership]") {
  Membership m = Qualified();
  const absl::Time since = Utc(2026, 2, 1);
  REQUIRE(Suspend(m, SuspensionCause::kEvidenceExpiry, {"insurance", "ofsted-rating"}, "lapsed",
                  since, "sys")
              .ok());

  SECTION("refused while items are missing") {
    RequireForbidden(Reinstate(m, {{"insurance", Utc(2026, 2, 10)}}, Utc(2026, 2, 11), "lead"),
                     "membership: cannot reinstate: no passing resubmission since the "
                     "suspension for ofsted-rating");
    RequireForbidden(Reinstate(m, {}, Utc(2026, 2, 11), "lead"),
                     "membership: cannot reinstate: no passing resubmission since the "
                     "suspension for insurance, ofsted-rating");
    CHECK(m.state == MembershipState::kSuspended);
  }
  SECTION("refused when a pass predates the suspension") {
    RequireForbidden(
        Reinstate(m, {{"insurance", Utc(2026, 1, 20)}, {"ofsted-rating", since + absl::Seconds(1)}},
                  Utc(2026, 2, 11), "lead"),
        "membership: cannot reinstate: no passing resubmission since the "
        "suspension for insurance");
  }
  SECTION("refused when a pass is dated at the suspension itself") {
    RequireForbidden(Reinstate(m, {{"insurance", since}, {"ofsted-rating", Utc(2026, 2, 5)}},
                               Utc(2026, 2, 11), "lead"),
                     "membership: cannot reinstate: no passing resubmission since the "
                     "suspension for insurance");
  }
  SECTION("refused when a pass is dated after the reinstatement") {
    RequireForbidden(
        Reinstate(m, {{"insurance", Utc(2026, 2, 12)}, {"ofsted-rating", Utc(2026, 2, 5)}},
                  Utc(2026, 2, 11), "lead"),
        "membership: cannot reinstate: no passing resubmission since the suspension for "
        "insurance");
  }
  SECTION("granted once every item passed again") {
    REQUIRE(Reinstate(m, {{"insurance", Utc(2026, 2, 10)}, {"ofsted-rating", Utc(2026, 2, 5)}},
                      Utc(2026, 2, 11), "lead")
                .ok());
    CHECK(m.state == MembershipState::kQualified);
    CHECK(IsInvitable(m));
    CHECK(m.failed_items.empty());
    const MembershipChange& change = m.history.back();
    CHECK(change.from == "SUSPENDED");
    CHECK(change.to == "QUALIFIED");
    CHECK(change.reason == "resubmitted and passed: insurance, ofsted-rating");
  }
}

TEST_CASE("reinstatement is only from SUSPENDED", "[membership]") {
  Membership m = Qualified();
  RequireForbidden(Reinstate(m, {}, Utc(2026, 2, 1), "lead"),
                   "membership: cannot reinstate a QUALIFIED membership (only a SUSPENDED one)");
  REQUIRE(Exclude(m, "fraud", Utc(2026, 2, 1), "lead").ok());
  RequireForbidden(Reinstate(m, {}, Utc(2026, 2, 2), "lead"),
                   "membership: cannot reinstate an EXCLUDED membership (only a SUSPENDED one)");
}

TEST_CASE("exclusion is final", "[membership]") {
  Membership m = Qualified();
  SECTION("needs a reason") {
    CHECK(Message(Exclude(m, "", Utc(2026, 2, 1), "lead")) ==
          "reason: an exclusion needs a reason");
    CHECK(m.state == MembershipState::kQualified);
  }
  SECTION("from SUSPENDED too, and nothing after") {
    REQUIRE(Suspend(m, SuspensionCause::kSafeguardingAlert, {"safeguarding"}, "alert",
                    Utc(2026, 2, 1), "lead")
                .ok());
    REQUIRE(Exclude(m, "mandatory exclusion ground", Utc(2026, 3, 1), "lead").ok());
    CHECK(m.state == MembershipState::kExcluded);
    CHECK(m.failed_items.empty());
    CHECK(m.history.back().from == "SUSPENDED");
    CHECK(m.history.back().to == "EXCLUDED");
    CHECK(m.history.back().reason == "mandatory exclusion ground");
    CHECK_FALSE(IsInvitable(m));

    RequireForbidden(Exclude(m, "again", Utc(2026, 3, 2), "lead"),
                     "membership: cannot exclude an EXCLUDED membership: exclusion is final");
    RequireForbidden(
        Suspend(m, SuspensionCause::kLeadDecision, {"x"}, "x", Utc(2026, 3, 2), "lead"),
        "membership: cannot suspend an EXCLUDED membership: exclusion is final");
    RequireForbidden(RecordAudit(m, Utc(2026, 3, 2), "lead", "", 12),
                     "membership: cannot audit an EXCLUDED membership: exclusion is final");
    RequireForbidden(ResubmitPrices(m, SenLot(), 12, m.prices, Utc(2027, 3, 2), "p"),
                     "membership: cannot resubmit prices for an EXCLUDED membership: exclusion "
                     "is final");
    RequireForbidden(AdjustScore(m, 5, "KPIs", Utc(2026, 9, 1), "lead", {}),
                     "membership: cannot adjust the score of an EXCLUDED membership: exclusion "
                     "is final");
    CHECK(m.history.size() == 3);
  }
}

TEST_CASE("annual audit", "[membership]") {
  Membership m = Qualified();  // 8 Jan 2026
  CHECK(m.next_audit_due == absl::CivilDay(2027, 1, 8));
  PurchasingSystem half_yearly;
  half_yearly.audit_interval_months = 6;
  CHECK(Qualified(75.5, half_yearly).next_audit_due == absl::CivilDay(2026, 7, 8));
  // The next falls due under the interval the system has when the audit is recorded.
  REQUIRE(
      RecordAudit(m, Utc(2026, 12, 1), "lead", "registration and insurance confirmed", 12).ok());
  CHECK(m.next_audit_due == absl::CivilDay(2027, 12, 1));
  CHECK(m.last_audit_at == Utc(2026, 12, 1));
  const MembershipChange& change = m.history.back();
  CHECK(change.from == "2026-01-08");
  CHECK(change.to == "2026-12-01");
  CHECK(change.reason == "registration and insurance confirmed");
  CHECK(m.state == MembershipState::kQualified);
  REQUIRE(RecordAudit(m, Utc(2027, 6, 1), "lead", "confirmed again", 6).ok());
  CHECK(m.next_audit_due == absl::CivilDay(2027, 12, 1));
  CHECK(m.history.back().from == "2026-12-01");
}

TEST_CASE("prices hold for 12 months, then may be resubmitted", "[membership]") {
  Membership m = Qualified();  // 8 Jan 2026
  const Lot lot = SenLot();
  CHECK(PricesResubmittableFrom(m, 12) == absl::CivilDay(2027, 1, 8));
  CommercialSubmission prices = m.prices;
  prices.weekly_fee_pence = 470000;

  RequireForbidden(ResubmitPrices(m, lot, 12, prices, Utc(2027, 1, 7, 23, 59), "p"),
                   "membership: cannot resubmit prices before 2027-01-08: prices hold for 12 "
                   "months");
  CHECK(m.prices.weekly_fee_pence == 450000);

  SECTION("above the affordability cap") {
    prices.weekly_fee_pence = 500001;
    const absl::Status s = ResubmitPrices(m, lot, 12, prices, Utc(2027, 1, 8), "p");
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(Message(s) ==
          "prices.weekly_fee_pence: 500001 exceeds the lot's affordability cap of 500000");
  }
  SECTION("another lot's terms") {
    Lot other = lot;
    other.code = "day";
    CHECK(Message(ResubmitPrices(m, other, 12, prices, Utc(2027, 1, 8), "p")) ==
          "lot: membership is in lot \"sen-52\", not \"day\"");
  }
  SECTION("accepted from the anniversary, and the clock restarts") {
    REQUIRE(ResubmitPrices(m, lot, 12, prices, Utc(2027, 1, 8, 0, 0), "p").ok());
    CHECK(m.prices.weekly_fee_pence == 470000);
    CHECK(PricesResubmittableFrom(m, 12) == absl::CivilDay(2028, 1, 8));
    CHECK(m.prices_valid_until == absl::CivilDay(2028, 1, 7));
    CHECK(m.history.back().from == "450000");
    CHECK(m.history.back().to == "470000");
  }
}

// A draft of `kind` for `m`: its one part, empty.
Application ApplicationFor(const Membership& m, ApplicationKind kind) {
  Application a;
  a.id = "app-member";
  a.system_id = testing::System().id;
  a.provider_id = "acme-care";
  a.kind = kind;
  ApplicationPart part;
  part.establishment_id = m.establishment_id;
  part.lot_code = m.lot_code;
  a.parts = {part};
  return a;
}

// An application of new prices for `m`: its one part, no answers.
Application PriceResubmission(const Membership& m, int64_t weekly_fee_pence) {
  Application a = ApplicationFor(m, ApplicationKind::kPriceResubmission);
  a.parts[0].commercial = m.prices;
  a.parts[0].commercial.weekly_fee_pence = weekly_fee_pence;
  return a;
}

TEST_CASE("new prices are submitted with their membership, then decided on the prices alone",
          "[membership]") {
  const Membership m = Qualified();  // 8 Jan 2026
  PurchasingSystem system = testing::System();
  // Closed to new applicants through the anniversary: a member resubmitting is not one.
  system.closed_periods.push_back({absl::CivilDay(2027, 1, 1), absl::CivilDay(2027, 2, 28)});
  Application a = PriceResubmission(m, 470000);

  SECTION("not before the first day, which the refusal names") {
    RequireForbidden(SubmitPrices(a, system, m, Utc(2027, 1, 7, 23, 59), "p"),
                     "membership: cannot resubmit prices before 2027-01-08: prices hold for 12 "
                     "months");
    CHECK(a.status == ApplicationStatus::kDraft);
  }
  // The sections change copies: the submission after them uses `a` and `system` as they are.
  SECTION("the system's validity decides the first day") {
    PurchasingSystem six_months = system;
    six_months.price_validity_months = 6;
    RequireForbidden(SubmitPrices(a, six_months, m, Utc(2026, 7, 7), "p"),
                     "membership: cannot resubmit prices before 2026-07-08: prices hold for 6 "
                     "months");
    Application early = a;
    CHECK(SubmitPrices(early, six_months, m, Utc(2026, 7, 8), "p").ok());
  }
  SECTION("not for an EXCLUDED membership") {
    Membership excluded = m;
    REQUIRE(Exclude(excluded, "fraud", Utc(2026, 6, 1), "lead").ok());
    RequireForbidden(SubmitPrices(a, system, excluded, Utc(2027, 1, 8), "p"),
                     "membership: cannot resubmit prices for an EXCLUDED membership: exclusion "
                     "is final");
  }
  SECTION("only for the membership's own establishment and lot") {
    Application other_lot = a;
    other_lot.parts[0].lot_code = "day";
    CHECK(Message(SubmitPrices(other_lot, system, m, Utc(2027, 1, 8), "p")) ==
          "parts[0]: must be the membership's establishment \"acme-house\" and lot \"sen-52\"");
  }
  SECTION("with no answers and one part") {
    Application answered = a;
    answered.parts[0].answers = PartFor(SenLot(), "acme-house").answers;
    CHECK(Message(SubmitPrices(answered, system, m, Utc(2027, 1, 8), "p")) ==
          "parts[0].answers: a price resubmission answers no criteria: the member is admitted");
    Application twice = a;
    twice.parts.push_back(a.parts[0]);
    CHECK(Message(SubmitPrices(twice, system, m, Utc(2027, 1, 8), "p")) ==
          "parts: a price resubmission has exactly one part, got 2");
  }
  SECTION("a fee above the affordability cap, named as for a new application") {
    Application above = a;
    above.parts[0].commercial.weekly_fee_pence = 500001;
    const absl::Status s = SubmitPrices(above, system, m, Utc(2027, 1, 8), "p");
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(Message(s) ==
          "parts[0].commercial.weekly_fee_pence: 500001 exceeds the lot's affordability cap of "
          "500000");
  }

  REQUIRE(SubmitPrices(a, system, m, Utc(2027, 1, 8), "p").ok());
  CHECK(a.status == ApplicationStatus::kSubmitted);
  CHECK(a.decision_deadline == absl::CivilDay(2027, 1, 22));  // 10 working days
  RequireForbidden(StartEvaluation(a, Utc(2027, 1, 9), "lead"),
                   "application: a price resubmission has no criteria to evaluate: the lead "
                   "authority decides it directly");

  SECTION("rejected with a reason the applicant reads") {
    CHECK(Message(DecidePrices(a, false, "", Utc(2027, 1, 11), "lead")) ==
          "reason: rejected prices need a reason the applicant can read");
    REQUIRE(DecidePrices(a, false, "above comparable homes", Utc(2027, 1, 11), "lead").ok());
    CHECK(a.status == ApplicationStatus::kDecided);
    CHECK_FALSE(a.parts[0].decision->qualified);
    CHECK(a.parts[0].decision->reason == "above comparable homes");
  }
  SECTION("accepted, and the membership's prices replaced from the decision") {
    REQUIRE(DecidePrices(a, true, "", Utc(2027, 1, 11), "lead").ok());
    CHECK(a.parts[0].decision->qualified);
    Membership changed = m;
    REQUIRE(ResubmitPrices(changed, SenLot(), system.price_validity_months, a.parts[0].commercial,
                           Utc(2027, 1, 11), "lead")
                .ok());
    CHECK(changed.prices.weekly_fee_pence == 470000);
    CHECK(PricesResubmittableFrom(changed, 12) == absl::CivilDay(2028, 1, 11));
    CHECK(changed.history.back().reason == "prices resubmitted after 12 months");
  }
}

TEST_CASE("only a price resubmission is decided on its prices", "[membership]") {
  Application a = testing::DraftFor(testing::System());
  RequireForbidden(DecidePrices(a, true, "", Utc(2026, 1, 8), "lead"),
                   "application: only a price resubmission is decided on its prices alone");
  CHECK(Message(SubmitPrices(a, testing::System(), Qualified(), Utc(2027, 1, 8), "p")) ==
        "kind: only a price resubmission is submitted with its membership");
}

// A reinstatement of `m` answering the criteria `codes` anew (insurance evidence valid to the end
// of 2027), with no prices.
Application ReinstatementOf(const Membership& m, const std::vector<std::string>& codes) {
  Application a = ApplicationFor(m, ApplicationKind::kReinstatement);
  for (const Answer& answer :
       PartFor(SenLot(), m.establishment_id, absl::CivilDay(2027, 12, 31)).answers) {
    if (std::find(codes.begin(), codes.end(), answer.criterion_code) != codes.end()) {
      a.parts[0].answers.push_back(answer);
    }
  }
  return a;
}

TEST_CASE("the lead authority lifts its own concerns and criteria the lot no longer asks",
          "[membership]") {
  Membership m = Qualified();
  REQUIRE(Suspend(m, SuspensionCause::kEvidenceExpiry, {"insurance"}, "certificate lapsed",
                  Utc(2026, 3, 1), "timer")
              .ok());
  REQUIRE(Suspend(m, SuspensionCause::kSafeguardingAlert, {"alert-7"}, "alert raised",
                  Utc(2026, 3, 2), "lead")
              .ok());
  REQUIRE(Suspend(m, SuspensionCause::kLeadDecision, {"workforce"}, "complaint", Utc(2026, 3, 3),
                  "lead")
              .ok());
  Lot lot = SenLot();
  // Insurance is still asked, so the provider resubmits it; the alert and the lead authority's
  // decision (even one naming a criterion) are the lead authority's to lift.
  CHECK(ItemsTheLeadLifts(m, lot) == std::vector<std::string>{"alert-7", "workforce"});
  CHECK(*ItemsToResubmit(m, lot) == std::vector<std::string>{"insurance", "workforce"});

  SECTION("a failed criterion the lot no longer asks is the lead authority's to lift") {
    std::erase_if(lot.criteria, [](const Criterion& c) { return c.code == "insurance"; });
    CHECK(ItemsTheLeadLifts(m, lot) ==
          std::vector<std::string>{"insurance", "alert-7", "workforce"});
    CHECK(*ItemsToResubmit(m, lot) == std::vector<std::string>{"workforce"});
    std::vector<PassedItem> lifted;
    for (const std::string& item : ItemsTheLeadLifts(m, lot)) {
      lifted.push_back({.item = item, .passed_at = Utc(2026, 3, 4)});
    }
    REQUIRE(Reinstate(m, lifted, Utc(2026, 3, 4), "lead").ok());
    CHECK(m.state == MembershipState::kQualified);
  }
  SECTION("nothing is lifted from a membership with no failed items") {
    CHECK(ItemsTheLeadLifts(Qualified(), lot).empty());
  }
}

TEST_CASE("a reinstatement resubmits the failed items only, and the membership keeps its score",
          "[membership]") {
  Membership m = Qualified();  // 8 Jan 2026, scored 75.5
  PurchasingSystem system = testing::System();
  // Closed to new applicants: a member resubmitting is not one.
  system.closed_periods.push_back({absl::CivilDay(2026, 3, 1), absl::CivilDay(2026, 3, 31)});
  REQUIRE(Suspend(m, SuspensionCause::kEvidenceExpiry, {"insurance"}, "certificate lapsed",
                  Utc(2026, 3, 1), "timer")
              .ok());
  REQUIRE(Suspend(m, SuspensionCause::kLeadDecision, {"lead-authority-review"}, "complaint",
                  Utc(2026, 3, 2), "lead")
              .ok());
  // The lead authority's own review is not the provider's to answer.
  CHECK(*ItemsToResubmit(m, SenLot()) == std::vector<std::string>{"insurance"});
  const absl::Time submitted_at = Utc(2026, 3, 10);

  SECTION("only from SUSPENDED") {
    RequireForbidden(ItemsToResubmit(Qualified(), SenLot()).status(),
                     "membership: cannot resubmit the failed items of a QUALIFIED membership "
                     "(only a SUSPENDED one)");
    Membership excluded = m;
    REQUIRE(Exclude(excluded, "fraud", Utc(2026, 3, 3), "lead").ok());
    Application a = ReinstatementOf(m, {"insurance"});
    RequireForbidden(SubmitReinstatement(a, system, excluded, submitted_at, "p"),
                     "membership: cannot resubmit the failed items of an EXCLUDED membership "
                     "(only a SUSPENDED one)");
    CHECK(a.status == ApplicationStatus::kDraft);
  }
  SECTION("nothing to resubmit when only the lead authority's concerns are left") {
    Membership reviewed = Qualified();
    REQUIRE(Suspend(reviewed, SuspensionCause::kLeadDecision, {"lead-authority-review"},
                    "complaint", Utc(2026, 3, 2), "lead")
                .ok());
    RequireForbidden(ItemsToResubmit(reviewed, SenLot()).status(),
                     "membership: nothing to resubmit: the suspension is for "
                     "lead-authority-review, which the lead authority lifts itself");
  }
  SECTION("an answer to a criterion that did not fail is refused, naming it") {
    Application more = ReinstatementOf(m, {"insurance", "workforce"});
    const absl::Status s = SubmitReinstatement(more, system, m, submitted_at, "p");
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(Message(s) ==
          "parts[0].answers[1].criterion_code: \"workforce\" is not a failed item of the "
          "membership: resubmit only insurance");
  }
  SECTION("every failed item must be answered") {
    Application none = ReinstatementOf(m, {});
    RequireForbidden(SubmitReinstatement(none, system, m, submitted_at, "p"),
                     "application: cannot submit the reinstatement without the failed items "
                     "insurance");
  }
  SECTION("evidence that has already expired is refused, as in any application") {
    Application stale = ReinstatementOf(m, {"insurance"});
    stale.parts[0].answers[0].evidence_expires = absl::CivilDay(2026, 3, 9);
    CHECK(Message(SubmitReinstatement(stale, system, m, submitted_at, "p")) ==
          "parts[0].answers[0].evidence_expires: evidence expired on 2026-03-09, before "
          "submission on 2026-03-10");
  }
  SECTION("no prices, and only the membership's own establishment and lot") {
    Application priced = ReinstatementOf(m, {"insurance"});
    priced.parts[0].commercial.weekly_fee_pence = 450000;
    CHECK(Message(SubmitReinstatement(priced, system, m, submitted_at, "p")) ==
          "parts[0].commercial: a reinstatement carries no prices: the membership's stay in "
          "force");
    Application other_lot = ReinstatementOf(m, {"insurance"});
    other_lot.parts[0].lot_code = "day";
    CHECK(Message(SubmitReinstatement(other_lot, system, m, submitted_at, "p")) ==
          "parts[0]: must be the membership's establishment \"acme-house\" and lot \"sen-52\"");
    Application admission = testing::DraftFor(system);
    CHECK(Message(SubmitReinstatement(admission, system, m, submitted_at, "p")) ==
          "kind: only a reinstatement resubmits a membership's failed items");
  }

  Application a = ReinstatementOf(m, {"insurance"});
  REQUIRE(
      SubmitReinstatement(a, system, m, submitted_at, "p").ok());  // though the window is closed
  CHECK(a.status == ApplicationStatus::kSubmitted);
  CHECK(a.decision_deadline == absl::CivilDay(2026, 3, 24));  // 10 working days
  REQUIRE(StartEvaluation(a, Utc(2026, 3, 11), "lead").ok());
  Assessment verdict{.criterion_code = "insurance", .evaluator = "lead", .at = Utc(2026, 3, 11)};

  SECTION("passed: the membership is reinstated with its score and prices as they were") {
    verdict.passed = true;
    REQUIRE(RecordAssessment(a, system, "acme-house", "sen-52", verdict).ok());
    REQUIRE(Decide(a, system, Utc(2026, 3, 12), "lead").ok());
    const PartDecision& d = *a.parts[0].decision;
    CHECK(d.qualified);
    CHECK_FALSE(d.qualification_score.has_value());
    REQUIRE(d.results.size() == 1);
    REQUIRE(Reinstate(m, {{"insurance", d.decided_at}, {"lead-authority-review", Utc(2026, 3, 13)}},
                      Utc(2026, 3, 13), "lead")
                .ok());
    CHECK(m.state == MembershipState::kQualified);
    CHECK(*ScoreAt(m, Utc(2026, 3, 13)) == 75.5);
    CHECK(m.scores.size() == 1);
    CHECK(m.prices.weekly_fee_pence == 450000);
  }
  SECTION("failed: the reason is the applicant's to read, and the membership stays suspended") {
    verdict.passed = false;
    verdict.reason = "the certificate does not cover employer's liability";
    REQUIRE(RecordAssessment(a, system, "acme-house", "sen-52", verdict).ok());
    REQUIRE(Decide(a, system, Utc(2026, 3, 12), "lead").ok());
    const PartDecision& d = *a.parts[0].decision;
    CHECK_FALSE(d.qualified);
    CHECK(d.results[0].reason == "the certificate does not cover employer's liability");
    RequireForbidden(
        Reinstate(m, {{"lead-authority-review", Utc(2026, 3, 13)}}, Utc(2026, 3, 13), "lead"),
        "membership: cannot reinstate: no passing resubmission since the suspension "
        "for insurance");
    CHECK(m.state == MembershipState::kSuspended);
  }
}

TEST_CASE("6-monthly score adjustments are bounded", "[membership]") {
  Membership m = Qualified(75.5);      // 8 Jan 2026
  const ScoreAdjustmentPolicy policy;  // ±10, every 6 months

  SECTION("not within 6 months of qualification") {
    RequireForbidden(AdjustScore(m, 5, "KPIs", Utc(2026, 7, 7), "lead", policy),
                     "membership: cannot adjust the score before 2026-07-08: at most one "
                     "adjustment every 6 months");
  }
  SECTION("bound, zero and reason") {
    const absl::Status big = AdjustScore(m, 10.5, "KPIs", Utc(2026, 7, 8), "lead", policy);
    CHECK(big.code() == absl::StatusCode::kInvalidArgument);
    CHECK(Message(big) == "delta: must be within +/-10 points, got 10.5");
    CHECK(Message(AdjustScore(m, -11, "KPIs", Utc(2026, 7, 8), "lead", policy)) ==
          "delta: must be within +/-10 points, got -11");
    CHECK(Message(AdjustScore(m, 0, "KPIs", Utc(2026, 7, 8), "lead", policy)) ==
          "delta: must not be 0: record no adjustment instead");
    CHECK(Message(AdjustScore(m, 3, "", Utc(2026, 7, 8), "lead", policy)) ==
          "reason: a score adjustment needs a reason");
    CHECK(m.scores.size() == 1);
  }
  SECTION("one per 6 months, each recorded") {
    REQUIRE(AdjustScore(m, -10, "missed KPI targets", Utc(2026, 7, 8), "lead", policy).ok());
    CHECK(m.scores.back().score == 65.5);
    CHECK(m.history.back().from == "75.50");
    CHECK(m.history.back().to == "65.50");
    CHECK(m.history.back().reason == "missed KPI targets");
    RequireForbidden(AdjustScore(m, 2, "better", Utc(2027, 1, 7), "lead", policy),
                     "membership: cannot adjust the score before 2027-01-08: at most one "
                     "adjustment every 6 months");
    REQUIRE(AdjustScore(m, 4.25, "better", Utc(2027, 1, 8), "lead", policy).ok());
    CHECK(m.scores.back().score == 69.75);
  }
  SECTION("the score stays within 0-100") {
    Membership high = Qualified(95);
    REQUIRE(AdjustScore(high, 10, "excellent", Utc(2026, 7, 8), "lead", policy).ok());
    CHECK(high.scores.back().score == 100);
    CHECK(high.scores.back().requested_delta == 10);
    Membership low = Qualified(4);
    REQUIRE(AdjustScore(low, -10, "poor", Utc(2026, 7, 8), "lead", policy).ok());
    CHECK(low.scores.back().score == 0);
  }
  SECTION("a configured bound") {
    const ScoreAdjustmentPolicy tight{.max_points = 5, .min_months_between = 12};
    CHECK(Message(AdjustScore(m, 6, "x", Utc(2027, 1, 8), "lead", tight)) ==
          "delta: must be within +/-5 points, got 6");
    RequireForbidden(AdjustScore(m, 5, "x", Utc(2026, 7, 8), "lead", tight),
                     "membership: cannot adjust the score before 2027-01-08: at most one "
                     "adjustment every 12 months");
    CHECK(Message(AdjustScore(m, 5, "x", Utc(2027, 1, 8), "lead",
                              {.max_points = 0, .min_months_between = 6})) ==
          "policy.max_points: must be a positive number, got 0");
    CHECK(Message(AdjustScore(m, 5, "x", Utc(2027, 1, 8), "lead",
                              {.max_points = 5, .min_months_between = 0})) ==
          "policy.min_months_between: must be at least 1, got 0");
  }
  SECTION("not for a pass/fail-only lot") {
    Membership pass_fail = Qualified(std::nullopt);
    CHECK(pass_fail.scores.empty());
    RequireForbidden(AdjustScore(pass_fail, 5, "x", Utc(2026, 7, 8), "lead", policy),
                     "membership: cannot adjust the score: the lot qualifies pass/fail only and "
                     "has no qualification score");
    CHECK(ScoreAt(pass_fail, Utc(2026, 7, 8)).status().code() == absl::StatusCode::kNotFound);
  }
}

TEST_CASE("a score adjustment cites recorded reviews of the member, each once", "[membership]") {
  const std::vector<RecordedReview> recorded = {
      {.id = "rev-1", .system_id = "sys-1", .establishment_id = "acme-house"},
      {.id = "rev-2", .system_id = "sys-1", .establishment_id = "acme-house"},
      {.id = "rev-other-home", .system_id = "sys-1", .establishment_id = "other-house"},
      {.id = "rev-other-system", .system_id = "sys-2", .establishment_id = "acme-house"},
      {.id = "rev-used",
       .system_id = "sys-1",
       .establishment_id = "acme-house",
       .cited_by_adjustment = "adj-1"}};
  auto check = [&](const std::vector<std::string>& cited) {
    return CheckCitedReviews("sys-1", "acme-house", cited, recorded);
  };

  CHECK(check({"rev-1"}).ok());
  CHECK(check({"rev-2", "rev-1"}).ok());
  const absl::Status none = check({});
  CHECK(none.code() == absl::StatusCode::kInvalidArgument);
  CHECK(Message(none) ==
        "performance_review_ids: an adjustment rests on at least one performance review");
  CHECK(Message(check({"rev-1", "rev-1"})) ==
        "performance_review_ids[1]: \"rev-1\" is cited twice");
  CHECK(Message(check({"rev-1", "rev-9"})) ==
        "performance_review_ids[1]: \"rev-9\" is not a recorded performance review");
  CHECK(Message(check({"rev-other-home"})) ==
        "performance_review_ids[0]: \"rev-other-home\" is a review of another establishment");
  CHECK(Message(check({"rev-other-system"})) ==
        "performance_review_ids[0]: \"rev-other-system\" is a review in another purchasing "
        "system");
  const absl::Status used = check({"rev-2", "rev-used"});
  CHECK(used.code() == absl::StatusCode::kInvalidArgument);
  CHECK(Message(used) ==
        "performance_review_ids[1]: \"rev-used\" was already cited by score adjustment adj-1");
}

TEST_CASE("the score in force at an instant", "[membership]") {
  Membership m = Qualified(75.5);
  const absl::Time first = Utc(2026, 7, 8, 14);
  const absl::Time second = Utc(2027, 1, 8, 14);
  REQUIRE(AdjustScore(m, -10, "KPIs", first, "lead", {}).ok());
  REQUIRE(AdjustScore(m, 4, "KPIs", second, "lead", {}).ok());

  const absl::Status before = ScoreAt(m, kQualifiedAt - absl::Seconds(1)).status();
  CHECK(before.code() == absl::StatusCode::kNotFound);
  CHECK(Message(before) ==
        "membership: no score in force at 2026-01-08T08:59:59+00:00, before "
        "qualification");
  CHECK(*ScoreAt(m, kQualifiedAt) == 75.5);
  CHECK(*ScoreAt(m, first - absl::Seconds(1)) == 75.5);  // a referral closing just before
  CHECK(*ScoreAt(m, first) == 65.5);
  CHECK(*ScoreAt(m, second - absl::Seconds(1)) == 65.5);
  CHECK(*ScoreAt(m, second) == 69.5);
  CHECK(*ScoreAt(m, Utc(2030, 1, 1)) == 69.5);
}

}  // namespace
}  // namespace dps::qualification
