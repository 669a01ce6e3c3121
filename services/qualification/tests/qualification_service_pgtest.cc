// QualificationService end to end through gRPC against a real PostgreSQL with PostGIS: set-up,
// application to decision, membership transitions, ratings, alerts, eligibility, idempotency and
// the evidence-expiry timer.
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/qualification/tests/service_fixture.h"
#include "services/qualification/tests/world.h"
#include "services/qualification/timers/evidence_expiry.h"

namespace dps::qualification::testing {

TEST_CASE("an application is submitted, evaluated and decided, and its membership qualifies",
          "[qualification][service]") {
  // Friday 18 December 2026: the ten working days skip Christmas, the Boxing Day substitute
  // (Monday 28th) and New Year's Day.
  ServiceFixture f(At(2026, 12, 18));
  const World w = SetUp(f);
  auto& stub = f.stub();

  SECTION("a price above the lot's affordability cap is refused at submission") {
    v1::Application draft;
    CHECK_OK(
        stub.CreateApplication(ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(),
                               ApplicationFor(w, 520000), &draft));
    v1::Application submitted;
    grpc::Status status = Submit(f, draft.id(), &submitted);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    // Named as the application holds the fee, not as the domain does.
    CHECK(status.error_message() ==
          "commercial[0].ceiling_fee: 520000 exceeds the lot's affordability cap of 500000");
    CHECK(f.EventCount("qualification.application.submitted") == 0);
  }

  // A refusal names the field as the application holds it (items, responses), not as the
  // domain's parts and answers do.
  auto refused = [&](const v1::CreateApplicationRequest& request) {
    v1::Application made;
    CHECK_OK(stub.CreateApplication(
        ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(), request, &made));
    v1::Application submitted;
    const grpc::Status status = Submit(f, made.id(), &submitted);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    return status.error_message();
  };
  SECTION("an answer with neither words nor evidence is named by its response") {
    v1::CreateApplicationRequest request = ApplicationFor(w, 450000);
    request.mutable_spec()->mutable_responses(2)->clear_answer();
    CHECK(refused(request) == "responses[2]: must give a response or an evidence reference");
  }
  SECTION("a criterion answered twice is named by the second response") {
    v1::CreateApplicationRequest request = ApplicationFor(w, 450000);
    *request.mutable_spec()->add_responses() = request.spec().responses(0);
    CHECK(refused(request) == absl::StrCat("responses[3].criterion_id: criterion \"",
                                           w.insurance_id, "\" answered twice"));
  }
  SECTION("an establishment and lot applied for twice is named by the second item") {
    v1::CreateApplicationRequest request = ApplicationFor(w, 450000);
    *request.mutable_spec()->add_items() = request.spec().items(0);
    CHECK(refused(request) == absl::StrCat("items[1]: repeats items[0] (establishment \"",
                                           w.establishment_id, "\", lot \"", w.lot_id, "\")"));
  }
  CHECK(f.EventCount("qualification.application.submitted") == 0);

  v1::Application draft;
  CHECK_OK(stub.CreateApplication(ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(),
                                  ApplicationFor(w, 450000), &draft));
  CHECK(draft.state() == v1::APPLICATION_STATE_DRAFT);
  v1::Application submitted;
  CHECK_OK(Submit(f, draft.id(), &submitted));
  CHECK(submitted.state() == v1::APPLICATION_STATE_SUBMITTED);
  CHECK(DayText(submitted.decision_due_on()) == "2027-01-06");
  CHECK(f.EventCount("qualification.application.submitted") == 1);

  SECTION("submitting twice is a forbidden transition") {
    v1::Application again;
    CHECK(Submit(f, draft.id(), &again).error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  }

  SECTION("another provider cannot see the application") {
    v1::GetApplicationRequest get;
    get.set_id(draft.id());
    v1::Application seen;
    CHECK(stub.GetApplication(ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, "provider-b").get(),
                              get, &seen)
              .error_code() == grpc::StatusCode::NOT_FOUND);
  }

  SECTION("the decision period extends once, to 15 working days") {
    v1::ExtendDecisionPeriodRequest extend;
    extend.set_idempotency_key(ServiceFixture::Key());
    extend.set_application_id(draft.id());
    extend.set_reason("site visit needed");
    v1::Application extended;
    CHECK_OK(stub.ExtendDecisionPeriod(
        ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kLead).get(), extend, &extended));
    CHECK(DayText(extended.decision_due_on()) == "2027-01-13");
    extend.set_idempotency_key(ServiceFixture::Key());
    CHECK(stub.ExtendDecisionPeriod(
                  ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kLead).get(), extend,
                  &extended)
              .error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  }

  SECTION("an evaluator not assigned to the application may not score it") {
    v1::AssignEvaluatorsRequest assign;
    assign.set_idempotency_key(ServiceFixture::Key());
    assign.set_application_id(draft.id());
    assign.add_evaluators()->set_evaluator_user_id("eva");
    v1::Application application;
    CHECK_OK(stub.AssignEvaluators(
        ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kLead).get(), assign, &application));
    CHECK(application.state() == v1::APPLICATION_STATE_UNDER_EVALUATION);
    v1::ScoreMethodStatementRequest score;
    score.set_idempotency_key(ServiceFixture::Key());
    score.set_application_id(draft.id());
    score.set_criterion_id(w.workforce_id);
    score.set_establishment_id(w.establishment_id);
    score.set_score(70);
    CHECK(stub.ScoreMethodStatement(ServiceFixture::As(ApiRole::ROLE_EVALUATOR, kLead, "bob").get(),
                                    score, &application)
              .error_code() == grpc::StatusCode::PERMISSION_DENIED);
    score.set_score(101);
    grpc::Status out_of_range = stub.ScoreMethodStatement(
        ServiceFixture::As(ApiRole::ROLE_EVALUATOR, kLead, "eva").get(), score, &application);
    CHECK(out_of_range.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(out_of_range.error_message().rfind("score:", 0) == 0);
  }

  SECTION("the decision creates a QUALIFIED membership with its score, announced once") {
    const std::string membership_id = Qualify(f, w, draft.id());
    const v1::Membership membership = GetMembership(f, membership_id);
    CHECK(membership.state() == v1::MEMBERSHIP_STATE_QUALIFIED);
    v1::GetMembershipRequest get_membership;
    get_membership.set_id(membership_id);
    v1::Membership seen;
    CHECK_OK(stub.GetMembership(ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(),
                                get_membership, &seen));
    CHECK(stub.GetMembership(ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, "provider-b").get(),
                             get_membership, &seen)
              .error_code() == grpc::StatusCode::NOT_FOUND);
    v1::ListMembershipsRequest list;
    v1::ListMembershipsResponse listed;
    CHECK_OK(stub.ListMemberships(
        ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, "provider-b").get(), list, &listed));
    CHECK(listed.memberships().empty());
    CHECK_OK(stub.ListMemberships(ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner).get(),
                                  list, &listed));
    CHECK(listed.memberships_size() == 1);
    // A council outside the system sees none of its members' prices or scores.
    auto outsider = [] { return ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kOutsider); };
    CHECK(stub.GetMembership(outsider().get(), get_membership, &seen).error_code() ==
          grpc::StatusCode::PERMISSION_DENIED);
    CHECK_OK(stub.ListMemberships(outsider().get(), list, &listed));
    CHECK(listed.memberships().empty());
    v1::ListMembershipsRequest of_system;
    of_system.set_system_id(w.system_id);
    CHECK(stub.ListMemberships(outsider().get(), of_system, &listed).error_code() ==
          grpc::StatusCode::PERMISSION_DENIED);
    v1::ListMembershipsRequest of_lot;
    of_lot.set_lot_id(w.lot_id);
    CHECK(stub.ListMemberships(outsider().get(), of_lot, &listed).error_code() ==
          grpc::StatusCode::PERMISSION_DENIED);
    CHECK_OK(stub.ListMemberships(Lead().get(), of_lot, &listed));
    CHECK(listed.memberships_size() == 1);
    v1::ListMembershipsRequest odd_state;
    odd_state.add_states(static_cast<v1::MembershipState>(99));
    const grpc::Status odd = stub.ListMemberships(Lead().get(), odd_state, &listed);
    CHECK(odd.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(odd.error_message() == "states[0]: must be a value of MembershipState, got 99");
    CHECK(membership.qualification_score() == 80);
    CHECK(membership.commercial().ceiling_fee().pence() == 450000);
    CHECK(f.EventCount("qualification.membership.qualified") == 1);
    CHECK(f.EventCount("qualification.application.decided") == 1);

    v1::WithdrawApplicationRequest withdraw;
    withdraw.set_idempotency_key(ServiceFixture::Key());
    withdraw.set_id(draft.id());
    withdraw.set_reason("changed our mind");
    v1::Application withdrawn;
    CHECK(stub.WithdrawApplication(ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(),
                                   withdraw, &withdrawn)
              .error_code() == grpc::StatusCode::FAILED_PRECONDITION);

    // A member may not apply again for the same lot.
    v1::Application second;
    CHECK(stub.CreateApplication(ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(),
                                 ApplicationFor(w, 450000), &second)
              .error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  }
}

TEST_CASE("a retried change returns the first answer and changes nothing more",
          "[qualification][service]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  v1::Application draft;
  CHECK_OK(
      f.stub().CreateApplication(ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(),
                                 ApplicationFor(w, 400000), &draft));
  v1::SubmitApplicationRequest submit;
  submit.set_idempotency_key("submit-once");
  submit.set_id(draft.id());
  v1::Application first, second;
  CHECK_OK(f.stub().SubmitApplication(
      ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(), submit, &first));
  CHECK_OK(f.stub().SubmitApplication(
      ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(), submit, &second));
  CHECK(first.SerializeAsString() == second.SerializeAsString());
  CHECK(f.EventCount("qualification.application.submitted") == 1);

  submit.set_expected_version(99);
  grpc::Status reused = f.stub().SubmitApplication(
      ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(), submit, &second);
  CHECK(reused.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(reused.error_message().rfind("idempotency_key:", 0) == 0);

  submit.clear_idempotency_key();
  CHECK(f.stub()
            .SubmitApplication(ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(),
                               submit, &second)
            .error_code() == grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("callers are authenticated and held to their role and organisation",
          "[qualification][service]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  v1::GetPurchasingSystemRequest get;
  get.set_id(w.system_id);
  v1::PurchasingSystem system;
  grpc::ClientContext anonymous;
  CHECK(f.stub().GetPurchasingSystem(&anonymous, get, &system).error_code() ==
        grpc::StatusCode::UNAUTHENTICATED);

  v1::SetPurchasingSystemStateRequest close;
  close.set_idempotency_key(ServiceFixture::Key());
  close.set_id(w.system_id);
  close.set_state(v1::PURCHASING_SYSTEM_STATE_CLOSED);
  CHECK(f.stub()
            .SetPurchasingSystemState(
                ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kPartner).get(), close,
                &system)
            .error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(f.stub()
            .SetPurchasingSystemState(
                ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kLead).get(), close, &system)
            .error_code() == grpc::StatusCode::PERMISSION_DENIED);

  v1::CreateApplicationRequest foreign = ApplicationFor(w, 400000);
  foreign.set_provider_id("provider-b");
  v1::Application application;
  CHECK(f.stub()
            .CreateApplication(ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(),
                               foreign, &application)
            .error_code() == grpc::StatusCode::PERMISSION_DENIED);

  // DRAFT -> CLOSED skips LIVE; LIVE -> CLOSED is allowed; CLOSED -> LIVE is not.
  CHECK_OK(f.stub().SetPurchasingSystemState(
      ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kLead).get(), close, &system));
  close.set_idempotency_key(ServiceFixture::Key());
  close.set_state(v1::PURCHASING_SYSTEM_STATE_LIVE);
  CHECK(f.stub()
            .SetPurchasingSystemState(
                ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kLead).get(), close, &system)
            .error_code() == grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_CASE("applications are refused while the entry window is closed", "[qualification][service]") {
  ServiceFixture f(At(2026, 6, 15));  // the only window was May 2026
  const World w = SetUp(f, v1::ENTRY_WINDOW_MODE_SCHEDULED);
  v1::Application draft;
  CHECK_OK(
      f.stub().CreateApplication(ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(),
                                 ApplicationFor(w, 400000), &draft));
  v1::Application submitted;
  grpc::Status status = Submit(f, draft.id(), &submitted);
  CHECK(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(status.error_message().find("entry window is closed") != std::string::npos);
}

TEST_CASE("membership moves between QUALIFIED, SUSPENDED and EXCLUDED, and no further",
          "[qualification][service]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  v1::Application draft;
  CHECK_OK(
      f.stub().CreateApplication(ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(),
                                 ApplicationFor(w, 400000), &draft));
  v1::Application submitted;
  CHECK_OK(Submit(f, draft.id(), &submitted));
  const std::string membership_id = Qualify(f, w, draft.id());
  auto& stub = f.stub();
  auto lead = [] { return ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kLead); };

  v1::SuspendMembershipRequest suspend;
  suspend.set_idempotency_key(ServiceFixture::Key());
  suspend.set_system_id(w.system_id);
  suspend.set_establishment_id(w.establishment_id);
  suspend.set_reason(v1::SUSPENSION_REASON_LEAD_AUTHORITY_DECISION);
  SECTION("a suspension needs a reason") {
    v1::SuspendMembershipResponse suspended;
    grpc::Status status = stub.SuspendMembership(lead().get(), suspend, &suspended);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message().rfind("detail:", 0) == 0);
  }
  suspend.set_detail("complaint under review");
  v1::SuspendMembershipResponse suspended;
  CHECK_OK(stub.SuspendMembership(lead().get(), suspend, &suspended));
  REQUIRE(suspended.memberships_size() == 1);
  CHECK(suspended.memberships(0).state() == v1::MEMBERSHIP_STATE_SUSPENDED);
  CHECK(f.EventCount("qualification.membership.suspended") == 1);

  f.clock().Advance(absl::Hours(48));  // the review takes time
  v1::ReinstateMembershipRequest reinstate;
  reinstate.set_idempotency_key(ServiceFixture::Key());
  reinstate.set_membership_id(membership_id);
  reinstate.set_reason("review concluded");
  v1::Membership membership;
  CHECK_OK(stub.ReinstateMembership(lead().get(), reinstate, &membership));
  CHECK(membership.state() == v1::MEMBERSHIP_STATE_QUALIFIED);
  CHECK(f.EventCount("qualification.membership.reinstated") == 1);

  SECTION("reinstating a qualified membership is refused") {
    reinstate.set_idempotency_key(ServiceFixture::Key());
    CHECK(stub.ReinstateMembership(lead().get(), reinstate, &membership).error_code() ==
          grpc::StatusCode::FAILED_PRECONDITION);
  }

  SECTION("the score moves within its bound, not sooner than six months") {
    v1::AdjustQualificationScoreRequest adjust;
    adjust.set_idempotency_key(ServiceFixture::Key());
    adjust.set_membership_id(membership_id);
    adjust.set_delta_points(-5);
    adjust.set_reason("KPI returns late");
    adjust.add_performance_review_ids(
        RecordReview(f, w.system_id, w.establishment_id, "review-late-kpis"));
    v1::ScoreAdjustment adjustment;
    CHECK(stub.AdjustQualificationScore(lead().get(), adjust, &adjustment).error_code() ==
          grpc::StatusCode::FAILED_PRECONDITION);
    f.clock().Advance(absl::Hours(24 * 190));
    adjust.set_idempotency_key(ServiceFixture::Key());
    adjust.set_delta_points(-25);
    CHECK(stub.AdjustQualificationScore(lead().get(), adjust, &adjustment).error_code() ==
          grpc::StatusCode::INVALID_ARGUMENT);
    adjust.set_idempotency_key(ServiceFixture::Key());
    adjust.set_delta_points(-5);
    CHECK_OK(stub.AdjustQualificationScore(lead().get(), adjust, &adjustment));
    CHECK(adjustment.score_before() == 80);
    CHECK(adjustment.score_after() == 75);
    CHECK(GetMembership(f, membership_id).qualification_score() == 75);
    CHECK(f.EventCount("qualification.membership.score_adjusted") == 1);
  }

  v1::ExcludeMembershipRequest exclude;
  exclude.set_idempotency_key(ServiceFixture::Key());
  exclude.set_membership_id(membership_id);
  exclude.set_reason("fraud");
  CHECK_OK(stub.ExcludeMembership(lead().get(), exclude, &membership));
  CHECK(membership.state() == v1::MEMBERSHIP_STATE_EXCLUDED);
  CHECK(f.EventCount("qualification.membership.excluded") == 1);

  exclude.set_idempotency_key(ServiceFixture::Key());
  CHECK(stub.ExcludeMembership(lead().get(), exclude, &membership).error_code() ==
        grpc::StatusCode::FAILED_PRECONDITION);
  reinstate.set_idempotency_key(ServiceFixture::Key());
  CHECK(stub.ReinstateMembership(lead().get(), reinstate, &membership).error_code() ==
        grpc::StatusCode::FAILED_PRECONDITION);
  // Excluded members are never eligible, so the list for the lot is empty.
  CHECK(FindEligible(f, w).establishments().empty());
}

TEST_CASE("eligibility lists qualified members and explains the others",
          "[qualification][service]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  v1::Application draft;
  CHECK_OK(
      f.stub().CreateApplication(ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(),
                                 ApplicationFor(w, 400000), &draft));
  v1::Application submitted;
  CHECK_OK(Submit(f, draft.id(), &submitted));
  const std::string membership_id = Qualify(f, w, draft.id());

  v1::FindEligibleEstablishmentsRequest find;
  v1::EligibilityQuery* query = find.mutable_query();
  query->set_lot_id(w.lot_id);
  query->mutable_location()->set_latitude(51.5);
  query->mutable_location()->set_longitude(-0.12);
  query->set_radius_miles(5);  // ignored under PCR2015_DPS: every member is invited
  query->add_child_ages_years(12);
  query->add_child_genders(dps::common::v1::GENDER_FEMALE);
  v1::FindEligibleEstablishmentsResponse found;
  CHECK_OK(f.stub().FindEligibleEstablishments(
      ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner).get(), find, &found));
  REQUIRE(found.establishments_size() == 1);
  CHECK_FALSE(found.radius_and_filters_applied());
  CHECK(found.establishments(0).membership_id() == membership_id);
  CHECK(found.establishments(0).qualification_score() == 80);
  CHECK(found.establishments(0).ceiling_fee().pence() == 400000);
  CHECK(found.establishments(0).distance_miles() > 20);
  CHECK(found.establishments(0).current_rating() == v1::RATING_UNSPECIFIED);  // none recorded
  CHECK(found.establishments(0).open_alert_count() == 0);

  // Beside each, what the authority weighs: the latest inspection and the alerts still open.
  v1::RecordInspectionRatingRequest rate;
  rate.set_idempotency_key(ServiceFixture::Key());
  rate.mutable_rating()->set_establishment_id(w.establishment_id);
  rate.mutable_rating()->set_rating(v1::RATING_GOOD);
  *rate.mutable_rating()->mutable_inspected_on() = Day(2026, 5, 1);
  v1::InspectionRating rated;
  CHECK_OK(f.stub().RecordInspectionRating(Lead().get(), rate, &rated));
  v1::RaiseSafeguardingAlertRequest raise;
  raise.set_idempotency_key(ServiceFixture::Key());
  raise.set_system_id(w.system_id);
  raise.set_establishment_id(w.establishment_id);
  raise.set_severity(v1::ALERT_SEVERITY_LOW);
  raise.set_category("complaint");
  raise.set_summary("Complaint about contact arrangements.");
  v1::SafeguardingAlert alert;
  CHECK_OK(f.stub().RaiseSafeguardingAlert(
      ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner).get(), raise, &alert));
  found.Clear();
  CHECK_OK(f.stub().FindEligibleEstablishments(
      ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner).get(), find, &found));
  REQUIRE(found.establishments_size() == 1);
  CHECK(found.establishments(0).current_rating() == v1::RATING_GOOD);
  CHECK(found.establishments(0).open_alert_count() == 1);

  // A cohort: the second child (6) is younger than the home takes.
  query->add_child_ages_years(6);
  query->add_child_genders(dps::common::v1::GENDER_MALE);
  found.Clear();
  CHECK_OK(f.stub().FindEligibleEstablishments(
      ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner).get(), find, &found));
  CHECK(found.establishments().empty());
  v1::ExplainEligibilityRequest explain;
  *explain.mutable_query() = *query;
  explain.set_establishment_id(w.establishment_id);
  v1::ExplainEligibilityResponse why;
  CHECK_OK(f.stub().ExplainEligibility(
      ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner).get(), explain, &why));
  CHECK_FALSE(why.eligible());
  REQUIRE(why.checks_size() == 10);  // every rule, each under its own name
  for (int i = 0; i < why.checks_size(); ++i) CHECK(why.checks(i).rule() == i + 1);
  CHECK(why.checks(4).rule() == v1::ELIGIBILITY_RULE_AGE_RANGE);
  CHECK_FALSE(why.checks(4).passed());
  CHECK(why.checks(3).not_applied());  // the radius, under PCR2015_DPS

  query->clear_child_genders();
  grpc::Status bad = f.stub().FindEligibleEstablishments(
      ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner).get(), find, &found);
  CHECK(bad.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(bad.error_message().rfind("query.child_genders:", 0) == 0);
}

TEST_CASE("pre-selection invites only establishments offering a placement type asked for",
          "[qualification][service]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f, v1::ENTRY_WINDOW_MODE_ALWAYS_OPEN, dps::common::v1::REGIME_LIGHT_TOUCH);
  auto& stub = f.stub();
  v1::GetLotRequest get_lot;
  get_lot.set_id(w.lot_id);
  v1::Lot lot;
  CHECK_OK(stub.GetLot(Lead().get(), get_lot, &lot));
  v1::UpdateLotRequest allow;
  allow.set_idempotency_key(ServiceFixture::Key());
  allow.set_id(w.lot_id);
  allow.set_expected_version(lot.version());
  *allow.mutable_spec() = ResidentialLotSpec();
  allow.mutable_spec()->add_placement_types()->set_code("52_week");
  allow.mutable_spec()->add_placement_types()->set_code("38_week");
  allow.mutable_spec()->set_preselection_allowed(true);
  allow.set_reason("light touch: referrals may pre-select");
  CHECK_OK(stub.UpdateLot(Lead().get(), allow, &lot));

  // Oak House (£4,000 a week) offers 38-week places only; Elm Lodge (£3,800) both.
  QualifiedMember(f, w);
  const std::string elm_membership = QualifiedMemberOf(f, w, "provider-b");
  const auto offer = [&](const std::string& organisation, const std::string& establishment_id,
                         std::vector<std::string> types) {
    v1::GetEstablishmentRequest get;
    get.set_id(establishment_id);
    v1::Establishment e;
    CHECK_OK(stub.GetEstablishment(Provider(organisation).get(), get, &e));
    v1::UpdateEstablishmentRequest update;
    update.set_idempotency_key(ServiceFixture::Key());
    update.set_id(establishment_id);
    update.set_expected_version(e.version());
    v1::EstablishmentSpec* spec = update.mutable_spec();
    spec->set_name(e.name());
    *spec->mutable_address() = e.address();
    *spec->mutable_location() = e.location();
    *spec->mutable_provision_types() = e.provision_types();
    spec->set_inspectorate(e.inspectorate());
    spec->set_inspectorate_ref(e.inspectorate_ref());
    spec->set_age_min_years(e.age_min_years());
    spec->set_age_max_years(e.age_max_years());
    spec->set_registered_places(e.registered_places());
    for (const std::string& type : types) spec->add_placement_type_codes(type);
    CHECK_OK(stub.UpdateEstablishment(Provider(organisation).get(), update, &e));
  };
  offer(kProvider, w.establishment_id, {"38_week"});
  const std::string elm_id = GetMembership(f, elm_membership).establishment_id();
  offer("provider-b", elm_id, {"52_week", "38_week"});

  v1::FindEligibleEstablishmentsRequest find;
  v1::EligibilityQuery* query = find.mutable_query();
  query->set_lot_id(w.lot_id);
  query->mutable_location()->set_latitude(51.0);
  query->mutable_location()->set_longitude(-0.2);
  query->set_radius_miles(60);
  query->add_child_ages_years(12);
  query->add_child_genders(dps::common::v1::GENDER_FEMALE);
  const auto found_memberships = [&] {
    v1::FindEligibleEstablishmentsResponse found;
    CHECK_OK(stub.FindEligibleEstablishments(
        ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner).get(), find, &found));
    CHECK(found.radius_and_filters_applied());
    std::set<std::string> ids;
    for (const v1::EligibleEstablishment& e : found.establishments()) {
      ids.insert(e.membership_id());
    }
    return ids;
  };
  REQUIRE(found_memberships().size() == 2);
  query->mutable_filters()->add_placement_type_codes("52_week");
  CHECK(found_memberships() == std::set<std::string>{elm_membership});

  // Why Oak House was not invited: the placement type, under its own rule; the cost rule,
  // when a maximum fee is asked for, under the cost rule.
  query->mutable_filters()->mutable_max_ceiling_fee()->set_pence(390000);
  v1::ExplainEligibilityRequest explain;
  *explain.mutable_query() = *query;
  explain.set_establishment_id(w.establishment_id);
  v1::ExplainEligibilityResponse why;
  CHECK_OK(stub.ExplainEligibility(
      ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner).get(), explain, &why));
  CHECK_FALSE(why.eligible());
  std::map<int, v1::EligibilityCheck> by_rule;
  for (const v1::EligibilityCheck& check : why.checks()) by_rule[check.rule()] = check;
  REQUIRE(by_rule.size() == 10);
  CHECK_FALSE(by_rule[v1::ELIGIBILITY_RULE_PLACEMENT_TYPE].passed());
  CHECK(by_rule[v1::ELIGIBILITY_RULE_PLACEMENT_TYPE].detail() ==
        "offers 38_week; referral asks for one of 52_week");
  CHECK_FALSE(by_rule[v1::ELIGIBILITY_RULE_COST].passed());
  CHECK(by_rule[v1::ELIGIBILITY_RULE_COST].detail() ==
        "ceiling fee 400000 pence a week; maximum 390000");
  CHECK(by_rule[v1::ELIGIBILITY_RULE_PROVISION_TYPE].passed());
  CHECK(by_rule[v1::ELIGIBILITY_RULE_SPECIALISM].passed());

  query->mutable_filters()->set_placement_type_codes(0, "52 weeks");
  v1::FindEligibleEstablishmentsResponse refused;
  grpc::Status bad = stub.FindEligibleEstablishments(
      ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner).get(), find, &refused);
  CHECK(bad.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(bad.error_message().rfind("query.placement_types[0]: must be a code", 0) == 0);
}

TEST_CASE("an intervention provider registers an establishment without an inspectorate",
          "[qualification][service]") {
  ServiceFixture f(At(2026, 6, 1));
  SetUp(f);
  auto& stub = f.stub();
  v1::CreateEstablishmentRequest lab;
  lab.set_idempotency_key(ServiceFixture::Key());
  lab.set_provider_id(kProvider);
  v1::EstablishmentSpec* spec = lab.mutable_spec();
  spec->set_name("County Testing Laboratory");
  spec->mutable_address()->set_postcode("NN1 1AA");
  spec->mutable_location()->set_latitude(52.2405);
  spec->mutable_location()->set_longitude(-0.9027);
  spec->add_provision_types(dps::common::v1::PROVISION_TYPE_BESPOKE_INTERVENTION);
  spec->set_inspectorate(v1::INSPECTORATE_NONE);
  spec->set_age_max_years(18);
  v1::Establishment created;
  CHECK_OK(stub.CreateEstablishment(Provider().get(), lab, &created));
  CHECK(created.inspectorate() == v1::INSPECTORATE_NONE);
  v1::GetEstablishmentRequest get;
  get.set_id(created.id());
  v1::Establishment read;
  CHECK_OK(stub.GetEstablishment(Provider().get(), get, &read));
  CHECK(read.inspectorate() == v1::INSPECTORATE_NONE);

  SECTION("care and education name their inspectorate") {
    lab.set_idempotency_key(ServiceFixture::Key());
    spec->add_provision_types(dps::common::v1::PROVISION_TYPE_RESIDENTIAL_HOME);
    grpc::Status status = stub.CreateEstablishment(Provider().get(), lab, &created);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message() ==
          "spec.inspectorate: INSPECTORATE_NONE is only for an establishment whose every "
          "provision type is PROVISION_TYPE_BESPOKE_INTERVENTION");
    spec->clear_provision_types();
    lab.set_idempotency_key(ServiceFixture::Key());
    status = stub.CreateEstablishment(Provider().get(), lab, &created);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message().rfind("spec.inspectorate:", 0) == 0);
  }
  SECTION("no inspectorate, no inspectorate reference") {
    lab.set_idempotency_key(ServiceFixture::Key());
    spec->set_inspectorate_ref("SC999999");
    grpc::Status status = stub.CreateEstablishment(Provider().get(), lab, &created);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message() ==
          "spec.inspectorate_ref: must be empty when the establishment has no inspectorate");
  }
}

TEST_CASE(
    "an Inadequate rating suspends, the same import twice changes nothing, and a malformed "
    "row applies nothing",
    "[qualification][service]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  v1::Application draft;
  CHECK_OK(
      f.stub().CreateApplication(ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(),
                                 ApplicationFor(w, 400000), &draft));
  v1::Application submitted;
  CHECK_OK(Submit(f, draft.id(), &submitted));
  const std::string membership_id = Qualify(f, w, draft.id());
  auto lead = [] { return ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kLead); };

  v1::ImportInspectionRatingsRequest import;
  import.set_idempotency_key(ServiceFixture::Key());
  v1::InspectionRatingRow* good = import.add_rows();
  good->set_inspectorate(v1::INSPECTORATE_OFSTED);
  good->set_inspectorate_ref("SC999999");  // not on the register
  good->set_rating(v1::RATING_GOOD);
  v1::InspectionRatingRow* row = import.add_rows();
  row->set_inspectorate(v1::INSPECTORATE_OFSTED);
  row->set_inspectorate_ref("SC123456");
  row->set_rating(v1::RATING_INADEQUATE);
  *row->mutable_inspected_on() = Day(2026, 5, 20);

  SECTION("a malformed row fails the import naming it, and nothing is applied") {
    v1::ImportInspectionRatingsRequest broken = import;
    broken.add_rows()->set_inspectorate(v1::INSPECTORATE_OFSTED);  // no reference, no rating
    v1::ImportInspectionRatingsResponse response;
    grpc::Status status = f.stub().ImportInspectionRatings(lead().get(), broken, &response);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message().rfind("rows[2].inspectorate_ref:", 0) == 0);
    CHECK(GetMembership(f, membership_id).state() == v1::MEMBERSHIP_STATE_QUALIFIED);
    CHECK(f.EventCount("qualification.establishment.rating_changed") == 0);
  }

  SECTION("another council's admin changes nothing: the establishment is not on its register") {
    auto outsider = [] {
      return ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kOutsider);
    };
    v1::ImportInspectionRatingsResponse response;
    CHECK_OK(f.stub().ImportInspectionRatings(outsider().get(), import, &response));
    REQUIRE(response.results_size() == 2);
    CHECK(response.results(1).outcome() == v1::IMPORT_ROW_OUTCOME_UNKNOWN_REF);
    CHECK(response.suspensions() == 0);
    v1::RecordInspectionRatingRequest record;
    record.set_idempotency_key(ServiceFixture::Key());
    record.mutable_rating()->set_establishment_id(w.establishment_id);
    record.mutable_rating()->set_rating(v1::RATING_INADEQUATE);
    v1::InspectionRating recorded;
    const grpc::Status refused =
        f.stub().RecordInspectionRating(outsider().get(), record, &recorded);
    CHECK(refused.error_code() == grpc::StatusCode::PERMISSION_DENIED);
    CHECK(GetMembership(f, membership_id).state() == v1::MEMBERSHIP_STATE_QUALIFIED);
    CHECK(f.EventCount("qualification.establishment.rating_changed") == 0);
  }

  SECTION("a rating outside the enum, or a report link a browser would run, is refused") {
    v1::ImportInspectionRatingsRequest odd = import;
    odd.mutable_rows(1)->set_rating(static_cast<v1::Rating>(99));
    v1::ImportInspectionRatingsResponse response;
    grpc::Status status = f.stub().ImportInspectionRatings(lead().get(), odd, &response);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message() == "rows[1].rating: must be a value of Rating, got 99");
    odd = import;
    odd.mutable_rows(1)->set_report_url("javascript:alert(1)");
    status = f.stub().ImportInspectionRatings(lead().get(), odd, &response);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message() == "rows[1].report_url: must be an http:// or https:// address");
    CHECK(f.EventCount("qualification.establishment.rating_changed") == 0);
  }

  v1::ImportInspectionRatingsResponse response;
  CHECK_OK(f.stub().ImportInspectionRatings(lead().get(), import, &response));
  REQUIRE(response.results_size() == 2);
  CHECK(response.results(0).outcome() == v1::IMPORT_ROW_OUTCOME_UNKNOWN_REF);
  CHECK(response.results(1).outcome() == v1::IMPORT_ROW_OUTCOME_RECORDED);
  CHECK(response.results(1).triggered_suspension());
  CHECK(response.suspensions() == 1);
  const v1::Membership suspended = GetMembership(f, membership_id);
  CHECK(suspended.state() == v1::MEMBERSHIP_STATE_SUSPENDED);
  REQUIRE(suspended.suspensions_size() == 1);
  CHECK(suspended.suspensions(0).reason() == v1::SUSPENSION_REASON_RATING_INADEQUATE);
  CHECK(suspended.suspensions(0).failed_criterion_ids(0) == w.rating_id);
  CHECK(suspended.current_rating().rating() == v1::RATING_INADEQUATE);

  // The same file again, under a new key: nothing changes.
  import.set_idempotency_key(ServiceFixture::Key());
  CHECK_OK(f.stub().ImportInspectionRatings(lead().get(), import, &response));
  CHECK(response.results(1).outcome() == v1::IMPORT_ROW_OUTCOME_UNCHANGED);
  CHECK(response.recorded() == 0);
  CHECK(response.suspensions() == 0);
  CHECK(f.EventCount("qualification.membership.suspended") == 1);
  CHECK(f.EventCount("qualification.establishment.rating_changed") == 1);

  // Only resubmitting the rating criterion lifts it: the lead cannot simply lift it.
  v1::ReinstateMembershipRequest reinstate;
  reinstate.set_idempotency_key(ServiceFixture::Key());
  reinstate.set_membership_id(membership_id);
  reinstate.set_reason("we think it is fine");
  v1::Membership membership;
  grpc::Status refused = f.stub().ReinstateMembership(lead().get(), reinstate, &membership);
  CHECK(refused.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(refused.error_message().find(w.rating_id) != std::string::npos);
}

TEST_CASE("a safeguarding alert is visible to every authority of the system and no one else",
          "[qualification][service]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  auto& stub = f.stub();
  v1::RaiseSafeguardingAlertRequest raise = AlertAbout(w, v1::ALERT_SEVERITY_HIGH);
  v1::SafeguardingAlert alert;
  CHECK(stub.RaiseSafeguardingAlert(
                ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kOutsider).get(), raise, &alert)
            .error_code() == grpc::StatusCode::PERMISSION_DENIED);
  raise.set_idempotency_key(ServiceFixture::Key());
  CHECK_OK(stub.RaiseSafeguardingAlert(
      ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner).get(), raise, &alert));
  CHECK(alert.status() == v1::ALERT_STATUS_OPEN);
  CHECK(f.EventCount("qualification.alert.raised") == 1);

  v1::GetSafeguardingAlertRequest get;
  get.set_id(alert.id());
  v1::SafeguardingAlert seen;
  CHECK_OK(stub.GetSafeguardingAlert(ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kLead).get(),
                                     get, &seen));
  CHECK(seen.summary() == raise.summary());
  CHECK_OK(stub.GetSafeguardingAlert(
      ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kLead).get(), get, &seen));
  CHECK(stub.GetSafeguardingAlert(
                ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kOutsider).get(), get, &seen)
            .error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK(stub.GetSafeguardingAlert(ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(),
                                  get, &seen)
            .error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(stub.GetSafeguardingAlert(ServiceFixture::As(ApiRole::ROLE_EVALUATOR, kLead).get(), get,
                                  &seen)
            .error_code() == grpc::StatusCode::PERMISSION_DENIED);

  v1::ListSafeguardingAlertsRequest list;
  list.set_system_id(w.system_id);
  v1::ListSafeguardingAlertsResponse listed;
  CHECK_OK(stub.ListSafeguardingAlerts(ServiceFixture::As(ApiRole::ROLE_COMMISSIONER, kLead).get(),
                                       list, &listed));
  CHECK(listed.alerts_size() == 1);
  CHECK(stub.ListSafeguardingAlerts(ServiceFixture::As(ApiRole::ROLE_COMMISSIONER, kOutsider).get(),
                                    list, &listed)
            .error_code() == grpc::StatusCode::PERMISSION_DENIED);

  // The raising authority moves it on; a change needs a note; CLOSED -> UNDER_INVESTIGATION is
  // not a move the alert makes.
  v1::UpdateSafeguardingAlertRequest update;
  update.set_idempotency_key(ServiceFixture::Key());
  update.set_alert_id(alert.id());
  update.set_status(v1::ALERT_STATUS_UNDER_INVESTIGATION);
  CHECK(stub.UpdateSafeguardingAlert(
                ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner).get(), update, &alert)
            .error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  update.set_idempotency_key(ServiceFixture::Key());
  update.set_note("LADO referral made");
  CHECK_OK(stub.UpdateSafeguardingAlert(
      ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner).get(), update, &alert));
  CHECK(alert.status() == v1::ALERT_STATUS_UNDER_INVESTIGATION);
  update.set_idempotency_key(ServiceFixture::Key());
  update.set_status(v1::ALERT_STATUS_CLOSED);
  update.set_note("concluded: no further action");
  CHECK_OK(stub.UpdateSafeguardingAlert(
      ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner).get(), update, &alert));
  update.set_idempotency_key(ServiceFixture::Key());
  update.set_status(v1::ALERT_STATUS_UNDER_INVESTIGATION);
  CHECK(stub.UpdateSafeguardingAlert(
                ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner).get(), update, &alert)
            .error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(alert.history_size() == 3);
  CHECK(f.EventCount("qualification.alert.updated") == 2);
}

TEST_CASE("a suspension for a safeguarding alert names a serious, open alert about the member",
          "[qualification][service]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  QualifiedMember(f, w);
  auto& stub = f.stub();
  auto lead = [] { return ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kLead); };
  v1::SafeguardingAlert alert;
  CHECK_OK(
      stub.RaiseSafeguardingAlert(ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner).get(),
                                  AlertAbout(w, v1::ALERT_SEVERITY_HIGH), &alert));

  v1::SuspendMembershipRequest suspend;
  suspend.set_system_id(w.system_id);
  suspend.set_establishment_id(w.establishment_id);
  suspend.set_reason(v1::SUSPENSION_REASON_SAFEGUARDING_ALERT);
  suspend.set_detail("suspended while the alert is investigated");
  auto refused = [&](const v1::SuspendMembershipRequest& request) {
    v1::SuspendMembershipRequest keyed = request;
    keyed.set_idempotency_key(ServiceFixture::Key());
    v1::SuspendMembershipResponse response;
    return stub.SuspendMembership(lead().get(), keyed, &response);
  };
  grpc::Status status = refused(suspend);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(status.error_message() ==
        "alert_id: required: the safeguarding alert the suspension is for");
  suspend.set_alert_id("alert-none");
  CHECK(refused(suspend).error_code() == grpc::StatusCode::NOT_FOUND);
  suspend.set_alert_id(alert.id());
  // HIGH is not SERIOUS: the lead suspends for its own decision, or escalates the alert first.
  status = refused(suspend);
  CHECK(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(status.error_message() == "alert: only a SERIOUS alert suspends, this one is HIGH");
  v1::SuspendMembershipRequest with_criteria = suspend;
  with_criteria.add_failed_criterion_ids(w.insurance_id);
  CHECK(refused(with_criteria).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  v1::SuspendMembershipRequest other_reason = suspend;
  other_reason.set_reason(v1::SUSPENSION_REASON_LEAD_AUTHORITY_DECISION);
  status = refused(other_reason);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(status.error_message() == "alert_id: only for a suspension for a safeguarding alert");
  CHECK(f.EventCount("qualification.membership.suspended") == 0);

  v1::UpdateSafeguardingAlertRequest escalate;
  escalate.set_idempotency_key(ServiceFixture::Key());
  escalate.set_alert_id(alert.id());
  escalate.set_severity(v1::ALERT_SEVERITY_SERIOUS);
  escalate.set_note("a third episode");
  CHECK_OK(stub.UpdateSafeguardingAlert(lead().get(), escalate, &alert));
  suspend.set_idempotency_key(ServiceFixture::Key());
  v1::SuspendMembershipResponse suspended;
  CHECK_OK(stub.SuspendMembership(lead().get(), suspend, &suspended));
  REQUIRE(suspended.memberships_size() == 1);
  const v1::Membership& membership = suspended.memberships(0);
  CHECK(membership.state() == v1::MEMBERSHIP_STATE_SUSPENDED);
  REQUIRE(membership.suspensions_size() == 1);
  const v1::Suspension& why = membership.suspensions(0);
  CHECK(why.reason() == v1::SUSPENSION_REASON_SAFEGUARDING_ALERT);
  CHECK(why.alert_id() == alert.id());
  CHECK(why.suspended_by().user_id() == "user-1");
  CHECK(std::vector<std::string>(why.failed_criterion_ids().begin(),
                                 why.failed_criterion_ids().end()) ==
        std::vector<std::string>{"safeguarding-alert:" + alert.id()});
  CHECK(f.EventCount("qualification.membership.suspended") == 1);
}

TEST_CASE("expired evidence suspends its memberships once, by a timer that survives a restart",
          "[qualification][service]") {
  ServiceFixture f(At(2027, 1, 4));
  const World w = SetUp(f);  // the insurance evidence is valid up to 31 March 2027
  v1::Application draft;
  CHECK_OK(
      f.stub().CreateApplication(ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(),
                                 ApplicationFor(w, 400000), &draft));
  v1::Application submitted;
  CHECK_OK(Submit(f, draft.id(), &submitted));
  const std::string membership_id = Qualify(f, w, draft.id());

  {
    // The last valid day: nothing is due.
    f.clock().Set(At(2027, 3, 31, 23));
    EvidenceExpiryTimer before_restart(f.pool(), f.clock());
    absl::StatusOr<int> expired = before_restart.RunOnce();
    REQUIRE(expired.ok());
    CHECK(*expired == 0);
  }
  // The process restarts (a new timer) while the evidence runs out.
  f.clock().Set(At(2027, 4, 2, 3));
  EvidenceExpiryTimer after_restart(f.pool(), f.clock());
  absl::StatusOr<int> expired = after_restart.RunOnce();
  REQUIRE(expired.ok());
  CHECK(*expired == 1);
  absl::StatusOr<int> again = after_restart.RunOnce();
  REQUIRE(again.ok());
  CHECK(*again == 0);

  const v1::Membership membership = GetMembership(f, membership_id);
  CHECK(membership.state() == v1::MEMBERSHIP_STATE_SUSPENDED);
  REQUIRE(membership.suspensions_size() == 1);
  CHECK(membership.suspensions(0).reason() == v1::SUSPENSION_REASON_EVIDENCE_EXPIRED);
  CHECK(membership.suspensions(0).failed_criterion_ids(0) == w.insurance_id);
  CHECK(membership.suspensions(0).evidence_id() == w.evidence_id);
  CHECK(membership.suspensions(0).suspended_by().user_id() == "evidence-expiry-timer");
  CHECK(f.EventCount("qualification.evidence.expired") == 1);
  CHECK(f.EventCount("qualification.membership.suspended") == 1);
}

}  // namespace dps::qualification::testing

namespace dps::qualification::testing {

TEST_CASE("a failed criterion rejects the item with its reason, and a withdrawn draft is final",
          "[qualification][service]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  auto& stub = f.stub();
  auto lead = [] { return ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kLead); };

  SECTION("withdrawing a draft, then anything else, is refused") {
    v1::Application draft;
    CHECK_OK(
        stub.CreateApplication(ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(),
                               ApplicationFor(w, 400000), &draft));
    v1::WithdrawApplicationRequest withdraw;
    withdraw.set_idempotency_key(ServiceFixture::Key());
    withdraw.set_id(draft.id());
    withdraw.set_reason("applying next round");
    v1::Application withdrawn;
    CHECK_OK(stub.WithdrawApplication(
        ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(), withdraw, &withdrawn));
    CHECK(withdrawn.state() == v1::APPLICATION_STATE_WITHDRAWN);
    v1::Application again;
    CHECK(Submit(f, draft.id(), &again).error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  }

  v1::Application draft;
  CHECK_OK(stub.CreateApplication(ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(),
                                  ApplicationFor(w, 400000), &draft));
  v1::Application application;
  CHECK_OK(Submit(f, draft.id(), &application));

  // Deciding before evaluation starts, and before every criterion has a finding, is refused.
  v1::DecideApplicationRequest decide;
  decide.set_idempotency_key(ServiceFixture::Key());
  decide.set_application_id(draft.id());
  CHECK(stub.DecideApplication(lead().get(), decide, &application).error_code() ==
        grpc::StatusCode::FAILED_PRECONDITION);
  v1::AssignEvaluatorsRequest assign;
  assign.set_idempotency_key(ServiceFixture::Key());
  assign.set_application_id(draft.id());
  assign.add_evaluators()->set_evaluator_user_id("eva");
  CHECK_OK(stub.AssignEvaluators(lead().get(), assign, &application));
  decide.set_idempotency_key(ServiceFixture::Key());
  grpc::Status early = stub.DecideApplication(lead().get(), decide, &application);
  CHECK(early.error_code() == grpc::StatusCode::FAILED_PRECONDITION);

  v1::RecordCriterionResultRequest fail;
  fail.set_idempotency_key(ServiceFixture::Key());
  fail.set_application_id(draft.id());
  fail.mutable_result()->set_criterion_id(w.insurance_id);
  fail.mutable_result()->set_establishment_id(w.establishment_id);
  fail.mutable_result()->set_passed(false);
  grpc::Status no_reason = stub.RecordCriterionResult(lead().get(), fail, &application);
  CHECK(no_reason.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(no_reason.error_message().rfind("result.reason:", 0) == 0);
  fail.set_idempotency_key(ServiceFixture::Key());
  fail.mutable_result()->set_reason("public liability cover below GBP 5m");
  CHECK_OK(stub.RecordCriterionResult(lead().get(), fail, &application));
  v1::RecordCriterionResultRequest pass = fail;
  pass.set_idempotency_key(ServiceFixture::Key());
  pass.mutable_result()->set_criterion_id(w.rating_id);
  pass.mutable_result()->set_passed(true);
  pass.mutable_result()->clear_reason();
  CHECK_OK(stub.RecordCriterionResult(lead().get(), pass, &application));
  v1::ScoreMethodStatementRequest score;
  score.set_idempotency_key(ServiceFixture::Key());
  score.set_application_id(draft.id());
  score.set_criterion_id(w.workforce_id);
  score.set_establishment_id(w.establishment_id);
  score.set_score(60);
  CHECK_OK(stub.ScoreMethodStatement(
      ServiceFixture::As(ApiRole::ROLE_EVALUATOR, kLead, "eva").get(), score, &application));

  // A screen that says QUALIFIED disagrees with the findings.
  decide.set_idempotency_key(ServiceFixture::Key());
  v1::ItemDecision* expected = decide.add_decisions();
  expected->set_establishment_id(w.establishment_id);
  expected->set_lot_id(w.lot_id);
  expected->set_outcome(v1::ITEM_OUTCOME_QUALIFIED);
  CHECK(stub.DecideApplication(lead().get(), decide, &application).error_code() ==
        grpc::StatusCode::FAILED_PRECONDITION);
  decide.set_idempotency_key(ServiceFixture::Key());
  decide.clear_decisions();
  CHECK_OK(stub.DecideApplication(lead().get(), decide, &application));
  REQUIRE(application.decisions_size() == 1);
  CHECK(application.decisions(0).outcome() == v1::ITEM_OUTCOME_REJECTED);
  CHECK(application.decisions(0).reason().find("public liability") != std::string::npos);
  CHECK(application.decisions(0).membership_id().empty());
  CHECK(f.EventCount("qualification.membership.rejected") == 1);
  CHECK(f.EventCount("qualification.membership.qualified") == 0);

  // The applicant reads each criterion's result and reason.
  v1::GetApplicationRequest get;
  get.set_id(draft.id());
  v1::Application seen;
  CHECK_OK(stub.GetApplication(ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(),
                               get, &seen));
  bool insurance_failed = false;
  for (const v1::CriterionResult& result : seen.criterion_results()) {
    if (result.criterion_id() == w.insurance_id) insurance_failed = !result.passed();
  }
  CHECK(insurance_failed);

  // A rejected applicant may apply again.
  v1::Application second;
  CHECK_OK(stub.CreateApplication(ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(),
                                  ApplicationFor(w, 400000), &second));
}

TEST_CASE("a closed alert reopens on new information, and severity moves with a note",
          "[qualification][service]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  auto& stub = f.stub();
  auto officer = [] { return ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner); };
  v1::RaiseSafeguardingAlertRequest raise;
  raise.set_idempotency_key(ServiceFixture::Key());
  raise.set_system_id(w.system_id);
  raise.set_establishment_id(w.establishment_id);
  raise.set_severity(v1::ALERT_SEVERITY_LOW);
  raise.set_category("complaint");
  raise.set_summary("Complaint about contact arrangements.");
  v1::SafeguardingAlert alert;
  CHECK_OK(stub.RaiseSafeguardingAlert(officer().get(), raise, &alert));

  v1::UpdateSafeguardingAlertRequest update;
  update.set_idempotency_key(ServiceFixture::Key());
  update.set_alert_id(alert.id());
  update.set_severity(v1::ALERT_SEVERITY_SERIOUS);
  update.set_note("allegation against a member of staff");
  CHECK_OK(stub.UpdateSafeguardingAlert(officer().get(), update, &alert));
  CHECK(alert.severity() == v1::ALERT_SEVERITY_SERIOUS);

  update.set_idempotency_key(ServiceFixture::Key());
  update.set_expected_version(1);  // stale: the severity change made it 2
  update.clear_severity();
  update.set_status(v1::ALERT_STATUS_CLOSED);
  update.set_note("concluded");
  CHECK(stub.UpdateSafeguardingAlert(officer().get(), update, &alert).error_code() ==
        grpc::StatusCode::ABORTED);
  update.set_idempotency_key(ServiceFixture::Key());
  update.set_expected_version(alert.version());
  CHECK_OK(stub.UpdateSafeguardingAlert(officer().get(), update, &alert));
  CHECK(alert.status() == v1::ALERT_STATUS_CLOSED);

  // Closed alerts keep their severity; they reopen on new information.
  update.set_idempotency_key(ServiceFixture::Key());
  update.set_expected_version(0);
  update.set_status(v1::ALERT_STATUS_UNSPECIFIED);
  update.set_severity(v1::ALERT_SEVERITY_LOW);
  update.set_note("downgrade");
  CHECK(stub.UpdateSafeguardingAlert(officer().get(), update, &alert).error_code() ==
        grpc::StatusCode::FAILED_PRECONDITION);
  update.set_idempotency_key(ServiceFixture::Key());
  update.set_severity(v1::ALERT_SEVERITY_UNSPECIFIED);
  update.set_status(v1::ALERT_STATUS_OPEN);
  update.set_note("a second allegation");
  CHECK_OK(stub.UpdateSafeguardingAlert(officer().get(), update, &alert));
  CHECK(alert.status() == v1::ALERT_STATUS_OPEN);

  // Only the raising authority's officers and the lead authority's admins change it; another
  // authority of the system sees it but may not; one outside the system does not see it.
  update.set_idempotency_key(ServiceFixture::Key());
  update.set_status(v1::ALERT_STATUS_UNDER_INVESTIGATION);
  update.set_note("taking it on");
  CHECK(stub.UpdateSafeguardingAlert(ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kLead).get(),
                                     update, &alert)
            .error_code() == grpc::StatusCode::PERMISSION_DENIED);
  update.set_idempotency_key(ServiceFixture::Key());
  CHECK(stub.UpdateSafeguardingAlert(ServiceFixture::As(ApiRole::ROLE_COMMISSIONER, "surrey").get(),
                                     update, &alert)
            .error_code() == grpc::StatusCode::NOT_FOUND);
}

}  // namespace dps::qualification::testing

namespace dps::qualification::testing {

TEST_CASE("eligible establishments come in pages, nearest first", "[qualification][service]") {
  ServiceFixture f(At(2026, 6, 1));
  World w = SetUp(f);
  auto& stub = f.stub();
  v1::Application application;
  CHECK_OK(stub.CreateApplication(ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(),
                                  ApplicationFor(w, 400000), &application));
  CHECK_OK(Submit(f, application.id(), &application));
  Qualify(f, w, application.id());

  // A second home of the same provider, in Brighton, with its own evidence.
  v1::CreateEstablishmentRequest second;
  second.set_idempotency_key(ServiceFixture::Key());
  second.set_provider_id(kProvider);
  second.mutable_spec()->set_name("Beech House");
  second.mutable_spec()->mutable_address()->set_postcode("BN1 1AA");
  second.mutable_spec()->mutable_location()->set_latitude(50.8225);
  second.mutable_spec()->mutable_location()->set_longitude(-0.1372);
  second.mutable_spec()->set_inspectorate(v1::INSPECTORATE_OFSTED);
  second.mutable_spec()->set_age_max_years(17);
  v1::Establishment beech;
  CHECK_OK(stub.CreateEstablishment(
      ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(), second, &beech));
  v1::AddEvidenceRequest evidence;
  evidence.set_idempotency_key(ServiceFixture::Key());
  evidence.set_provider_id(kProvider);
  evidence.set_establishment_id(beech.id());
  evidence.set_criterion_id(w.insurance_id);
  evidence.set_title("Employer's liability 2026");
  evidence.set_document_uri("docs://provider-a/beech.pdf");
  evidence.set_document_sha256(std::string(64, 'b'));
  *evidence.mutable_expires_on() = Day(2027, 3, 31);
  v1::Evidence added;
  CHECK_OK(stub.AddEvidence(ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(),
                            evidence, &added));
  World w2 = w;
  w2.establishment_id = beech.id();
  w2.evidence_id = added.id();
  CHECK_OK(stub.CreateApplication(ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(),
                                  ApplicationFor(w2, 380000), &application));
  CHECK_OK(Submit(f, application.id(), &application));
  Qualify(f, w2, application.id());

  v1::FindEligibleEstablishmentsRequest find;
  find.mutable_query()->set_lot_id(w.lot_id);
  find.mutable_query()->mutable_location()->set_latitude(50.83);  // Brighton
  find.mutable_query()->mutable_location()->set_longitude(-0.14);
  find.mutable_query()->add_child_ages_years(12);
  find.mutable_query()->add_child_genders(dps::common::v1::GENDER_MALE);
  find.mutable_page()->set_page_size(1);
  auto officer = [] { return ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner); };
  v1::FindEligibleEstablishmentsResponse first;
  CHECK_OK(stub.FindEligibleEstablishments(officer().get(), find, &first));
  REQUIRE(first.establishments_size() == 1);
  CHECK(first.establishments(0).establishment_id() == beech.id());
  REQUIRE_FALSE(first.page().next_page_token().empty());

  find.mutable_page()->set_page_token(first.page().next_page_token());
  v1::FindEligibleEstablishmentsResponse rest;
  CHECK_OK(stub.FindEligibleEstablishments(officer().get(), find, &rest));
  REQUIRE(rest.establishments_size() == 1);
  CHECK(rest.establishments(0).establishment_id() == w.establishment_id);
  CHECK(rest.establishments(0).distance_miles() > first.establishments(0).distance_miles());
  CHECK(rest.page().next_page_token().empty());

  // The token belongs to this search: given with the child somewhere else, it is refused.
  v1::FindEligibleEstablishmentsRequest elsewhere = find;
  elsewhere.mutable_query()->mutable_location()->set_longitude(-0.2);
  elsewhere.mutable_page()->set_page_token(first.page().next_page_token());
  grpc::Status moved = stub.FindEligibleEstablishments(officer().get(), elsewhere, &rest);
  CHECK(moved.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(moved.error_message().rfind("page.page_token:", 0) == 0);

  find.mutable_page()->set_page_token("not-a-token");
  grpc::Status bad = stub.FindEligibleEstablishments(officer().get(), find, &rest);
  CHECK(bad.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(bad.error_message().rfind("page.page_token:", 0) == 0);
  find.mutable_page()->clear_page_token();
  find.mutable_page()->set_page_size(501);
  CHECK(stub.FindEligibleEstablishments(officer().get(), find, &rest).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace dps::qualification::testing
