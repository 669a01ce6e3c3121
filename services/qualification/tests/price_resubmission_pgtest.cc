// Price resubmission end to end through gRPC against a real PostgreSQL: a member's new prices,
// refused before the prices' validity is over, decided by the lead authority, and in force (in
// the membership, the eligibility table and an outbox event) once accepted.
#include <catch2/catch.hpp>

#include "services/qualification/tests/service_fixture.h"
#include "services/qualification/tests/world.h"

namespace dps::qualification::testing {
namespace {

// A draft of new prices for the membership: one commercial submission, no items or answers.
v1::CreateApplicationRequest NewPrices(const World& w, const std::string& membership_id,
                                       int64_t weekly_fee_pence) {
  v1::CreateApplicationRequest request;
  request.set_idempotency_key(ServiceFixture::Key());
  request.set_system_id(w.system_id);
  request.set_provider_id(kProvider);
  request.set_kind(v1::APPLICATION_KIND_PRICE_RESUBMISSION);
  request.set_membership_id(membership_id);
  v1::CommercialSubmission* commercial = request.mutable_spec()->add_commercial();
  commercial->set_establishment_id(w.establishment_id);
  commercial->set_lot_id(w.lot_id);
  commercial->mutable_ceiling_fee()->set_pence(weekly_fee_pence);
  return request;
}

std::string DraftOfNewPrices(ServiceFixture& f, const World& w, const std::string& membership_id,
                             int64_t weekly_fee_pence) {
  v1::Application draft;
  CHECK_OK(f.stub().CreateApplication(Provider().get(),
                                      NewPrices(w, membership_id, weekly_fee_pence), &draft));
  return draft.id();
}

grpc::Status DecidePrices(ServiceFixture& f, const std::string& id, v1::ItemOutcome outcome,
                          const std::string& reason, v1::Application* out) {
  v1::DecideApplicationRequest decide;
  decide.set_idempotency_key(ServiceFixture::Key());
  decide.set_application_id(id);
  v1::ItemDecision* decision = decide.add_decisions();
  decision->set_outcome(outcome);
  decision->set_reason(reason);
  return f.stub().DecideApplication(Lead().get(), decide, out);
}

// The ceiling fee FindEligibleEstablishments gives the one member of the lot.
int64_t EligibleCeiling(ServiceFixture& f, const World& w) {
  const v1::FindEligibleEstablishmentsResponse found = FindEligible(f, w);
  REQUIRE(found.establishments_size() == 1);
  return found.establishments(0).ceiling_fee().pence();
}

}  // namespace

TEST_CASE("a member's prices are resubmitted after 12 months and decided by the lead authority",
          "[qualification][service][prices]") {
  // Qualified on Monday 18 May 2026, inside the only entry window (May 2026): its prices hold
  // until 17 May 2027, and no window is open when they may be resubmitted.
  ServiceFixture f(At(2026, 5, 18));
  const World w = SetUp(f, v1::ENTRY_WINDOW_MODE_SCHEDULED);
  const std::string membership_id = QualifiedMember(f, w);
  CHECK(DayText(GetMembership(f, membership_id).commercial().valid_until()) == "2027-05-17");

  v1::Application draft;
  CHECK_OK(
      f.stub().CreateApplication(Provider().get(), NewPrices(w, membership_id, 470000), &draft));
  CHECK(draft.kind() == v1::APPLICATION_KIND_PRICE_RESUBMISSION);
  REQUIRE(draft.items_size() == 1);  // the membership's, filled in
  CHECK(draft.items(0).establishment_id() == w.establishment_id);
  CHECK(draft.items(0).lot_id() == w.lot_id);

  SECTION("refused before 12 months, naming the first day") {
    f.clock().Set(At(2027, 5, 17, 23));
    v1::Application submitted;
    grpc::Status early = Submit(f, draft.id(), &submitted);
    CHECK(early.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
    CHECK(early.error_message() ==
          "membership: cannot resubmit prices before 2027-05-18: prices hold for 12 months");
    CHECK(f.EventCount("qualification.application.submitted") == 1);  // the admission's only
  }

  f.clock().Set(At(2027, 5, 18));

  SECTION("a fee above the lot's affordability cap is refused naming the field") {
    const std::string above = DraftOfNewPrices(f, w, membership_id, 520000);
    v1::Application submitted;
    grpc::Status capped = Submit(f, above, &submitted);
    CHECK(capped.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(capped.error_message() ==
          "commercial[0].ceiling_fee: 520000 exceeds the lot's affordability cap of 500000");
  }

  v1::Application submitted;
  CHECK_OK(Submit(f, draft.id(), &submitted));  // though the entry window is closed
  CHECK(submitted.state() == v1::APPLICATION_STATE_SUBMITTED);
  // Ten working days, the spring bank holiday (31 May 2027) counted out.
  CHECK(DayText(submitted.decision_due_on()) == "2027-06-02");
  CHECK(f.EventCount("qualification.application.submitted") == 2);

  SECTION("a second resubmission is refused while the first awaits its decision") {
    const std::string second = DraftOfNewPrices(f, w, membership_id, 460000);
    v1::Application refused;
    grpc::Status open = Submit(f, second, &refused);
    CHECK(open.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
    CHECK(open.error_message() == "membership: cannot resubmit prices while price resubmission " +
                                      draft.id() +
                                      " awaits its decision: withdraw it or wait for the decision");
    v1::WithdrawApplicationRequest withdraw;
    withdraw.set_idempotency_key(ServiceFixture::Key());
    withdraw.set_id(draft.id());
    withdraw.set_reason("sent the wrong figure");
    v1::Application withdrawn;
    CHECK_OK(f.stub().WithdrawApplication(Provider().get(), withdraw, &withdrawn));
    CHECK_OK(Submit(f, second, &refused));
  }

  SECTION("there is nothing for evaluators: the lead authority decides directly") {
    v1::AssignEvaluatorsRequest assign;
    assign.set_idempotency_key(ServiceFixture::Key());
    assign.set_application_id(draft.id());
    assign.add_evaluators()->set_evaluator_user_id("eva");
    v1::Application application;
    CHECK(f.stub().AssignEvaluators(Lead().get(), assign, &application).error_code() ==
          grpc::StatusCode::FAILED_PRECONDITION);
  }

  SECTION("accepted: the membership, the eligibility table and the outbox show the new prices") {
    f.clock().Set(At(2027, 5, 25, 15));
    v1::Application decided;
    CHECK_OK(DecidePrices(f, draft.id(), v1::ITEM_OUTCOME_QUALIFIED, "", &decided));
    CHECK(decided.state() == v1::APPLICATION_STATE_DECIDED);
    REQUIRE(decided.decisions_size() == 1);
    CHECK(decided.decisions(0).outcome() == v1::ITEM_OUTCOME_QUALIFIED);
    CHECK(decided.decisions(0).membership_id() == membership_id);

    const v1::Membership membership = GetMembership(f, membership_id);
    CHECK(membership.state() == v1::MEMBERSHIP_STATE_QUALIFIED);
    CHECK(membership.commercial().ceiling_fee().pence() == 470000);
    CHECK(DayText(membership.commercial().valid_from()) == "2027-05-25");
    CHECK(DayText(membership.commercial().valid_until()) == "2028-05-24");
    CHECK(membership.qualification_score() == 80);  // unchanged
    REQUIRE(membership.history_size() == 2);
    CHECK(membership.history(1).from_state() == "400000");
    CHECK(membership.history(1).to_state() == "470000");
    CHECK(membership.history(1).actor().user_id() == "user-1");
    CHECK(EligibleCeiling(f, w) == 470000);

    REQUIRE(f.EventCount("qualification.membership.prices_changed") == 1);
    const dps::events::v1::EventEnvelope event =
        f.LastEvent("qualification.membership.prices_changed");
    CHECK(event.system_id() == w.system_id);
    CHECK(event.aggregate_id() == membership_id);
    const dps::events::v1::MembershipPricesChanged& changed = event.membership_prices_changed();
    CHECK(changed.membership_id() == membership_id);
    CHECK(changed.lot_id() == w.lot_id);
    CHECK(changed.establishment_id() == w.establishment_id);
    CHECK(changed.provider_id() == kProvider);
    CHECK(changed.application_id() == draft.id());
    CHECK(changed.ceiling_fee_before().pence() == 400000);
    CHECK(changed.ceiling_fee_after().pence() == 470000);
    CHECK(changed.effective_at().seconds() == absl::ToUnixSeconds(At(2027, 5, 25, 15)));
    CHECK(f.EventCount("qualification.application.decided") == 2);
    CHECK(f.EventCount("qualification.membership.qualified") == 1);  // no new membership

    // The clock restarts from the decision.
    const std::string next = DraftOfNewPrices(f, w, membership_id, 480000);
    v1::Application again;
    grpc::Status early = Submit(f, next, &again);
    CHECK(early.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
    CHECK(early.error_message() ==
          "membership: cannot resubmit prices before 2028-05-25: prices hold for 12 months");
  }

  SECTION("rejected: the prices stay and the applicant reads why") {
    v1::Application decided;
    grpc::Status no_reason = DecidePrices(f, draft.id(), v1::ITEM_OUTCOME_REJECTED, "", &decided);
    CHECK(no_reason.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(no_reason.error_message() ==
          "decisions[0].reason: rejected prices need a reason the applicant can read");
    CHECK_OK(DecidePrices(f, draft.id(), v1::ITEM_OUTCOME_REJECTED,
                          "17% above comparable homes in the lot", &decided));

    v1::GetApplicationRequest get;
    get.set_id(draft.id());
    v1::Application seen;
    CHECK_OK(f.stub().GetApplication(Provider().get(), get, &seen));
    CHECK(seen.state() == v1::APPLICATION_STATE_DECIDED);
    REQUIRE(seen.decisions_size() == 1);
    CHECK(seen.decisions(0).outcome() == v1::ITEM_OUTCOME_REJECTED);
    CHECK(seen.decisions(0).reason() == "17% above comparable homes in the lot");
    CHECK(seen.decisions(0).membership_id().empty());

    const v1::Membership membership = GetMembership(f, membership_id);
    CHECK(membership.commercial().ceiling_fee().pence() == 400000);
    CHECK(DayText(membership.commercial().valid_from()) == "2026-05-18");
    CHECK(membership.history_size() == 1);
    CHECK(EligibleCeiling(f, w) == 400000);
    CHECK(f.EventCount("qualification.membership.prices_changed") == 0);
    CHECK(f.EventCount("qualification.membership.rejected") == 0);  // the member stays admitted
    CHECK(f.EventCount("qualification.application.decided") == 2);
  }
}

TEST_CASE("new prices name the provider's own membership, not an excluded one",
          "[qualification][service][prices]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  const std::string membership_id = QualifiedMember(f, w);
  f.clock().Set(At(2027, 6, 1));

  SECTION("another provider's membership is not found, and not theirs to act for") {
    v1::CreateApplicationRequest theirs = NewPrices(w, membership_id, 300000);
    theirs.set_provider_id("provider-b");
    v1::Application application;
    grpc::Status hidden =
        f.stub().CreateApplication(Provider("provider-b").get(), theirs, &application);
    CHECK(hidden.error_code() == grpc::StatusCode::NOT_FOUND);
    CHECK(hidden.error_message() == "membership " + membership_id + ": not found");
    CHECK(f.stub()
              .CreateApplication(Provider("provider-b").get(), NewPrices(w, membership_id, 300000),
                                 &application)
              .error_code() == grpc::StatusCode::PERMISSION_DENIED);
  }

  SECTION("the draft names a membership, and gives prices and no answers") {
    v1::Application application;
    v1::CreateApplicationRequest unnamed = NewPrices(w, membership_id, 420000);
    unnamed.clear_membership_id();
    grpc::Status status = f.stub().CreateApplication(Provider().get(), unnamed, &application);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message() == "membership_id: required for a PRICE_RESUBMISSION application");

    v1::CreateApplicationRequest answered = NewPrices(w, membership_id, 420000);
    answered.mutable_spec()->add_responses()->set_criterion_id(w.insurance_id);
    status = f.stub().CreateApplication(Provider().get(), answered, &application);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message().rfind("spec.responses:", 0) == 0);

    v1::CreateApplicationRequest twice = NewPrices(w, membership_id, 420000);
    *twice.mutable_spec()->add_commercial() = twice.spec().commercial(0);
    status = f.stub().CreateApplication(Provider().get(), twice, &application);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message() ==
          "spec.commercial: a price resubmission carries exactly one commercial submission, got 2");
  }

  SECTION("an EXCLUDED membership's prices are not resubmitted") {
    const std::string draft = DraftOfNewPrices(f, w, membership_id, 420000);
    v1::ExcludeMembershipRequest exclude;
    exclude.set_idempotency_key(ServiceFixture::Key());
    exclude.set_membership_id(membership_id);
    exclude.set_reason("fraud");
    v1::Membership excluded;
    CHECK_OK(f.stub().ExcludeMembership(Lead().get(), exclude, &excluded));
    v1::Application submitted;
    grpc::Status status = Submit(f, draft, &submitted);
    CHECK(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
    CHECK(status.error_message() ==
          "membership: cannot resubmit prices for an EXCLUDED membership: exclusion is final");
    CHECK(GetMembership(f, membership_id).commercial().ceiling_fee().pence() == 400000);
  }
}

}  // namespace dps::qualification::testing
