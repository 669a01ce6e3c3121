// Reinstatement end to end through gRPC against a real PostgreSQL: a suspended member resubmits
// its failed items in a REINSTATEMENT application, the lead authority evaluates and decides it on
// those items alone, then reinstates with it; the membership is invitable again and rests on the
// new evidence, which the evidence-expiry timer now watches.
#include <catch2/catch.hpp>

#include "services/qualification/tests/service_fixture.h"
#include "services/qualification/tests/world.h"

namespace dps::qualification::testing {
namespace {

// Renewed insurance evidence for the standard establishment, valid up to `expires`.
std::string AddInsurance(ServiceFixture& f, const World& w, const dps::common::v1::Date& expires) {
  return AddEvidence(f, w.establishment_id, w.insurance_id, "Employer's liability renewed",
                     expires);
}

// A draft reinstatement of the membership answering `criterion_id` anew (citing `evidence_id`
// when given), with no items, prices or establishment named: they are the membership's.
v1::CreateApplicationRequest Reinstatement(const World& w, const std::string& membership_id,
                                           const std::string& criterion_id,
                                           const std::string& evidence_id = "") {
  v1::CreateApplicationRequest request;
  request.set_idempotency_key(ServiceFixture::Key());
  request.set_system_id(w.system_id);
  request.set_provider_id(kProvider);
  request.set_kind(v1::APPLICATION_KIND_REINSTATEMENT);
  request.set_membership_id(membership_id);
  v1::CriterionResponse* response = request.mutable_spec()->add_responses();
  response->set_criterion_id(criterion_id);
  response->set_answer("resubmitted");
  if (!evidence_id.empty()) response->add_evidence_ids(evidence_id);
  return request;
}

// Creates and submits a reinstatement; returns the submitted application.
v1::Application SubmittedReinstatement(ServiceFixture& f, const v1::CreateApplicationRequest& r) {
  v1::Application application;
  CHECK_OK(f.stub().CreateApplication(Provider().get(), r, &application));
  CHECK_OK(Submit(f, application.id(), &application));
  return application;
}

grpc::Status RecordResult(ServiceFixture& f, const World& w, const std::string& application_id,
                          const std::string& criterion_id, bool passed,
                          const std::string& reason = "") {
  v1::RecordCriterionResultRequest result;
  result.set_idempotency_key(ServiceFixture::Key());
  result.set_application_id(application_id);
  result.mutable_result()->set_criterion_id(criterion_id);
  result.mutable_result()->set_establishment_id(w.establishment_id);
  result.mutable_result()->set_passed(passed);
  result.mutable_result()->set_reason(reason);
  v1::Application application;
  return f.stub().RecordCriterionResult(Lead().get(), result, &application);
}

void StartEvaluation(ServiceFixture& f, const std::string& application_id) {
  v1::AssignEvaluatorsRequest assign;
  assign.set_idempotency_key(ServiceFixture::Key());
  assign.set_application_id(application_id);
  assign.add_evaluators()->set_evaluator_user_id("eva");
  v1::Application application;
  CHECK_OK(f.stub().AssignEvaluators(Lead().get(), assign, &application));
}

v1::Application Decide(ServiceFixture& f, const std::string& application_id) {
  v1::DecideApplicationRequest decide;
  decide.set_idempotency_key(ServiceFixture::Key());
  decide.set_application_id(application_id);
  v1::Application decided;
  CHECK_OK(f.stub().DecideApplication(Lead().get(), decide, &decided));
  return decided;
}

// The lead authority evaluates the one resubmitted criterion and decides.
v1::Application Evaluate(ServiceFixture& f, const World& w, const std::string& application_id,
                         const std::string& criterion_id, bool passed,
                         const std::string& reason = "") {
  StartEvaluation(f, application_id);
  CHECK_OK(RecordResult(f, w, application_id, criterion_id, passed, reason));
  return Decide(f, application_id);
}

grpc::Status ReinstateWith(ServiceFixture& f, const std::string& membership_id,
                           const std::string& application_id, v1::Membership* out) {
  v1::ReinstateMembershipRequest reinstate;
  reinstate.set_idempotency_key(ServiceFixture::Key());
  reinstate.set_membership_id(membership_id);
  reinstate.set_application_id(application_id);
  reinstate.set_reason("failed items resubmitted and passed");
  return f.stub().ReinstateMembership(Lead().get(), reinstate, out);
}

// The lead authority suspends the establishment, naming the criterion to resubmit.
void SuspendFor(ServiceFixture& f, const World& w, v1::SuspensionReason reason,
                const std::string& criterion_id) {
  v1::SuspendMembershipRequest suspend;
  suspend.set_idempotency_key(ServiceFixture::Key());
  suspend.set_system_id(w.system_id);
  suspend.set_establishment_id(w.establishment_id);
  suspend.set_reason(reason);
  suspend.set_detail("the certificate does not cover the home");
  suspend.add_failed_criterion_ids(criterion_id);
  v1::SuspendMembershipResponse suspended;
  CHECK_OK(f.stub().SuspendMembership(Lead().get(), suspend, &suspended));
}

}  // namespace

TEST_CASE("expired evidence is resubmitted, the member reinstated, and the new expiry watched",
          "[qualification][service][reinstatement]") {
  // Admitted in the only entry window (May 2026); the insurance runs out after 31 March 2027.
  ServiceFixture f(At(2026, 5, 18));
  const World w = SetUp(f, v1::ENTRY_WINDOW_MODE_SCHEDULED);
  const std::string membership_id = QualifiedMember(f, w);
  CHECK(ExpireEvidence(f, At(2027, 4, 1, 3)) == 1);
  REQUIRE(GetMembership(f, membership_id).state() == v1::MEMBERSHIP_STATE_SUSPENDED);
  CHECK(FindEligible(f, w).establishments().empty());

  // Thursday 1 April 2027, after Easter; no entry window is open.
  f.clock().Set(At(2027, 4, 1, 9));
  const std::string renewed = AddInsurance(f, w, Day(2028, 3, 31));
  v1::Application draft;
  CHECK_OK(f.stub().CreateApplication(
      Provider().get(), Reinstatement(w, membership_id, w.insurance_id, renewed), &draft));
  CHECK(draft.kind() == v1::APPLICATION_KIND_REINSTATEMENT);
  REQUIRE(draft.items_size() == 1);  // the membership's, filled in
  CHECK(draft.items(0).establishment_id() == w.establishment_id);
  CHECK(draft.items(0).lot_id() == w.lot_id);
  CHECK(draft.responses(0).establishment_id() == w.establishment_id);
  v1::Application submitted;
  CHECK_OK(Submit(f, draft.id(), &submitted));
  CHECK(submitted.state() == v1::APPLICATION_STATE_SUBMITTED);
  CHECK(DayText(submitted.decision_due_on()) == "2027-04-15");  // ten working days

  // Evaluated on the resubmitted criterion alone.
  StartEvaluation(f, draft.id());
  grpc::Status not_resubmitted = RecordResult(f, w, draft.id(), w.rating_id, true);
  CHECK(not_resubmitted.error_code() == grpc::StatusCode::NOT_FOUND);
  v1::ScoreMethodStatementRequest score;
  score.set_idempotency_key(ServiceFixture::Key());
  score.set_application_id(draft.id());
  score.set_criterion_id(w.workforce_id);
  score.set_establishment_id(w.establishment_id);
  score.set_score(95);
  v1::Application scored;
  CHECK(f.stub()
            .ScoreMethodStatement(ServiceFixture::As(ApiRole::ROLE_EVALUATOR, kLead, "eva").get(),
                                  score, &scored)
            .error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK_OK(RecordResult(f, w, draft.id(), w.insurance_id, true));
  f.clock().Set(At(2027, 4, 6, 11));
  const v1::Application decided = Decide(f, draft.id());
  CHECK(decided.state() == v1::APPLICATION_STATE_DECIDED);
  REQUIRE(decided.decisions_size() == 1);
  CHECK(decided.decisions(0).outcome() == v1::ITEM_OUTCOME_QUALIFIED);
  CHECK(decided.decisions(0).qualification_score() == 0);  // none: the member keeps its own
  REQUIRE(decided.criterion_results_size() == 1);
  CHECK(decided.criterion_results(0).criterion_id() == w.insurance_id);
  // The decision alone changes no membership: the lead authority reinstates with it.
  CHECK(GetMembership(f, membership_id).state() == v1::MEMBERSHIP_STATE_SUSPENDED);
  CHECK(f.EventCount("qualification.membership.qualified") == 1);
  CHECK(f.EventCount("qualification.membership.rejected") == 0);

  f.clock().Set(At(2027, 4, 7, 10));
  v1::Membership reinstated;
  CHECK_OK(ReinstateWith(f, membership_id, draft.id(), &reinstated));
  CHECK(reinstated.state() == v1::MEMBERSHIP_STATE_QUALIFIED);
  CHECK(reinstated.suspensions().empty());
  CHECK(reinstated.qualification_score() == 80);  // unchanged
  CHECK(reinstated.commercial().ceiling_fee().pence() == 400000);
  const v1::FindEligibleEstablishmentsResponse found = FindEligible(f, w);
  REQUIRE(found.establishments_size() == 1);
  CHECK(found.establishments(0).membership_id() == membership_id);
  REQUIRE(f.EventCount("qualification.membership.reinstated") == 1);
  const dps::events::v1::EventEnvelope event = f.LastEvent("qualification.membership.reinstated");
  CHECK(event.membership_reinstated().membership_id() == membership_id);
  CHECK(event.membership_reinstated().establishment_id() == w.establishment_id);

  // The membership now rests on the renewed certificate: the timer suspends it after 31 March
  // 2028, not before.
  CHECK(ExpireEvidence(f, At(2027, 6, 1)) == 0);
  CHECK(ExpireEvidence(f, At(2028, 3, 31, 23)) == 0);
  CHECK(GetMembership(f, membership_id).state() == v1::MEMBERSHIP_STATE_QUALIFIED);
  CHECK(ExpireEvidence(f, At(2028, 4, 1, 3)) == 1);
  const v1::Membership again = GetMembership(f, membership_id);
  CHECK(again.state() == v1::MEMBERSHIP_STATE_SUSPENDED);
  REQUIRE(again.suspensions_size() == 1);
  CHECK(again.suspensions(0).reason() == v1::SUSPENSION_REASON_EVIDENCE_EXPIRED);
  CHECK(again.suspensions(0).failed_criterion_ids(0) == w.insurance_id);
  CHECK(f.EventCount("qualification.membership.suspended") == 2);
}

TEST_CASE("reinstating with an application also lifts the lead authority's own concerns",
          "[qualification][service][reinstatement]") {
  ServiceFixture f(At(2027, 1, 4));
  const World w = SetUp(f);
  const std::string membership_id = QualifiedMember(f, w);
  // Suspended by the lead authority's review, then also by the expired insurance.
  SuspendFor(f, w, v1::SUSPENSION_REASON_LEAD_AUTHORITY_DECISION, "lead-authority-review");
  CHECK(ExpireEvidence(f, At(2027, 4, 1, 3)) == 1);
  REQUIRE(GetMembership(f, membership_id).suspensions_size() == 2);

  // Without an application only the lead's own concern is lifted: the insurance is still owed.
  v1::Membership membership;
  const grpc::Status owed = ReinstateWith(f, membership_id, "", &membership);
  CHECK(owed.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(owed.error_message().find(w.insurance_id) != std::string::npos);

  f.clock().Set(At(2027, 4, 1, 9));
  const std::string renewed = AddInsurance(f, w, Day(2028, 3, 31));
  const v1::Application submitted =
      SubmittedReinstatement(f, Reinstatement(w, membership_id, w.insurance_id, renewed));
  Evaluate(f, w, submitted.id(), w.insurance_id, true);
  CHECK_OK(ReinstateWith(f, membership_id, submitted.id(), &membership));
  CHECK(membership.state() == v1::MEMBERSHIP_STATE_QUALIFIED);
  CHECK(membership.suspensions().empty());
}

TEST_CASE("the evidence a reinstatement replaces no longer suspends the member",
          "[qualification][service][reinstatement]") {
  ServiceFixture f(At(2027, 1, 4));
  const World w = SetUp(f);  // the first certificate is valid up to 31 March 2027
  const std::string membership_id = QualifiedMember(f, w);
  SuspendFor(f, w, v1::SUSPENSION_REASON_AUDIT_FAILED, w.insurance_id);

  f.clock().Set(At(2027, 1, 11));
  const std::string renewed = AddInsurance(f, w, Day(2028, 3, 31));
  const v1::Application application =
      SubmittedReinstatement(f, Reinstatement(w, membership_id, w.insurance_id, renewed));
  Evaluate(f, w, application.id(), w.insurance_id, true);
  v1::Membership reinstated;
  CHECK_OK(ReinstateWith(f, membership_id, application.id(), &reinstated));
  CHECK(reinstated.state() == v1::MEMBERSHIP_STATE_QUALIFIED);

  // The renewal superseded the first certificate, which runs out without effect.
  CHECK(ExpireEvidence(f, At(2027, 4, 1, 3)) == 0);
  CHECK(GetMembership(f, membership_id).state() == v1::MEMBERSHIP_STATE_QUALIFIED);
  CHECK(f.EventCount("qualification.membership.suspended") == 1);  // the audit's
  CHECK(ExpireEvidence(f, At(2028, 4, 1, 3)) == 1);
  CHECK(GetMembership(f, membership_id).state() == v1::MEMBERSHIP_STATE_SUSPENDED);
}

TEST_CASE("a failed criterion retired since it failed is lifted by the lead authority",
          "[qualification][service][reinstatement]") {
  // Only a light-touch system's criteria change while it is LIVE.
  ServiceFixture f(At(2027, 1, 4));
  const World w = SetUp(f, v1::ENTRY_WINDOW_MODE_ALWAYS_OPEN, dps::common::v1::REGIME_LIGHT_TOUCH);
  const std::string membership_id = QualifiedMember(f, w);
  CHECK(ExpireEvidence(f, At(2027, 4, 1, 3)) == 1);
  f.clock().Set(At(2027, 4, 2));
  v1::Membership membership;
  grpc::Status before = ReinstateWith(f, membership_id, "", &membership);
  CHECK(before.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(before.error_message() ==
        "membership: cannot reinstate: no passing resubmission since the suspension for " +
            w.insurance_id);

  // The lead authority stops asking for the insurance certificate.
  v1::ListCriteriaRequest list;
  list.set_system_id(w.system_id);
  v1::ListCriteriaResponse criteria;
  CHECK_OK(f.stub().ListCriteria(Lead().get(), list, &criteria));
  const auto insurance =
      std::find_if(criteria.criteria().begin(), criteria.criteria().end(),
                   [&](const v1::Criterion& c) { return c.id() == w.insurance_id; });
  REQUIRE(insurance != criteria.criteria().end());
  v1::UpdateCriterionRequest retire;
  retire.set_idempotency_key(ServiceFixture::Key());
  retire.set_id(w.insurance_id);
  retire.set_expected_version(insurance->version());
  retire.set_reason("insurance is checked at contract instead");
  v1::CriterionSpec* spec = retire.mutable_spec();
  spec->set_code(insurance->code());
  spec->set_title(insurance->title());
  spec->set_kind(insurance->kind());
  spec->set_category(insurance->category());
  spec->set_evidence_expires(insurance->evidence_expires());
  spec->set_retired(true);
  v1::Criterion retired;
  CHECK_OK(f.stub().UpdateCriterion(Lead().get(), retire, &retired));
  REQUIRE(retired.retired());

  // The provider has nothing left to answer, and the lead authority lifts the suspension itself.
  v1::Application application;
  grpc::Status resubmit = f.stub().CreateApplication(
      Provider().get(), Reinstatement(w, membership_id, w.insurance_id), &application);
  CHECK(resubmit.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(resubmit.error_message() == "membership: nothing to resubmit: the suspension is for " +
                                        w.insurance_id + ", which the lead authority lifts itself");
  CHECK_OK(ReinstateWith(f, membership_id, "", &membership));
  CHECK(membership.state() == v1::MEMBERSHIP_STATE_QUALIFIED);
  CHECK(FindEligible(f, w).establishments_size() == 1);
  CHECK(f.EventCount("qualification.membership.reinstated") == 1);
}

TEST_CASE("an Inadequate rating is lifted by resubmitting the rating criterion",
          "[qualification][service][reinstatement]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  const std::string membership_id = QualifiedMember(f, w);
  auto rate = [&](v1::Rating rating, const dps::common::v1::Date& inspected_on) {
    v1::ImportInspectionRatingsRequest import;
    import.set_idempotency_key(ServiceFixture::Key());
    v1::InspectionRatingRow* row = import.add_rows();
    row->set_inspectorate(v1::INSPECTORATE_OFSTED);
    row->set_inspectorate_ref("SC123456");
    row->set_rating(rating);
    *row->mutable_inspected_on() = inspected_on;
    v1::ImportInspectionRatingsResponse response;
    CHECK_OK(f.stub().ImportInspectionRatings(Lead().get(), import, &response));
  };
  rate(v1::RATING_INADEQUATE, Day(2026, 5, 20));
  const v1::Membership suspended = GetMembership(f, membership_id);
  REQUIRE(suspended.state() == v1::MEMBERSHIP_STATE_SUSPENDED);
  REQUIRE(suspended.suspensions(0).failed_criterion_ids(0) == w.rating_id);

  // Re-inspected: a better grade alone does not lift the suspension.
  f.clock().Set(At(2026, 9, 1));
  rate(v1::RATING_REQUIRES_IMPROVEMENT, Day(2026, 8, 25));
  CHECK(GetMembership(f, membership_id).state() == v1::MEMBERSHIP_STATE_SUSPENDED);

  v1::CreateApplicationRequest request = Reinstatement(w, membership_id, w.rating_id);
  request.mutable_spec()->mutable_responses(0)->set_answer(
      "Re-inspected on 25 August 2026: Requires improvement; action plan attached");
  const v1::Application application = SubmittedReinstatement(f, request);
  const v1::Application decided = Evaluate(f, w, application.id(), w.rating_id, true);
  CHECK(decided.decisions(0).outcome() == v1::ITEM_OUTCOME_QUALIFIED);
  v1::Membership reinstated;
  CHECK_OK(ReinstateWith(f, membership_id, application.id(), &reinstated));
  CHECK(reinstated.state() == v1::MEMBERSHIP_STATE_QUALIFIED);
  CHECK(reinstated.qualification_score() == 80);
  CHECK(FindEligible(f, w).establishments_size() == 1);
  CHECK(f.EventCount("qualification.membership.reinstated") == 1);

  // Only the failed item was resubmitted: the insurance the membership rests on is the first.
  CHECK(ExpireEvidence(f, At(2027, 4, 1, 3)) == 1);
  CHECK(GetMembership(f, membership_id).state() == v1::MEMBERSHIP_STATE_SUSPENDED);
}

TEST_CASE("a reinstatement resubmits the failed items of the provider's own suspended membership",
          "[qualification][service][reinstatement]") {
  ServiceFixture f(At(2027, 1, 4));
  const World w = SetUp(f);
  const std::string membership_id = QualifiedMember(f, w);
  v1::Application application;

  SECTION("a QUALIFIED membership has nothing to reinstate") {
    grpc::Status status = f.stub().CreateApplication(
        Provider().get(), Reinstatement(w, membership_id, w.insurance_id), &application);
    CHECK(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
    CHECK(status.error_message() ==
          "membership: cannot resubmit the failed items of a QUALIFIED membership (only a "
          "SUSPENDED one)");
  }

  CHECK(ExpireEvidence(f, At(2027, 4, 1, 3)) == 1);
  f.clock().Set(At(2027, 4, 1, 9));
  const std::string renewed = AddInsurance(f, w, Day(2028, 3, 31));

  SECTION("only the failed items are answered") {
    grpc::Status status = f.stub().CreateApplication(
        Provider().get(), Reinstatement(w, membership_id, w.rating_id), &application);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message() == "spec.responses[0].criterion_id: " + w.rating_id +
                                        " is not a failed item of membership " + membership_id +
                                        ": resubmit only " + w.insurance_id);
  }

  SECTION("every failed item is answered before submission") {
    v1::CreateApplicationRequest empty = Reinstatement(w, membership_id, w.insurance_id);
    empty.mutable_spec()->clear_responses();
    CHECK_OK(f.stub().CreateApplication(Provider().get(), empty, &application));
    grpc::Status status = Submit(f, application.id(), &application);
    CHECK(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
    CHECK(status.error_message() ==
          "application: cannot submit the reinstatement without the failed items " +
              w.insurance_id);
  }

  SECTION("evidence that has already expired is refused, as in any application") {
    CHECK_OK(f.stub().CreateApplication(
        Provider().get(), Reinstatement(w, membership_id, w.insurance_id, w.evidence_id),
        &application));
    grpc::Status status = Submit(f, application.id(), &application);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message() ==
          "responses[0].evidence_ids: evidence expired on 2027-03-31, before "
          "submission on 2027-04-01");
  }

  SECTION("no prices, and nothing copied") {
    v1::CreateApplicationRequest priced = Reinstatement(w, membership_id, w.insurance_id, renewed);
    v1::CommercialSubmission* commercial = priced.mutable_spec()->add_commercial();
    commercial->set_establishment_id(w.establishment_id);
    commercial->set_lot_id(w.lot_id);
    commercial->mutable_ceiling_fee()->set_pence(450000);
    grpc::Status status = f.stub().CreateApplication(Provider().get(), priced, &application);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message() ==
          "spec.commercial: a reinstatement carries no prices: the membership's stay in force");
    v1::CreateApplicationRequest copied = Reinstatement(w, membership_id, w.insurance_id, renewed);
    copied.set_copy_from_application_id("app-earlier");
    status = f.stub().CreateApplication(Provider().get(), copied, &application);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message().rfind("copy_from_application_id:", 0) == 0);
  }

  SECTION("another provider's membership is not found") {
    v1::CreateApplicationRequest theirs = Reinstatement(w, membership_id, w.insurance_id);
    theirs.set_provider_id("provider-b");
    grpc::Status status =
        f.stub().CreateApplication(Provider("provider-b").get(), theirs, &application);
    CHECK(status.error_code() == grpc::StatusCode::NOT_FOUND);
    CHECK(status.error_message() == "membership " + membership_id + ": not found");
  }

  SECTION("a new application for the lot is refused while suspended, pointing here") {
    grpc::Status status =
        f.stub().CreateApplication(Provider().get(), ApplicationFor(w, 400000), &application);
    CHECK(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
    CHECK(status.error_message() ==
          "membership: cannot apply again while SUSPENDED: resubmit the failed items in a "
          "reinstatement application");
  }

  SECTION("an EXCLUDED membership is not reinstated") {
    CHECK_OK(f.stub().CreateApplication(
        Provider().get(), Reinstatement(w, membership_id, w.insurance_id, renewed), &application));
    v1::ExcludeMembershipRequest exclude;
    exclude.set_idempotency_key(ServiceFixture::Key());
    exclude.set_membership_id(membership_id);
    exclude.set_reason("fraud");
    v1::Membership excluded;
    CHECK_OK(f.stub().ExcludeMembership(Lead().get(), exclude, &excluded));
    const std::string refusal =
        "membership: cannot resubmit the failed items of an EXCLUDED membership (only a "
        "SUSPENDED one)";
    grpc::Status status = Submit(f, application.id(), &application);
    CHECK(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
    CHECK(status.error_message() == refusal);
    status = f.stub().CreateApplication(
        Provider().get(), Reinstatement(w, membership_id, w.insurance_id, renewed), &application);
    CHECK(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
    CHECK(status.error_message() == refusal);
  }

  SECTION("a submitted reinstatement") {
    const v1::Application first =
        SubmittedReinstatement(f, Reinstatement(w, membership_id, w.insurance_id, renewed));

    SECTION("one reinstatement awaits its decision at a time") {
      v1::Application second;
      CHECK_OK(f.stub().CreateApplication(
          Provider().get(), Reinstatement(w, membership_id, w.insurance_id, renewed), &second));
      grpc::Status status = Submit(f, second.id(), &second);
      CHECK(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
      CHECK(status.error_message() ==
            "membership: cannot resubmit the failed items while reinstatement " + first.id() +
                " awaits its decision: withdraw it or wait for the decision");
    }

    SECTION("rejected: the applicant reads why, the member stays suspended and may try again") {
      const v1::Application decided = Evaluate(f, w, first.id(), w.insurance_id, false,
                                               "the certificate names another company");
      REQUIRE(decided.decisions_size() == 1);
      CHECK(decided.decisions(0).outcome() == v1::ITEM_OUTCOME_REJECTED);
      v1::GetApplicationRequest get;
      get.set_id(first.id());
      v1::Application seen;
      CHECK_OK(f.stub().GetApplication(Provider().get(), get, &seen));
      REQUIRE(seen.criterion_results_size() == 1);
      CHECK_FALSE(seen.criterion_results(0).passed());
      CHECK(seen.criterion_results(0).reason() == "the certificate names another company");
      CHECK(seen.decisions(0).reason() ==
            w.insurance_id + ": the certificate names another company");
      CHECK(f.EventCount("qualification.membership.rejected") == 0);  // still a (suspended) member

      v1::Membership membership;
      grpc::Status status = ReinstateWith(f, membership_id, first.id(), &membership);
      CHECK(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
      CHECK(status.error_message() ==
            "membership: cannot reinstate: no passing resubmission since the suspension for " +
                w.insurance_id);
      CHECK(GetMembership(f, membership_id).state() == v1::MEMBERSHIP_STATE_SUSPENDED);
      CHECK(FindEligible(f, w).establishments().empty());
      CHECK(f.EventCount("qualification.membership.reinstated") == 0);

      const v1::Application retry =
          SubmittedReinstatement(f, Reinstatement(w, membership_id, w.insurance_id, renewed));
      CHECK(retry.state() == v1::APPLICATION_STATE_SUBMITTED);
    }
  }
}

}  // namespace dps::qualification::testing
