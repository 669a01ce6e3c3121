#include "services/qualification/domain/application.h"

#include <catch2/catch.hpp>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/qualification/domain/test_fixtures.h"
#include "services/qualification/domain/working_days.h"

namespace dps::qualification {
namespace {

using testing::DraftFor;
using testing::Message;
using testing::PartFor;
using testing::System;
using testing::Utc;

// Thursday 18 December 2025, mid-morning: the deadline example of the brief.
const absl::Time kSubmittedAt = Utc(2025, 12, 18, 10);

Assessment Verdict(std::string code, bool passed, std::string reason = "") {
  Assessment a;
  a.criterion_code = std::move(code);
  a.passed = passed;
  a.reason = std::move(reason);
  a.evaluator = "eval-1";
  a.at = Utc(2025, 12, 22);
  return a;
}

Assessment Score(std::string code, int score) {
  Assessment a;
  a.criterion_code = std::move(code);
  a.score = score;
  a.reason = "scored against the method statement guide";
  a.evaluator = "eval-1";
  a.at = Utc(2025, 12, 22);
  return a;
}

Application UnderEvaluation(const PurchasingSystem& system, Application app) {
  REQUIRE(Submit(app, system, kSubmittedAt, "provider-user").ok());
  REQUIRE(StartEvaluation(app, Utc(2025, 12, 19), "lead-admin").ok());
  return app;
}

// Workforce 80, outcomes 60, contract management 90; both pass/fail criteria pass.
void AssessSenPart(Application& app, const PurchasingSystem& system, const std::string& est) {
  REQUIRE(RecordAssessment(app, system, est, "sen-52", Verdict("insurance", true)).ok());
  REQUIRE(
      RecordAssessment(app, system, est, "sen-52", Verdict("ofsted-rating", true, "Good")).ok());
  REQUIRE(RecordAssessment(app, system, est, "sen-52", Score("workforce", 80)).ok());
  REQUIRE(RecordAssessment(app, system, est, "sen-52", Score("outcomes", 60)).ok());
  REQUIRE(RecordAssessment(app, system, est, "sen-52", Score("contract-mgmt", 90)).ok());
}

TEST_CASE("submission sets the decision deadline in working days", "[application]") {
  const PurchasingSystem system = System();
  Application app = DraftFor(system);
  REQUIRE(Submit(app, system, kSubmittedAt, "provider-user").ok());
  CHECK(app.status == ApplicationStatus::kSubmitted);
  CHECK(app.submitted_at == kSubmittedAt);
  // 10 working days skipping 25 and 26 December 2025 and 1 January 2026.
  CHECK(app.decision_deadline == absl::CivilDay(2026, 1, 6));
  REQUIRE(app.history.size() == 1);
  CHECK(app.history[0].from == ApplicationStatus::kDraft);
  CHECK(app.history[0].to == ApplicationStatus::kSubmitted);
  CHECK(app.history[0].actor == "provider-user");
  CHECK(app.history[0].at == kSubmittedAt);
}

TEST_CASE("the deadline follows the system's configured period", "[application]") {
  PurchasingSystem system = System();
  Application app = DraftFor(system);
  SECTION("a tightened PCR period of 5") {
    system.regime_config.decision_working_days = 5;
    REQUIRE(Submit(app, system, kSubmittedAt, "p").ok());
    CHECK(app.decision_deadline == absl::CivilDay(2025, 12, 29));
  }
  SECTION("PA2023 default of 10") {
    system.regime = Regime::kPa2023DynamicMarket;
    system.regime_config.min_response_period = absl::Hours(72);
    REQUIRE(Submit(app, system, kSubmittedAt, "p").ok());
    CHECK(app.decision_deadline == absl::CivilDay(2026, 1, 6));
  }
}

TEST_CASE("submission is refused while the entry window is closed", "[application]") {
  const PurchasingSystem system = System();  // closed 1-30 June 2025, valid to 31 Mar 2027
  Application app = DraftFor(system);
  for (absl::Time at : {Utc(2025, 6, 15), Utc(2024, 3, 31), Utc(2027, 4, 1)}) {
    const absl::Status closed = Submit(app, system, at, "p");
    CHECK(closed.code() == absl::StatusCode::kFailedPrecondition);
    CHECK(Message(closed) ==
          absl::StrCat("application: cannot submit: the entry window is closed on ",
                       absl::FormatCivilTime(UtcDay(at))));
  }
  CHECK(app.status == ApplicationStatus::kDraft);
  CHECK(app.history.empty());
  CHECK_FALSE(app.decision_deadline.has_value());
  CHECK(Submit(app, system, Utc(2025, 7, 1, 0, 0), "p").ok());  // reopened
}

TEST_CASE("submission only from DRAFT", "[application]") {
  const PurchasingSystem system = System();
  Application app = DraftFor(system);
  REQUIRE(Submit(app, system, kSubmittedAt, "p").ok());
  const absl::Status again = Submit(app, system, kSubmittedAt, "p");
  CHECK(again.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(again) == "application: cannot submit a SUBMITTED application (must be DRAFT)");
}

TEST_CASE("submission checks the parts", "[application]") {
  const PurchasingSystem system = System();
  Application app = DraftFor(system);
  auto error = [&]() {
    const absl::Status s = Submit(app, system, kSubmittedAt, "p");
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(app.status == ApplicationStatus::kDraft);
    return Message(s);
  };
  SECTION("another system") {
    app.system_id = "nw-fps";
    CHECK(error() == "system_id: application is for \"nw-fps\", not \"se-dps\"");
  }
  SECTION("no parts") {
    app.parts.clear();
    CHECK(error() == "parts: must name at least one establishment and lot");
  }
  SECTION("no establishment") {
    app.parts[0].establishment_id.clear();
    CHECK(error() == "parts[0].establishment_id: must not be empty");
  }
  SECTION("unknown lot") {
    app.parts[0].lot_code = "respite";
    CHECK(error() == "parts[0].lot_code: system \"se-dps\" has no lot \"respite\"");
  }
  SECTION("the same establishment and lot twice") {
    app.parts.push_back(app.parts[0]);
    CHECK(error() == "parts[1]: repeats parts[0] (establishment \"acme-house\", lot \"sen-52\")");
  }
  SECTION("several establishments and lots are fine") {
    app.parts.push_back(PartFor(system.lots[1], "acme-house"));
    app.parts.push_back(PartFor(system.lots[0], "acme-lodge"));
    CHECK(Submit(app, system, kSubmittedAt, "p").ok());
  }
}

TEST_CASE("submission checks the answers", "[application]") {
  const PurchasingSystem system = System();
  Application app = DraftFor(system);
  std::vector<Answer>& answers = app.parts[0].answers;
  auto error = [&]() {
    const absl::Status s = Submit(app, system, kSubmittedAt, "p");
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    return Message(s);
  };
  SECTION("unknown criterion") {
    answers[1].criterion_code = "credit-rating";
    CHECK(error() ==
          "parts[0].answers[1].criterion_code: lot \"sen-52\" has no criterion "
          "\"credit-rating\"");
  }
  SECTION("answered twice") {
    answers.push_back(answers[0]);
    CHECK(error() == "parts[0].answers[5].criterion_code: criterion \"insurance\" answered twice");
  }
  SECTION("answered to an old version") {
    answers[2].criterion_version = 2;
    CHECK(error() ==
          "parts[0].answers[2].criterion_version: criterion \"workforce\" is at version 1, got 2");
  }
  SECTION("nothing given") {
    answers[3].response.clear();
    answers[3].evidence_ref.clear();
    CHECK(error() == "parts[0].answers[3]: must give a response or an evidence reference");
  }
  SECTION("evidence already expired") {
    answers[0].evidence_expires = absl::CivilDay(2025, 12, 17);
    CHECK(error() ==
          "parts[0].answers[0].evidence_expires: evidence expired on 2025-12-17, "
          "before submission on 2025-12-18");
  }
  SECTION("evidence expiring on the day of submission is still valid") {
    answers[0].evidence_expires = absl::CivilDay(2025, 12, 18);
    CHECK(Submit(app, system, kSubmittedAt, "p").ok());
  }
  SECTION("a criterion left unanswered") {
    answers.erase(answers.begin() + 4);
    CHECK(error() == "parts[0].answers: criterion \"contract-mgmt\" is not answered");
  }
}

TEST_CASE("submission checks the commercial submission", "[application]") {
  const PurchasingSystem system = System();  // sen-52 cap: 500000
  Application app = DraftFor(system);
  CommercialSubmission& c = app.parts[0].commercial;
  auto error = [&]() {
    const absl::Status s = Submit(app, system, kSubmittedAt, "p");
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    return Message(s);
  };
  SECTION("a ceiling above the affordability cap") {
    c.weekly_fee_pence = 520000;
    CHECK(error() ==
          "parts[0].commercial.weekly_fee_pence: 520000 exceeds the lot's "
          "affordability cap of 500000");
  }
  SECTION("a ceiling at the cap is fine") {
    c.weekly_fee_pence = 500000;
    CHECK(Submit(app, system, kSubmittedAt, "p").ok());
  }
  SECTION("rates for a piece of work sit beside hourly and weekly ones, the cap on the fee alone") {
    // Northamptonshire's interventions: an assessment, a session, a test, each far above what a
    // week's fee could hold were it counted weekly; the cap is on the weekly fee only.
    c.weekly_fee_pence = 500000;
    c.rate_card.push_back(testing::Rate("ep-assessment", RateUnit::kPerAssessment, 120000));
    c.rate_card.push_back(testing::Rate("salt-session", RateUnit::kPerSession, 9000));
    c.rate_card.push_back(testing::Rate("dna-test", RateUnit::kPerTest, 600000));
    CHECK(Submit(app, system, kSubmittedAt, "p").ok());
  }
  SECTION("no cap on the day lot") {
    app.parts = {PartFor(system.lots[1], "acme-house")};
    app.parts[0].commercial.weekly_fee_pence = 900000;
    CHECK(Submit(app, system, kSubmittedAt, "p").ok());
  }
  SECTION("zero fee") {
    c.weekly_fee_pence = 0;
    CHECK(error() == "parts[0].commercial.weekly_fee_pence: must be positive, got 0");
  }
  SECTION("core-cost schedule") {
    // assessment, premises, vehicles, supplies, education, central costs, core staffing, staff
    // costs, general child costs: 450000 in all.
    for (int64_t amount : {10000, 60000, 10000, 10000, 150000, 30000, 120000, 40000, 20000}) {
      c.core_costs.push_back({.weekly_pence = amount});
    }
    CHECK(Submit(app, system, kSubmittedAt, "p").ok());
  }
  SECTION("core-cost schedule that does not add up") {
    c.core_costs = {{.weekly_pence = 400000}};
    CHECK(error() ==
          "parts[0].commercial.core_costs: lines must add up to weekly_fee_pence 450000, got "
          "400000");
    c.core_costs.push_back({.weekly_pence = 60000});
    CHECK(error() ==
          "parts[0].commercial.core_costs: lines must add up to weekly_fee_pence 450000, got "
          "more");
  }
  SECTION("a line too large to add up is refused, not overflowed") {
    c.core_costs = {{.weekly_pence = 400000},
                    {.weekly_pence = std::numeric_limits<int64_t>::max()}};
    CHECK(error() ==
          "parts[0].commercial.core_costs: lines must add up to weekly_fee_pence 450000, got "
          "more");
  }
  SECTION("a negative line, even one the other lines make up for") {
    c.core_costs = {{.weekly_pence = 460000}, {.weekly_pence = -10000}};
    CHECK(error() ==
          "parts[0].commercial.core_costs[1].weekly_pence: must not be negative, got "
          "-10000");
  }
  SECTION("rate card") {
    c.rate_card[1].code = "1-to-1-support";
    CHECK(error() == "parts[0].commercial.rate_card[1].code: duplicate code \"1-to-1-support\"");
    c.rate_card[1].code.clear();
    CHECK(error() ==
          "parts[0].commercial.rate_card[1].code: must be a code of 1 to 32 letters, digits, '-' "
          "or '_', got \"\"");
    c.rate_card[1].code = "1:1-support";
    CHECK(error() ==
          "parts[0].commercial.rate_card[1].code: must be a code of 1 to 32 letters, digits, '-' "
          "or '_', got \"1:1-support\"");
    c.rate_card[1].code = "ot";
    c.rate_card[1].rate_pence = 0;
    CHECK(error() == "parts[0].commercial.rate_card[1].rate_pence: must be positive, got 0");
  }
  SECTION("a refusal names the fields as the request that carried them does") {
    c.names = {.submission = "commercial[2]",
               .weekly_fee = "ceiling_fee",
               .core_cost_amount = "weekly_amount",
               .rate = "rate"};
    c.weekly_fee_pence = 520000;
    CHECK(error() ==
          "commercial[2].ceiling_fee: 520000 exceeds the lot's affordability cap of "
          "500000");
    c.weekly_fee_pence = 450000;
    c.core_costs = {{.weekly_pence = 460000}, {.weekly_pence = -10000}};
    CHECK(error() == "commercial[2].core_costs[1].weekly_amount: must not be negative, got -10000");
    c.core_costs = {{.weekly_pence = 400000}};
    CHECK(error() ==
          "commercial[2].core_costs: lines must add up to ceiling_fee 450000, got 400000");
    c.core_costs.clear();
    c.rate_card[0].rate_pence = 0;
    CHECK(error() == "commercial[2].rate_card[0].rate: must be positive, got 0");
  }
  SECTION("a part without prices") {
    c = CommercialSubmission{.absent = true};
    CHECK(error() ==
          "parts[0].commercial: required for establishment \"acme-house\" in lot \"sen-52\"");
    c.names.submission = "commercial";
    CHECK(error() == "commercial: required for establishment \"acme-house\" in lot \"sen-52\"");
  }
}

TEST_CASE("evaluation starts only after submission", "[application]") {
  const PurchasingSystem system = System();
  Application app = DraftFor(system);
  const absl::Status early = StartEvaluation(app, kSubmittedAt, "lead");
  CHECK(early.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(early) ==
        "application: cannot start evaluating a DRAFT application (must be SUBMITTED)");
  REQUIRE(Submit(app, system, kSubmittedAt, "p").ok());
  REQUIRE(StartEvaluation(app, Utc(2025, 12, 19), "lead").ok());
  CHECK(app.status == ApplicationStatus::kUnderEvaluation);
  CHECK(app.history.back().from == ApplicationStatus::kSubmitted);
  CHECK(app.history.back().actor == "lead");
}

TEST_CASE("recording assessments", "[application]") {
  const PurchasingSystem system = System();
  SECTION("not before evaluation starts") {
    Application app = DraftFor(system);
    REQUIRE(Submit(app, system, kSubmittedAt, "p").ok());
    const absl::Status s =
        RecordAssessment(app, system, "acme-house", "sen-52", Verdict("insurance", true));
    CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
    CHECK(Message(s) ==
          "application: cannot assess a SUBMITTED application (must be "
          "UNDER_EVALUATION)");
  }
  Application app = UnderEvaluation(system, DraftFor(system));
  auto record = [&](Assessment a) {
    return RecordAssessment(app, system, "acme-house", "sen-52", std::move(a));
  };
  SECTION("unknown part or criterion") {
    CHECK(RecordAssessment(app, system, "other", "sen-52", Verdict("insurance", true)).code() ==
          absl::StatusCode::kNotFound);
    CHECK(Message(record(Verdict("credit", true))) ==
          "application: lot \"sen-52\" has no criterion \"credit\"");
  }
  SECTION("wrong kind of verdict") {
    CHECK(Message(record(Score("insurance", 50))) ==
          "passed: criterion \"insurance\" is pass/fail: give passed, not a score");
    CHECK(Message(record(Verdict("workforce", true))) ==
          "score: criterion \"workforce\" is weighted: give a score, not passed");
  }
  SECTION("scores are 0-100") {
    CHECK(Message(record(Score("workforce", 101))) == "score: must be 0-100, got 101");
    CHECK(Message(record(Score("workforce", -1))) == "score: must be 0-100, got -1");
    CHECK(record(Score("workforce", 0)).ok());
    CHECK(record(Score("workforce", 100)).ok());
  }
  SECTION("a failure needs a reason") {
    const absl::Status s = record(Verdict("insurance", false));
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(Message(s) == "reason: a failed criterion needs a reason the applicant can read");
  }
  SECTION("an evaluator must be named") {
    Assessment a = Score("workforce", 50);
    a.evaluator.clear();
    CHECK(Message(record(a)) == "evaluator: must not be empty");
  }
  SECTION("recording again replaces") {
    REQUIRE(record(Score("workforce", 40)).ok());
    REQUIRE(record(Score("workforce", 70)).ok());
    REQUIRE(app.parts[0].assessments.size() == 1);
    CHECK(app.parts[0].assessments[0].score == 70);
  }
}

TEST_CASE("qualification score is the weighted sum", "[application]") {
  const PurchasingSystem system = System();
  Application app = UnderEvaluation(system, DraftFor(system));
  CHECK(QualificationScore(system.lots[0], app.parts[0]).status().code() ==
        absl::StatusCode::kFailedPrecondition);
  AssessSenPart(app, system, "acme-house");
  // (40 × 80 + 35 × 60 + 25 × 90) / 100 = 75.5
  CHECK(*QualificationScore(system.lots[0], app.parts[0]) == Approx(75.5));
  REQUIRE(RecordAssessment(app, system, "acme-house", "sen-52", Score("outcomes", 61)).ok());
  CHECK(*QualificationScore(system.lots[0], app.parts[0]) == Approx(75.85));

  const absl::Status pass_fail_only = QualificationScore(system.lots[1], app.parts[0]).status();
  CHECK(Message(pass_fail_only) ==
        "application: lot \"day\" is pass/fail only: there is no qualification score");
}

TEST_CASE("decisions per establishment and lot", "[application]") {
  const PurchasingSystem system = System();
  Application draft = DraftFor(system);
  draft.parts.push_back(PartFor(system.lots[1], "acme-house"));
  Application app = UnderEvaluation(system, draft);

  SECTION("not until every criterion is assessed") {
    AssessSenPart(app, system, "acme-house");
    const absl::Status s = Decide(app, system, Utc(2026, 1, 5), "lead");
    CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
    CHECK(Message(s) ==
          "application: cannot decide: parts[1] criterion \"insurance\" has not been assessed");
    CHECK(app.status == ApplicationStatus::kUnderEvaluation);
    CHECK_FALSE(app.parts[0].decision.has_value());
  }

  SECTION("pass only if every pass/fail criterion passes") {
    AssessSenPart(app, system, "acme-house");
    REQUIRE(RecordAssessment(app, system, "acme-house", "day", Verdict("insurance", true)).ok());
    REQUIRE(RecordAssessment(app, system, "acme-house", "day",
                             Verdict("ofsted-rating", false, "rated Inadequate in March 2025"))
                .ok());
    REQUIRE(Decide(app, system, Utc(2026, 1, 5), "lead").ok());
    CHECK(app.status == ApplicationStatus::kDecided);
    CHECK(app.history.back().to == ApplicationStatus::kDecided);

    const PartDecision& sen = *app.parts[0].decision;
    CHECK(sen.qualified);
    CHECK(sen.qualification_score == Approx(75.5));
    REQUIRE(sen.results.size() == 5);
    CHECK(sen.results[1].criterion_code == "ofsted-rating");
    CHECK(sen.results[1].reason == "Good");
    CHECK(sen.results[2].score == 80);
    CHECK(sen.results[2].kind == CriterionKind::kWeighted);
    CHECK(sen.decided_by == "lead");

    const PartDecision& day = *app.parts[1].decision;
    CHECK_FALSE(day.qualified);
    CHECK_FALSE(day.qualification_score.has_value());
    CHECK(day.results[0].passed);
    CHECK_FALSE(day.results[1].passed);
    CHECK(day.results[1].reason == "rated Inadequate in March 2025");
  }
}

// The codes of the criteria CriteriaAsked gives, in order.
std::vector<std::string> Asked(ApplicationKind kind, const Lot& lot, const ApplicationPart& part) {
  std::vector<std::string> codes;
  for (const Criterion* c : CriteriaAsked(kind, lot, part)) codes.push_back(c->code);
  return codes;
}

TEST_CASE("a reinstatement is assessed and decided on the criteria it answers, with no score",
          "[application]") {
  const PurchasingSystem system = System();
  const Lot& lot = system.lots[0];
  Application draft = DraftFor(system);
  draft.kind = ApplicationKind::kReinstatement;
  draft.parts[0].commercial = {};
  std::erase_if(draft.parts[0].answers, [](const Answer& a) {
    return a.criterion_code != "insurance" && a.criterion_code != "workforce";
  });
  CHECK(Asked(ApplicationKind::kReinstatement, lot, draft.parts[0]) ==
        std::vector<std::string>{"insurance", "workforce"});
  // An admission is asked every criterion, whatever it answers; new prices none.
  CHECK(Asked(ApplicationKind::kAdmission, lot, draft.parts[0]).size() == 5);
  CHECK(Asked(ApplicationKind::kPriceResubmission, lot, draft.parts[0]).empty());

  SECTION("an admission answering the same criteria is still refused") {
    Application admission = draft;
    admission.kind = ApplicationKind::kAdmission;
    admission.parts[0].commercial = PartFor(lot, "acme-house").commercial;
    CHECK(Message(Submit(admission, system, kSubmittedAt, "p")) ==
          "parts[0].answers: criterion \"ofsted-rating\" is not answered");
  }

  Application app = UnderEvaluation(system, draft);
  const absl::Status not_asked =
      RecordAssessment(app, system, "acme-house", "sen-52", Score("outcomes", 70));
  CHECK(not_asked.code() == absl::StatusCode::kNotFound);
  CHECK(Message(not_asked) ==
        "application: the part for establishment \"acme-house\" and lot \"sen-52\" does not "
        "resubmit criterion \"outcomes\"");
  REQUIRE(RecordAssessment(app, system, "acme-house", "sen-52", Verdict("insurance", true)).ok());
  CHECK(Message(Decide(app, system, Utc(2026, 1, 5), "lead")) ==
        "application: cannot decide: parts[0] criterion \"workforce\" has not been assessed");
  REQUIRE(RecordAssessment(app, system, "acme-house", "sen-52", Score("workforce", 40)).ok());
  // Two of three weighted criteria scored: no qualification score can be made of that.
  CHECK(QualificationScore(lot, app.parts[0]).status().code() ==
        absl::StatusCode::kFailedPrecondition);

  REQUIRE(Decide(app, system, Utc(2026, 1, 5), "lead").ok());
  const PartDecision& d = *app.parts[0].decision;
  CHECK(d.qualified);
  CHECK_FALSE(d.qualification_score.has_value());
  REQUIRE(d.results.size() == 2);
  CHECK(d.results[0].criterion_code == "insurance");
  CHECK(d.results[1].criterion_code == "workforce");
  CHECK(d.results[1].score == 40);
}

TEST_CASE("evidence expired by the decision day fails its criterion", "[application]") {
  const PurchasingSystem system = System();
  Application draft = DraftFor(system);
  draft.parts[0] = PartFor(system.lots[0], "acme-house", absl::CivilDay(2026, 1, 4));
  Application app = UnderEvaluation(system, draft);
  AssessSenPart(app, system, "acme-house");
  REQUIRE(Decide(app, system, Utc(2026, 1, 5), "lead").ok());
  const PartDecision& d = *app.parts[0].decision;
  CHECK_FALSE(d.qualified);
  CHECK_FALSE(d.results[0].passed);
  CHECK(d.results[0].reason == "evidence expired on 2026-01-04");
}

TEST_CASE("decisions only under evaluation", "[application]") {
  const PurchasingSystem system = System();
  Application app = DraftFor(system);
  REQUIRE(Submit(app, system, kSubmittedAt, "p").ok());
  CHECK(Message(Decide(app, system, Utc(2026, 1, 5), "lead")) ==
        "application: cannot decide a SUBMITTED application (must be UNDER_EVALUATION)");
}

TEST_CASE("the decision deadline extends once, to 15 working days", "[application]") {
  PurchasingSystem system = System();
  Application app = UnderEvaluation(system, DraftFor(system));

  SECTION("with a reason, before the deadline passes") {
    REQUIRE(
        ExtendDecisionDeadline(app, system, "site visit needed", Utc(2026, 1, 6, 17), "lead").ok());
    CHECK(app.decision_deadline == absl::CivilDay(2026, 1, 13));
    CHECK(app.extension_reason == "site visit needed");
    CHECK(app.status == ApplicationStatus::kUnderEvaluation);
    CHECK(app.history.back().reason ==
          "decision deadline extended to 2026-01-13: site visit needed");

    const absl::Status twice =
        ExtendDecisionDeadline(app, system, "more time", Utc(2026, 1, 7), "lead");
    CHECK(twice.code() == absl::StatusCode::kFailedPrecondition);
    CHECK(Message(twice) == "application: the decision deadline can be extended only once");
    CHECK(app.decision_deadline == absl::CivilDay(2026, 1, 13));
  }
  SECTION("no reason") {
    const absl::Status s = ExtendDecisionDeadline(app, system, "", Utc(2026, 1, 5), "lead");
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(Message(s) == "reason: extending the decision deadline needs a recorded reason");
  }
  SECTION("too late") {
    const absl::Status s =
        ExtendDecisionDeadline(app, system, "site visit", Utc(2026, 1, 7, 0, 0), "lead");
    CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
    CHECK(Message(s) == "application: cannot extend: the deadline of 2026-01-06 has passed");
  }
  SECTION("a tightened extension") {
    system.regime_config.extended_decision_working_days = 12;
    REQUIRE(ExtendDecisionDeadline(app, system, "site visit", Utc(2026, 1, 5), "lead").ok());
    CHECK(app.decision_deadline == absl::CivilDay(2026, 1, 8));
  }
  SECTION("a regime without an extension") {
    system.regime = Regime::kPa2023DynamicMarket;
    system.regime_config.min_response_period = absl::Hours(72);
    const absl::Status s = ExtendDecisionDeadline(app, system, "x", Utc(2026, 1, 5), "lead");
    CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
    CHECK(Message(s) ==
          "application: this PA2023_DYNAMIC_MARKET system allows no extension of "
          "the decision deadline");
  }
  SECTION("not once decided") {
    AssessSenPart(app, system, "acme-house");
    REQUIRE(Decide(app, system, Utc(2026, 1, 5), "lead").ok());
    CHECK(Message(ExtendDecisionDeadline(app, system, "x", Utc(2026, 1, 5), "lead")) ==
          "application: cannot extend the decision deadline of a DECIDED application");
  }
}

TEST_CASE("overdue decisions", "[application]") {
  const PurchasingSystem system = System();
  Application app = UnderEvaluation(system, DraftFor(system));  // deadline 6 Jan 2026
  CHECK_FALSE(IsDecisionOverdue(app, Utc(2026, 1, 6, 23, 59)));
  CHECK(IsDecisionOverdue(app, Utc(2026, 1, 7, 0, 0)));
  AssessSenPart(app, system, "acme-house");
  REQUIRE(Decide(app, system, Utc(2026, 1, 8), "lead").ok());  // late, but still decided
  CHECK_FALSE(IsDecisionOverdue(app, Utc(2026, 1, 9)));
  CHECK_FALSE(IsDecisionOverdue(DraftFor(system), Utc(2026, 1, 9)));
}

TEST_CASE("withdrawal", "[application]") {
  const PurchasingSystem system = System();
  SECTION("from DRAFT") {
    Application app = DraftFor(system);
    REQUIRE(Withdraw(app, kSubmittedAt, "p", "changed our mind").ok());
    CHECK(app.status == ApplicationStatus::kWithdrawn);
    CHECK(app.history.back().reason == "changed our mind");
  }
  SECTION("from SUBMITTED and UNDER_EVALUATION") {
    Application app = DraftFor(system);
    REQUIRE(Submit(app, system, kSubmittedAt, "p").ok());
    Application evaluating = UnderEvaluation(system, DraftFor(system));
    CHECK(Withdraw(app, kSubmittedAt, "p", "").ok());
    CHECK(Withdraw(evaluating, kSubmittedAt, "p", "").ok());
  }
  SECTION("not once decided or withdrawn") {
    Application app = UnderEvaluation(system, DraftFor(system));
    AssessSenPart(app, system, "acme-house");
    REQUIRE(Decide(app, system, Utc(2026, 1, 5), "lead").ok());
    const absl::Status s = Withdraw(app, Utc(2026, 1, 6), "p", "");
    CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
    CHECK(Message(s) == "application: cannot withdraw a DECIDED application");
    Application gone = DraftFor(system);
    REQUIRE(Withdraw(gone, kSubmittedAt, "p", "").ok());
    CHECK(Message(Withdraw(gone, kSubmittedAt, "p", "")) ==
          "application: cannot withdraw a WITHDRAWN application");
  }
}

TEST_CASE("expired evidence", "[application]") {
  const ApplicationPart part =
      PartFor(testing::SenLot(), "acme-house", absl::CivilDay(2026, 3, 31));
  CHECK(ExpiredEvidence(part.answers, absl::CivilDay(2026, 3, 31)).empty());
  CHECK(ExpiredEvidence(part.answers, absl::CivilDay(2026, 4, 1)) ==
        std::vector<std::string>{"insurance"});
}

TEST_CASE("tell us once", "[application]") {
  const Lot lot = testing::SenLot();
  ApplicationPart previous = PartFor(lot, "acme-house", absl::CivilDay(2026, 3, 31));

  SECTION("everything unchanged and in date is reused") {
    const ReusePlan plan = PlanReuse(lot, previous, absl::CivilDay(2026, 3, 31));
    CHECK(plan.needed.empty());
    REQUIRE(plan.reusable.size() == 5);
    CHECK(plan.reusable[0].evidence_ref == "doc-insurance");
  }
  SECTION("expired, changed, new and previously failed items are asked again") {
    Lot now = lot;
    now.criteria[2].version = 2;  // workforce reworded
    now.criteria.push_back(testing::PassFail("data-protection", "Data protection"));
    PartDecision decision;
    CriterionResult failed;
    failed.criterion_code = "ofsted-rating";
    failed.passed = false;
    failed.reason = "Inadequate";
    decision.results = {failed};
    previous.decision = decision;

    const ReusePlan plan = PlanReuse(now, previous, absl::CivilDay(2026, 4, 1));
    REQUIRE(plan.needed.size() == 4);
    CHECK(plan.needed[0].criterion_code == "insurance");
    CHECK(plan.needed[0].why == AnswerNeeded::kEvidenceExpired);
    CHECK(plan.needed[1].criterion_code == "ofsted-rating");
    CHECK(plan.needed[1].why == AnswerNeeded::kFailedBefore);
    CHECK(plan.needed[2].criterion_code == "workforce");
    CHECK(plan.needed[2].why == AnswerNeeded::kCriterionChanged);
    CHECK(plan.needed[3].criterion_code == "data-protection");
    CHECK(plan.needed[3].why == AnswerNeeded::kNotAnsweredBefore);
    REQUIRE(plan.reusable.size() == 2);
    CHECK(plan.reusable[0].criterion_code == "outcomes");
    CHECK(plan.reusable[1].criterion_code == "contract-mgmt");
  }
}

}  // namespace
}  // namespace dps::qualification
